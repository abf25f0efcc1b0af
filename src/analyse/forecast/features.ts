import type { Panel } from './panel.ts';

/**
 * Features of one unit at forecast origin t (the last month observed) for the month t + h.
 * Every feature reads months ≤ t only; the target month enters only through its calendar month.
 */
export const FEATURE_NAMES = [
  'events_momentum_3',
  'events_momentum_1',
  'events_mean_12',
  'events_level_vs_history',
  'months_since_event',
  'fatalities_momentum_3',
  'fatalities_mean_12',
  'neighbours_momentum_3',
  'neighbours_mean_12',
  'region_momentum_3',
  'actors_momentum_3',
  'season_sin',
  'season_cos',
] as const;

/** Indices of the last year's monthly means, the basis of each target's offset. */
const MEAN_12_INDEX = { events: 2, fatalities: 6 } as const;

const log1p = Math.log1p;

function mean(series: readonly number[], from: number, to: number): number {
  const a = Math.max(0, from);
  if (to < a) return 0;
  let sum = 0;
  for (let i = a; i <= to; i++) sum += series[i] ?? 0;
  return sum / (to - a + 1);
}

function sum(series: readonly number[], from: number, to: number): number {
  let total = 0;
  for (let i = Math.max(0, from); i <= to; i++) total += series[i] ?? 0;
  return total;
}

/** Per-origin quantities shared by every unit (regional level), computed once per origin. */
export interface OriginContext {
  t: number;
  regionMean3: number;
  regionMean12: number;
  actorMean3: Map<string, number>;
  actorMean12: Map<string, number>;
  unitMean3: number[];
  unitMean12: number[];
}

export function originContext(panel: Panel, t: number): OriginContext {
  const unitMean3 = panel.events.map((series) => mean(series, t - 2, t));
  const unitMean12 = panel.events.map((series) => mean(series, t - 11, t));
  const average = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const actorMean3 = new Map<string, number>();
  const actorMean12 = new Map<string, number>();
  for (const [actor, series] of panel.actorTotals) {
    actorMean3.set(actor, mean(series, t - 2, t));
    actorMean12.set(actor, mean(series, t - 11, t));
  }
  return {
    t,
    regionMean3: average(unitMean3),
    regionMean12: average(unitMean12),
    actorMean3,
    actorMean12,
    unitMean3,
    unitMean12,
  };
}

/** Months since the last month with a count above zero, up to t (capped at 24: long quiet is quiet). */
export function monthsQuiet(series: readonly number[], t: number): number {
  let quiet = 0;
  while (quiet <= t && quiet < 24 && (series[t - quiet] ?? 0) === 0) quiet++;
  return quiet;
}

/** Ratios of recent to yearly levels are comparable across units and years; levels are not. */
const logRatio = (recent: number, year: number) => Math.log((recent + 0.5) / (year + 0.5));

/**
 * Actor activity of unit u at the context's origin: the groups active here over the last year,
 * weighted by their share of this unit's events, and how busy those groups have been everywhere in
 * the last 3 months against their year (log ratio; 0 for a unit without events that year).
 */
export function actorMomentum(panel: Panel, context: OriginContext, u: number): number {
  const { t } = context;
  let actors3 = 0;
  let actors12 = 0;
  const ownTotal = sum(panel.events[u]!, t - 11, t);
  if (ownTotal > 0) {
    for (const [actor, series] of panel.unitActors[u]!) {
      const share = sum(series, t - 11, t) / ownTotal;
      if (share === 0) continue;
      actors3 += share * (context.actorMean3.get(actor) ?? 0);
      actors12 += share * (context.actorMean12.get(actor) ?? 0);
    }
  }
  return logRatio(actors3, actors12);
}

/** The feature vector (FEATURE_NAMES order) of unit u at origin t for `targetMonth` (0–11, January = 0). */
export function features(panel: Panel, context: OriginContext, u: number, targetMonth: number): number[] {
  const { t } = context;
  const y = panel.events[u]!;
  const f = panel.fatalities[u]!;
  const quiet = monthsQuiet(y, t);
  const neighbours = panel.neighbours[u] ?? [];
  const around = (values: number[]) =>
    neighbours.length ? neighbours.reduce((acc, v) => acc + (values[v] ?? 0), 0) / neighbours.length : 0;
  const mean12 = mean(y, t - 11, t);
  const fatalities12 = mean(f, t - 11, t);
  const angle = (2 * Math.PI * targetMonth) / 12;
  return [
    logRatio(mean(y, t - 2, t), mean12),
    logRatio(y[t] ?? 0, mean12),
    log1p(mean12),
    logRatio(mean12, mean(y, 0, t)),
    log1p(quiet),
    logRatio(mean(f, t - 2, t), fatalities12),
    log1p(fatalities12),
    logRatio(around(context.unitMean3), around(context.unitMean12)),
    log1p(around(context.unitMean12)),
    logRatio(context.regionMean3, context.regionMean12),
    actorMomentum(panel, context, u),
    Math.sin(angle),
    Math.cos(angle),
  ];
}

export function baselineOffset(x: readonly number[], target: 'events' | 'fatalities'): number {
  const mean12 = Math.expm1(x[MEAN_12_INDEX[target]]!);
  return Math.log(mean12 + 0.1);
}
