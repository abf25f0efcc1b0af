import { estimateAlpha } from './model.ts';

/**
 * The smoothed-level forecaster: a district's expected count is its recent level (the mean of its
 * last `window` months) scaled by where the whole region stands now against its own recent level:
 *
 *   μ_u = level_u · ((EWMA_λ(region) + 1) / (mean_window(region) + 1))^β
 *
 * The region's total is far less noisy than any district, so a fast-moving EWMA of it can follow a
 * surge (or a lull) that a district's own 12-month mean would only catch a year later, while each
 * district keeps its long-run share. β = 0 is the district's plain mean. The forecast averages a small
 * grid of (λ, β, window); the NB dispersion of each horizon is the maximum-likelihood α of the
 * combination's own errors on an inner rolling-origin run over the training months alone, so the
 * predictive intervals are as wide as its out-of-sample errors were.
 */
export interface LevelParameters {
  /** Decay per month of the region's EWMA (weight λ^age). */
  decay: number;
  /** Exponent of the regional factor: 0 ignores it, 1 applies it in full. */
  factor: number;
  /** Months in each level's mean. */
  window: number;
}

/** The members of the combination: fast and slow regional factors, one- and two-year levels. */
export const LEVEL_GRID: readonly LevelParameters[] = [12, 24].flatMap((window) =>
  [0.5, 0.7, 0.9].flatMap((decay) => [0, 0.5, 1].map((factor) => ({ decay, factor, window }))),
);

/** The members, named for the forecast's `model.features`: e.g. `mean_12 × region(ewma 0.5 / mean_12)^0.5`. */
export const LEVEL_MEMBER_NAMES: readonly string[] = LEVEL_GRID.map(
  (p) => `mean_${p.window} × region(ewma ${p.decay} / mean_${p.window})^${p.factor}`,
);

/** Inner validation scores origins with at least this many months behind them. */
export const MIN_INNER_HISTORY = 12;

/** Exponentially weighted mean of series[0…t], weight decay^(t − i). */
export function ewma(series: readonly number[], t: number, decay: number): number {
  let weighted = 0;
  let weights = 0;
  let w = 1;
  for (let i = t; i >= 0; i--) {
    weighted += w * (series[i] ?? 0);
    weights += w;
    w *= decay;
  }
  return weights > 0 ? weighted / weights : 0;
}

/** Mean of series over the `window` months ending at t (fewer at the start of the series). */
export function trailingMean(series: readonly number[], t: number, window: number): number {
  const from = Math.max(0, t - window + 1);
  if (t < from) return 0;
  let total = 0;
  for (let i = from; i <= t; i++) total += series[i] ?? 0;
  return total / (t - from + 1);
}

/** Sum of every unit's series, month by month. */
export function regionTotal(series: readonly (readonly number[])[]): number[] {
  const length = Math.max(0, ...series.map((s) => s.length));
  const total = new Array<number>(length).fill(0);
  for (const s of series) for (let i = 0; i < s.length; i++) total[i]! += s[i]!;
  return total;
}

/** Expected count of every unit for any month after origin t (the level is flat in the horizon). */
export function levelMeans(
  series: readonly (readonly number[])[],
  region: readonly number[],
  t: number,
  p: LevelParameters,
): number[] {
  const factor = ((ewma(region, t, p.decay) + 1) / (trailingMean(region, t, p.window) + 1)) ** p.factor;
  return series.map((s) => trailingMean(s, t, p.window) * factor);
}

/**
 * The forecast: the equal-weight average of every grid member's level. Weights fitted to a few years of
 * noisy counts chase noise (choosing one member by inner validation did worse than any fixed choice
 * on the dev data); an equal-weight combination is the robust default of the forecasting literature.
 */
export function combinedLevelMeans(
  series: readonly (readonly number[])[],
  region: readonly number[],
  t: number,
): number[] {
  const total = new Array<number>(series.length).fill(0);
  for (const p of LEVEL_GRID) {
    levelMeans(series, region, t, p).forEach((m, u) => {
      total[u]! += m / LEVEL_GRID.length;
    });
  }
  return total;
}

/**
 * The combined level with spikes spread over the province (a bench candidate, `robust_level`): each
 * district's months are capped at 3·(its 24-month mean + 1) before the level is taken, then every level
 * is scaled by one factor so their total is the uncapped levels' total. Spikes are transient and strike
 * districts at random while their province-wide rate is steady, so their mass is spread by each
 * district's capped level instead of staying where the last one fell.
 */
export function robustLevelMeans(series: readonly (readonly number[])[], t: number): number[] {
  const raw = combinedLevelMeans(series, regionTotal(series), t);
  const capped = series.map((y) => {
    const cap = 3 * (trailingMean(y, t, 24) + 1);
    return y.map((v) => Math.min(v, cap));
  });
  const robust = combinedLevelMeans(capped, regionTotal(capped), t);
  const total = robust.reduce((a, b) => a + b, 0);
  const scale = total > 0 ? raw.reduce((a, b) => a + b, 0) / total : 1;
  return robust.map((m) => m * scale);
}

export interface LevelModel {
  /** Expected count per unit, the same for every horizon. */
  means: number[];
  /** NB dispersion per horizon (index h − 1). */
  alpha: number[];
}

/**
 * The combined level at origin t with its predictive dispersion, from the series up to t alone: the
 * combination forecasts each inner origin s (MIN_INNER_HISTORY − 1 ≤ s < t) for s + 1 … s + horizon ≤ t,
 * and α of horizon h is the maximum-likelihood NB dispersion of those h-month-ahead errors.
 */
export function fitLevelModel(
  series: readonly (readonly number[])[],
  t: number,
  horizon: number,
): LevelModel {
  const region = regionTotal(series);
  const outcomes: number[][] = Array.from({ length: horizon }, () => []);
  const means: number[][] = Array.from({ length: horizon }, () => []);
  for (let s = MIN_INNER_HISTORY - 1; s < t; s++) {
    const m = combinedLevelMeans(series, region, s);
    for (let h = 1; h <= horizon && s + h <= t; h++) {
      series.forEach((y, u) => {
        outcomes[h - 1]!.push(y[s + h] ?? 0);
        means[h - 1]!.push(Math.max(m[u]!, MEAN_FLOOR));
      });
    }
  }
  // A horizon with no inner forecasts borrows the nearest shorter horizon's dispersion.
  const alpha: number[] = [];
  for (let h = 0; h < horizon; h++) {
    const ys = outcomes[h]!;
    alpha.push(ys.length > 0 ? estimateAlpha(ys, means[h]!) : (alpha[h - 1] ?? DEFAULT_ALPHA));
  }
  return { means: combinedLevelMeans(series, region, t), alpha };
}

/**
 * The least expected count given to the predictive distribution: a district quiet for a whole
 * window is not certain to stay quiet, and a point mass at 0 would make any event infinitely surprising.
 */
export const MEAN_FLOOR = 0.02;

/** Dispersion used before any inner forecast can be scored: overdispersed, as conflict counts are. */
const DEFAULT_ALPHA = 1;
