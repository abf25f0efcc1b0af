import { boostedMeans } from './boosted-forecast.ts';
import { baselineOffset, features, originContext } from './features.ts';
import { INTERVAL_LEVELS, type IntervalLevel } from './metrics.ts';
import { fitNegativeBinomial, type NegBinModel } from './model.ts';
import { nbPmfTable } from './negative-binomial.ts';
import { monthIndex, monthName, type Panel } from './panel.ts';
import { fitLevelModel, MEAN_FLOOR } from './smoothed-level.ts';

export type ForecastTarget = 'events' | 'fatalities';
export const TARGETS: ForecastTarget[] = ['events', 'fatalities'];

/** Origins need this many months of history before they can train a model. */
const FIRST_TRAINING_ORIGIN = 2;
/**
 * Ridge penalty on the standardised coefficients and the intercept: a prior centred on the naive
 * forecast (the offset), worth about a hundred observations. Chosen for robustness (small panels, a
 * few years of monthly data), not tuned on the evaluation months; see docs/forecast.md.
 */
export const RIDGE = 100;

export interface Prediction {
  mean: number;
  /** NB parameters of the predictive distribution. */
  alpha: number;
  median: number;
  intervals: Record<IntervalLevel, [number, number]>;
}

export interface UnitForecast {
  unit: string;
  month: string;
  horizon: number;
  events: Prediction;
  fatalities: Prediction;
}

function cumulativeOf(probs: readonly number[]): number[] {
  const cumulative: number[] = [];
  let running = 0;
  for (const p of probs) {
    running += p;
    cumulative.push(running);
  }
  return cumulative;
}

/**
 * Central intervals of a count distribution given as its probability table. Counts are discrete, so
 * the quantile interval [q((1−c)/2), q((1+c)/2)] usually holds much more than c of the mass (with
 * P(0) = 0.9 the 80 % interval [0, 1] holds 0.97); it is narrowed from either end while that brings
 * its mass closer to c, so the interval's mass, and hence its long-run coverage, is as near c as the
 * distribution allows.
 */
export function centralInterval(
  probs: readonly number[],
  level: number,
  within: [number, number] = [0, Number.POSITIVE_INFINITY],
): [number, number] {
  const cumulative = cumulativeOf(probs);
  const quantile = (q: number) => {
    const k = cumulative.findIndex((c) => c >= q - 1e-12);
    return k === -1 ? probs.length - 1 : k;
  };
  const mass = (lo: number, hi: number) => cumulative[hi]! - (lo > 0 ? cumulative[lo - 1]! : 0);
  // Narrower intervals stay inside wider ones (within), so 50 % ⊆ 80 % ⊆ 95 % always holds.
  let lo = Math.max(quantile((1 - level) / 2), within[0]);
  let hi = Math.min(quantile((1 + level) / 2), within[1]);
  if (lo > hi) lo = hi = Math.min(Math.max(quantile(0.5), within[0]), within[1]);
  for (;;) {
    const now = Math.abs(mass(lo, hi) - level);
    const up = lo < hi ? Math.abs(mass(lo + 1, hi) - level) : Number.POSITIVE_INFINITY;
    const down = lo < hi ? Math.abs(mass(lo, hi - 1) - level) : Number.POSITIVE_INFINITY;
    if (Math.min(up, down) >= now) return [lo, hi];
    if (up < down) lo++;
    else hi--;
  }
}

/** Mean, median and central intervals of NB(μ, α). */
export function predictive(mean: number, alpha: number): Prediction {
  return predictionOf(nbPmfTable(mean, alpha, 1e-6), mean, alpha);
}

/** Median and nested central intervals of a count distribution given as its probability table. */
function predictionOf(probs: readonly number[], mean: number, alpha: number): Prediction {
  const intervals = {} as Record<IntervalLevel, [number, number]>;
  let within: [number, number] = [0, Number.POSITIVE_INFINITY];
  for (const level of [...INTERVAL_LEVELS].reverse()) {
    intervals[level] = centralInterval(probs, level / 100, within);
    within = intervals[level];
  }
  const median = cumulativeOf(probs).findIndex((c) => c >= 0.5);
  return { mean, alpha, median: median === -1 ? probs.length - 1 : median, intervals };
}

const calendarMonth = (panel: Panel, t: number) => (monthIndex(panel.months[0]!) + t) % 12;

/**
 * Direct multi-horizon models: one NB regression per horizon h and target, trained on every
 * (unit, origin t) pair of the panel whose target month t + h is inside the panel. The panel ends at
 * the forecast origin, so training never sees a month after it.
 */
export function trainModels(
  panel: Panel,
  horizon: number,
  previous?: Record<ForecastTarget, NegBinModel[]>,
): Record<ForecastTarget, NegBinModel[]> {
  const last = panel.months.length - 1;
  const xs: number[][][] = Array.from({ length: horizon }, () => []);
  const ys: Record<ForecastTarget, number[][]> = {
    events: Array.from({ length: horizon }, () => []),
    fatalities: Array.from({ length: horizon }, () => []),
  };
  for (let t = FIRST_TRAINING_ORIGIN; t < last; t++) {
    const context = originContext(panel, t);
    for (let h = 1; h <= horizon && t + h <= last; h++) {
      const month = calendarMonth(panel, t + h);
      for (let u = 0; u < panel.units.length; u++) {
        xs[h - 1]!.push(features(panel, context, u, month));
        ys.events[h - 1]!.push(panel.events[u]![t + h]!);
        ys.fatalities[h - 1]!.push(panel.fatalities[u]![t + h]!);
      }
    }
  }
  const fit = (target: ForecastTarget) =>
    xs.map((_, i) => {
      // Too little history for this horizon: borrow the nearest shorter horizon's rows.
      let k = i;
      while (k > 0 && xs[k]!.length === 0) k--;
      if (xs[k]!.length === 0) throw new Error(`not enough history to train (${panel.months.length} months)`);
      return fitNegativeBinomial(
        xs[k]!,
        ys[target][k]!,
        { ridge: RIDGE, penaliseIntercept: true, ...(previous ? { start: previous[target][i]! } : {}) },
        xs[k]!.map((row) => baselineOffset(row, target)),
      );
    });
  return { events: fit('events'), fatalities: fit('fatalities') };
}

/**
 * Forecasts every unit for the `horizon` months after the panel's last month: boosted trees over the
 * smoothed level, blended with it as inner validation on the training months decides (the level alone
 * when trees did not help there; see boosted-forecast.ts and docs/forecast.md). The predictive NB
 * dispersion per horizon is the smoothed level's, fitted to its own inner out-of-sample errors.
 */
export function forecastPanel(panel: Panel, horizon: number): UnitForecast[] {
  const t = panel.months.length - 1;
  const dispersion = {
    events: fitLevelModel(panel.events, t, horizon).alpha,
    fatalities: fitLevelModel(panel.fatalities, t, horizon).alpha,
  };
  const means = {
    events: boostedMeans(panel, t, horizon, 'events').means,
    fatalities: boostedMeans(panel, t, horizon, 'fatalities').means,
  };
  const start = monthIndex(panel.months[0]!);
  const out: UnitForecast[] = [];
  for (let u = 0; u < panel.units.length; u++) {
    for (let h = 1; h <= horizon; h++) {
      out.push({
        unit: panel.units[u]!,
        month: monthName(start + t + h),
        horizon: h,
        events: levelPrediction(means.events[u]![h - 1]!, dispersion.events[h - 1]!),
        fatalities: levelPrediction(means.fatalities[u]![h - 1]!, dispersion.fatalities[h - 1]!),
      });
    }
  }
  return out;
}

/** The forecast as the expected count; NB(max(mean, floor), α) for the median and intervals. */
export function levelPrediction(mean: number, alpha: number): Prediction {
  return { ...predictive(Math.max(mean, MEAN_FLOOR), alpha), mean };
}

/** P(A + B = k) for independent counts A and B given as probability tables. */
function convolve(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) {
    const pa = a[i]!;
    if (pa === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j]! += pa * b[j]!;
  }
  return out;
}

/**
 * Multiply-adds the exact convolution may spend on one total. The fatalities' dispersion is large
 * (α ≈ 76 at district level on the ACLED extract), so a district's table runs to thousands of counts
 * and 90 districts convolved exactly took 20 s for six months; past this budget the moment-matched NB
 * is used instead.
 */
const CONVOLUTION_BUDGET = 20_000_000;

/**
 * The predictive distribution of a sum of unit forecasts (the whole filter's provinces or districts),
 * taking the units as independent given their means. The mean is the sum of the units' means. The
 * median and intervals come from the exact distribution of the sum — the convolution of the units'
 * NB(max(μ, floor), α) probability tables, each cut where its tail falls below 1e-9 — or, when that
 * would cost more than `CONVOLUTION_BUDGET`, from the NB with the sum's mean and variance
 * (moment-matched; `alpha` is that NB's dispersion either way). Summing the units' interval ends
 * instead is not the total's interval: a sum of quantiles is not the quantile of the sum. Busy units
 * make it far too wide (all would have to sit near their upper ends in the same month); many quiet
 * units, each with an 80 % interval of [0, 0], make it too narrow.
 *
 * @example totalPrediction([predictive(3, 0.5), predictive(4, 0.5)]).intervals[80]
 */
export function totalPrediction(units: readonly Pick<Prediction, 'mean' | 'alpha'>[]): Prediction {
  let mean = 0;
  let floored = 0;
  let variance = 0;
  const tables: number[][] = [];
  let length = 1;
  let work = 0;
  for (const unit of units) {
    const mu = Math.max(unit.mean, MEAN_FLOOR);
    mean += unit.mean;
    floored += mu;
    variance += mu + unit.alpha * mu * mu;
    if (work > CONVOLUTION_BUDGET) continue;
    const table = nbPmfTable(mu, unit.alpha, 1e-9);
    work += length * table.length;
    length += table.length - 1;
    tables.push(table);
  }
  const alpha = floored > 0 ? Math.max(0, (variance - floored) / (floored * floored)) : 0;
  if (work > CONVOLUTION_BUDGET) return { ...predictive(floored, alpha), mean };
  return predictionOf(tables.reduce(convolve, [1]), mean, alpha);
}

/** Per month, the forecast of the units' total: expected value and intervals of the sum. */
export interface TotalForecast {
  month: string;
  horizon: number;
  events: Prediction;
  fatalities: Prediction;
}

/** The forecasts of every unit summed per month, as `totalPrediction` defines the sum. */
export function totalForecasts(forecasts: readonly UnitForecast[]): TotalForecast[] {
  const byMonth = new Map<string, UnitForecast[]>();
  for (const f of forecasts) byMonth.set(f.month, [...(byMonth.get(f.month) ?? []), f]);
  return [...byMonth.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, units]) => ({
      month,
      horizon: units[0]!.horizon,
      events: totalPrediction(units.map((u) => u.events)),
      fatalities: totalPrediction(units.map((u) => u.fatalities)),
    }));
}
