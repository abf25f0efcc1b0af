/**
 * Scores for count forecasts. A forecast is a predictive distribution over 0, 1, 2, … given as its
 * probability table; a point forecast is the distribution with all its mass on one value.
 */

/**
 * Continuous ranked probability score of a distribution over the non-negative integers for outcome y:
 * Σ_k (F(k) − 1{k ≥ y})², exact for integer outcomes (F is a step function between integers).
 * For a point mass at m it equals |y − m|.
 */
export function crpsFromPmf(probs: readonly number[], y: number): number {
  let cumulative = 0;
  let total = 0;
  const last = Math.max(probs.length - 1, y);
  for (let k = 0; k <= last; k++) {
    cumulative += probs[k] ?? 0;
    const step = k >= y ? 1 : 0;
    total += (Math.min(cumulative, 1) - step) ** 2;
  }
  return total;
}

/** CRPS of a point forecast (a non-integer mean is treated as the point itself): |y − m|. */
export function crpsPoint(m: number, y: number): number {
  return Math.abs(y - m);
}

export interface ScoredForecast {
  /** Expected value. */
  mean: number;
  outcome: number;
  crps: number;
  /** Central intervals by nominal coverage (50, 80, 95). */
  intervals: Record<IntervalLevel, [number, number]>;
}

export const INTERVAL_LEVELS = [50, 80, 95] as const;
export type IntervalLevel = (typeof INTERVAL_LEVELS)[number];

export interface Metrics {
  n: number;
  mse: number;
  msle: number;
  mae: number;
  crps: number;
  /** Share of outcomes inside each central interval. */
  coverage: Record<IntervalLevel, number>;
}

/** Mean squared error, mean squared log error (log1p), MAE, CRPS and interval coverage over many forecasts. */
export function summarise(forecasts: readonly ScoredForecast[]): Metrics {
  const n = forecasts.length;
  let se = 0;
  let sle = 0;
  let ae = 0;
  let crps = 0;
  const inside: Record<IntervalLevel, number> = { 50: 0, 80: 0, 95: 0 };
  for (const f of forecasts) {
    se += (f.mean - f.outcome) ** 2;
    sle += (Math.log1p(Math.max(f.mean, 0)) - Math.log1p(f.outcome)) ** 2;
    ae += Math.abs(f.mean - f.outcome);
    crps += f.crps;
    for (const level of INTERVAL_LEVELS) {
      const [low, high] = f.intervals[level];
      if (f.outcome >= low && f.outcome <= high) inside[level]++;
    }
  }
  const div = (x: number) => (n === 0 ? Number.NaN : x / n);
  return {
    n,
    mse: div(se),
    msle: div(sle),
    mae: div(ae),
    crps: div(crps),
    coverage: { 50: div(inside[50]), 80: div(inside[80]), 95: div(inside[95]) },
  };
}
