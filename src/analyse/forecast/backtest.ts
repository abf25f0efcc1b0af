import { BASELINE_NAMES, baselineMean } from './baselines.ts';
import { boostedMeans } from './boosted-forecast.ts';
import { baselineOffset, features, originContext } from './features.ts';
import { type ForecastTarget, predictive, TARGETS, trainModels } from './forecast.ts';
import { crpsFromPmf, type Metrics, type ScoredForecast, summarise } from './metrics.ts';
import { predictMean } from './model.ts';
import { MIN_ALPHA, nbPmfTable } from './negative-binomial.ts';
import { buildPanel, lastMonthOf, monthIndex, monthName, type Panel, type PanelRow } from './panel.ts';
import { fitLevelModel, MEAN_FLOOR } from './smoothed-level.ts';

/**
 * A candidate forecaster to score beside the shipped one: expected counts per unit (panel order) and
 * horizon (index h − 1) from the panel cut at origin t. Like the shipped model it is scored with the
 * smoothed level's NB dispersion per horizon, so their CRPS and coverage differ by the means alone.
 */
export type ComparisonForecaster = (
  panel: Panel,
  t: number,
  horizon: number,
  target: ForecastTarget,
) => number[][];

/** One scored forecast, for statistics the summary rows do not give (paired differences, by month). */
export interface ScoredUnitMonth {
  target: ForecastTarget;
  model: string;
  unit: string;
  /** The month forecast (YYYY-MM). */
  month: string;
  horizon: number;
  mean: number;
  outcome: number;
}

export interface BacktestOptions {
  /** First month forecast (YYYY-MM); the first origin is the month before it. */
  from: string;
  horizon: number;
  neighboursOf?: (units: readonly string[]) => number[][];
  /** Extra forecasters scored as rows of their own (not in `improvement`). */
  comparisons?: Record<string, ComparisonForecaster>;
  onForecast?: (forecast: ScoredUnitMonth) => void;
}

export interface BacktestRow extends Metrics {
  target: ForecastTarget;
  model: string;
}

export interface BacktestResult {
  from: string;
  to: string;
  horizon: number;
  origins: number;
  rows: BacktestRow[];
  byHorizon: (BacktestRow & { horizon: number })[];
  /** Per target: how much lower the model's MSE is than the best baseline's, as a share (0.1 = 10 % better). */
  improvement: Record<ForecastTarget, { bestBaseline: string; mseReduction: number }>;
}

/**
 * The forecaster `forecast` uses; the smoothed level alone (the previous forecaster, and the trees'
 * starting point) and the NB regression are scored beside it for comparison.
 */
export const MODEL_NAME = 'boosted';
export const LEVEL_NAME = 'smoothed_level';
export const REGRESSION_NAME = 'negbin';

function score(mean: number, alpha: number, outcome: number): ScoredForecast {
  const { intervals } = predictive(mean, alpha);
  return { mean, outcome, crps: crpsFromPmf(nbPmfTable(mean, alpha, 1e-9, outcome), outcome), intervals };
}

/** Scores a forecast on top of the smoothed level: its mean as the point forecast, NB(max(mean, floor), α) for the rest. */
function scoreLevel(mean: number, alpha: number, outcome: number): ScoredForecast {
  return { ...score(Math.max(mean, MEAN_FLOOR), alpha, outcome), mean };
}

/**
 * Rolling-origin evaluation: for each origin from the month before `from` to the month before the
 * last, the panel is cut at the origin, the models are trained on it alone and forecast 1…horizon
 * months ahead; forecasts are scored against what happened, beside the naive baselines.
 */
export function backtest(rows: readonly PanelRow[], options: BacktestOptions): BacktestResult {
  const neighboursOf = options.neighboursOf;
  const comparisons = Object.entries(options.comparisons ?? {});
  const builtIn: string[] = [MODEL_NAME, LEVEL_NAME, REGRESSION_NAME, ...BASELINE_NAMES];
  const clash = comparisons.find(([name]) => builtIn.includes(name));
  if (clash) throw new Error(`comparison "${clash[0]}" has the name of a model the backtest already scores`);
  if (rows.length === 0) throw new Error('no events to backtest on');
  const lastMonth = lastMonthOf(rows);
  const full = buildPanel(rows, lastMonth, neighboursOf);
  const fullUnit = new Map(full.units.map((u, i) => [u, i]));
  const fullStart = monthIndex(full.months[0]!);
  const last = monthIndex(lastMonth);
  const firstOrigin = Math.max(monthIndex(options.from) - 1, fullStart + 3);
  if (firstOrigin >= last)
    throw new Error(`no months to score after ${options.from} (data end ${lastMonth})`);

  const scored = new Map<string, ScoredForecast[]>();
  const push = (
    where: { target: ForecastTarget; unit: string; month: string },
    model: string,
    h: number,
    forecast: ScoredForecast,
  ) => {
    const { target } = where;
    options.onForecast?.({ ...where, model, horizon: h, mean: forecast.mean, outcome: forecast.outcome });
    for (const key of [`${target}|${model}|0`, `${target}|${model}|${h}`]) {
      const list = scored.get(key);
      if (list) list.push(forecast);
      else scored.set(key, [forecast]);
    }
  };

  let previous: ReturnType<typeof trainModels> | undefined;
  for (let origin = firstOrigin; origin < last; origin++) {
    const panel = buildPanel(rows, monthName(origin), neighboursOf);
    const t = panel.months.length - 1;
    const horizon = Math.min(options.horizon, last - origin);
    const models = trainModels(panel, options.horizon, previous);
    previous = models;
    const context = originContext(panel, t);
    const level = {
      events: fitLevelModel(panel.events, t, options.horizon),
      fatalities: fitLevelModel(panel.fatalities, t, options.horizon),
    };
    const boosted = {
      events: boostedMeans(panel, t, options.horizon, 'events').means,
      fatalities: boostedMeans(panel, t, options.horizon, 'fatalities').means,
    };
    const compared = comparisons.map(([name, forecaster]) => ({
      name,
      events: forecaster(panel, t, options.horizon, 'events'),
      fatalities: forecaster(panel, t, options.horizon, 'fatalities'),
    }));
    for (let u = 0; u < panel.units.length; u++) {
      const uf = fullUnit.get(panel.units[u]!)!;
      const unit = panel.units[u]!;
      for (let h = 1; h <= horizon; h++) {
        const month = monthName(origin + h);
        const x = features(panel, context, u, (origin + h) % 12);
        const at = origin + h - fullStart;
        for (const target of TARGETS) {
          const where = { target, unit, month };
          const outcome = full[target][uf]![at]!;
          const model = models[target][h - 1]!;
          push(
            where,
            REGRESSION_NAME,
            h,
            score(predictMean(model, x, baselineOffset(x, target)), model.alpha, outcome),
          );
          const { means, alpha } = level[target];
          push(where, MODEL_NAME, h, scoreLevel(boosted[target][u]![h - 1]!, alpha[h - 1]!, outcome));
          push(where, LEVEL_NAME, h, scoreLevel(means[u]!, alpha[h - 1]!, outcome));
          for (const c of compared)
            push(where, c.name, h, scoreLevel(c[target][u]![h - 1]!, alpha[h - 1]!, outcome));
          for (const name of BASELINE_NAMES) {
            push(where, name, h, score(baselineMean(panel, target, name, u, t), MIN_ALPHA, outcome));
          }
        }
      }
    }
  }

  const rowsOut: BacktestRow[] = [];
  const byHorizon: BacktestResult['byHorizon'] = [];
  for (const target of TARGETS) {
    for (const model of [
      MODEL_NAME,
      LEVEL_NAME,
      REGRESSION_NAME,
      ...comparisons.map(([name]) => name),
      ...BASELINE_NAMES,
    ]) {
      rowsOut.push({ target, model, ...summarise(scored.get(`${target}|${model}|0`) ?? []) });
      for (let h = 1; h <= options.horizon; h++) {
        const list = scored.get(`${target}|${model}|${h}`);
        if (list) byHorizon.push({ target, model, horizon: h, ...summarise(list) });
      }
    }
  }
  const improvement = {} as BacktestResult['improvement'];
  for (const target of TARGETS) {
    const baselines = rowsOut.filter(
      (r) => r.target === target && (BASELINE_NAMES as string[]).includes(r.model),
    );
    const best = baselines.reduce((a, b) => (b.mse < a.mse ? b : a));
    const model = rowsOut.find((r) => r.target === target && r.model === MODEL_NAME)!;
    improvement[target] = { bestBaseline: best.model, mseReduction: 1 - model.mse / best.mse };
  }
  return {
    from: monthName(firstOrigin + 1),
    to: lastMonth,
    horizon: options.horizon,
    origins: last - firstOrigin,
    rows: rowsOut,
    byHorizon,
    improvement,
  };
}
