import { actorMomentum, monthsQuiet, originContext } from './features.ts';
import type { ForecastTarget } from './forecast.ts';
import { monthIndex, type Panel } from './panel.ts';
import { combinedLevelMeans, ewma, regionTotal, robustLevelMeans, trailingMean } from './smoothed-level.ts';

/**
 * Features of the boosted-trees forecaster for one unit, origin s and horizon h. Counts are taken
 * relative to the unit's smoothed level (log((count + 0.5) / (level + 0.5))), so one tree pooled over
 * busy and quiet districts can learn "above its usual level lately" once rather than per size.
 * Every feature reads months ≤ s; the target month enters only through its calendar month.
 */
export const TREE_FEATURE_NAMES: readonly string[] = [
  'horizon',
  'target_calendar_month',
  ...Array.from({ length: 12 }, (_, k) => `lag_${k + 1}_vs_level`),
  ...[3, 6, 12, 24].map((w) => `mean_${w}_vs_level`),
  'mean_all_vs_level',
  'other_target_mean_3',
  'other_target_mean_12',
  'months_quiet',
  'neighbours_mean_3',
  'neighbours_mean_12',
  'region_last_vs_mean_12',
  'region_mean_3_vs_mean_12',
  'region_ewma_0.7_vs_mean_12',
  'actors_momentum_3',
  'log_level',
];

export interface TreeRow {
  unit: number;
  horizon: number;
  x: number[];
  /** The smoothed level at the origin: the offset the trees correct, and the blend partner. */
  level: number;
}

/** One row per unit and horizon 1…horizon at origin s, for `target`. */
export function treeFeatureRows(
  panel: Panel,
  s: number,
  horizon: number,
  target: ForecastTarget,
  robust = false,
): TreeRow[] {
  const series = panel[target];
  const other = panel[target === 'events' ? 'fatalities' : 'events'];
  const region = regionTotal(series);
  const level = robust ? robustLevelMeans(series, s) : combinedLevelMeans(series, region, s);
  const context = originContext(panel, s);
  const calendar = monthIndex(panel.months[0]!) + s;
  const mean3 = series.map((y) => trailingMean(y, s, 3));
  const mean12 = series.map((y) => trailingMean(y, s, 12));
  const regionYear = trailingMean(region, s, 12) + 1;
  const regional = [
    Math.log(((region[s] ?? 0) + 1) / regionYear),
    Math.log((trailingMean(region, s, 3) + 1) / regionYear),
    ewma(region, s, 0.7) / regionYear,
  ];
  const rows: TreeRow[] = [];
  for (let u = 0; u < series.length; u++) {
    const y = series[u]!;
    const scale = level[u]! + 0.5;
    const relative = (v: number) => Math.log((v + 0.5) / scale);
    const neighbours = panel.neighbours[u] ?? [];
    const around = (values: readonly number[]) =>
      neighbours.length ? neighbours.reduce((a, v) => a + values[v]!, 0) / neighbours.length : 0;
    const shared = [
      ...Array.from({ length: 12 }, (_, k) => relative(y[s - k] ?? 0)),
      ...[3, 6, 12, 24, s + 1].map((w) => relative(trailingMean(y, s, w))),
      Math.log1p(trailingMean(other[u]!, s, 3)),
      Math.log1p(trailingMean(other[u]!, s, 12)),
      monthsQuiet(y, s),
      Math.log1p(around(mean3)),
      Math.log1p(around(mean12)),
      ...regional,
      actorMomentum(panel, context, u),
      Math.log(scale),
    ];
    for (let h = 1; h <= horizon; h++) {
      rows.push({ unit: u, horizon: h, x: [h, (calendar + h) % 12, ...shared], level: level[u]! });
    }
  }
  return rows;
}
