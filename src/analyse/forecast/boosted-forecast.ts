import { type BoostingOptions, fitBoostedTrees, predictBoosted } from './boosted-trees.ts';
import type { ForecastTarget } from './forecast.ts';
import type { Panel } from './panel.ts';
import { type TreeRow, treeFeatureRows } from './tree-features.ts';

/**
 * Boosted trees on top of the smoothed level, with every choice made by inner rolling validation on
 * the training months alone: trees are fitted to forecasts whose target month is at least
 * `validationMonths` before the origin, scored on the forecasts made from the origins after that
 * (targets up to the origin), and the (settings, number of trees, blend weight) with the least squared
 * error wins. The final forecast is weight·trees + (1 − weight)·level, refitted on everything up to the
 * origin; weight 0 (the level alone) is always a candidate, so when trees do not help out of sample
 * on the training months, the forecast is the smoothed level.
 */
export interface BoostedSelection {
  settings: readonly Partial<BoostingOptions>[];
  rounds: readonly number[];
  weights: readonly number[];
  validationMonths: number;
  /**
   * Origins further back than this before the last month a fit may read are left out of it: a store
   * holding decades (the demo's compilations from 1995) otherwise fits trees on hundreds of thousands of
   * rows (30 s for one district forecast); the last five years are what the forecast is about.
   */
  historyMonths: number;
}

export const DEFAULT_SELECTION: BoostedSelection = {
  settings: [{}, { power: 1.5 }],
  rounds: [0, 10, 25, 50, 100, 200],
  weights: [0, 0.25, 0.5, 0.75, 1],
  validationMonths: 12,
  historyMonths: 60,
};

/** First inner origin: a few months of history before any row is built. */
const FIRST_ROW_ORIGIN = 2;

export interface BoostedForecast {
  /** Expected count per unit (index as in the panel) and horizon (index h − 1). */
  means: number[][];
  choice: { settings: number; rounds: number; weight: number };
}

const offsetOf = (row: TreeRow) => Math.log(row.level + 0.1);

/**
 * Forecasts `target` for every unit of the panel and 1…horizon months after origin t, reading months
 * ≤ t only.
 *
 * @example boostedMeans(panel, panel.months.length - 1, 6, 'events').means[0]![0] // unit 0, next month
 */
export function boostedMeans(
  panel: Panel,
  t: number,
  horizon: number,
  target: ForecastTarget,
  selection: BoostedSelection = DEFAULT_SELECTION,
): BoostedForecast {
  const rowsAt = new Map<number, TreeRow[]>();
  const rowsOf = (s: number) => {
    let rows = rowsAt.get(s);
    if (!rows) {
      rows = treeFeatureRows(panel, s, horizon, target);
      rowsAt.set(s, rows);
    }
    return rows;
  };
  const outcome = (s: number, row: TreeRow) => panel[target][row.unit]![s + row.horizon]!;
  /** Rows of origins s < lastTarget whose target month is ≤ lastTarget. */
  const trainingSet = (lastTarget: number) => {
    const x: number[][] = [];
    const y: number[] = [];
    const offsets: number[] = [];
    for (let s = Math.max(FIRST_ROW_ORIGIN, lastTarget - selection.historyMonths); s < lastTarget; s++) {
      for (const row of rowsOf(s)) {
        if (s + row.horizon > lastTarget) continue;
        x.push(row.x);
        y.push(outcome(s, row));
        offsets.push(offsetOf(row));
      }
    }
    return { x, y, offsets };
  };
  const levelOnly = (): BoostedForecast => {
    const means = panel.units.map(() => new Array<number>(horizon).fill(0));
    for (const row of rowsOf(t)) means[row.unit]![row.horizon - 1] = row.level;
    return { means, choice: { settings: 0, rounds: 0, weight: 0 } };
  };

  const cut = t - selection.validationMonths;
  const inner = trainingSet(cut);
  if (inner.y.length === 0 || cut < FIRST_ROW_ORIGIN) return levelOnly();
  let best = { error: Number.POSITIVE_INFINITY, settings: 0, rounds: 0, weight: 0 };
  selection.settings.forEach((settings, index) => {
    const model = fitBoostedTrees(inner.x, inner.y, inner.offsets, {
      ...settings,
      rounds: Math.max(...selection.rounds),
    });
    const errors = selection.rounds.map(() => selection.weights.map(() => 0));
    for (let s = Math.max(cut, FIRST_ROW_ORIGIN); s < t; s++) {
      for (const row of rowsOf(s)) {
        if (s + row.horizon > t) continue;
        const y = outcome(s, row);
        selection.rounds.forEach((rounds, i) => {
          const trees = predictBoosted(model, row.x, offsetOf(row), rounds);
          selection.weights.forEach((weight, j) => {
            errors[i]![j]! += (weight * trees + (1 - weight) * row.level - y) ** 2;
          });
        });
      }
    }
    selection.rounds.forEach((rounds, i) => {
      selection.weights.forEach((weight, j) => {
        // Ties keep the earlier (simpler) candidate: fewer trees, less weight on them.
        if (errors[i]![j]! < best.error - 1e-9)
          best = { error: errors[i]![j]!, settings: index, rounds, weight };
      });
    });
  });
  if (best.weight === 0) return levelOnly();
  const all = trainingSet(t);
  const model = fitBoostedTrees(all.x, all.y, all.offsets, {
    ...selection.settings[best.settings],
    rounds: best.rounds,
  });
  const means = panel.units.map(() => new Array<number>(horizon).fill(0));
  for (const row of rowsOf(t)) {
    const trees = predictBoosted(model, row.x, offsetOf(row));
    means[row.unit]![row.horizon - 1] = best.weight * trees + (1 - best.weight) * row.level;
  }
  return { means, choice: { settings: best.settings, rounds: best.rounds, weight: best.weight } };
}
