import { type BoostingOptions, fitBoostedTrees, predictBoosted } from './boosted-trees.ts';
import type { ForecastTarget } from './forecast.ts';
import type { Panel } from './panel.ts';
import { seededRandom } from './seeded-random.ts';
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
  /**
   * Bagged selection ("bumping"): when set, the choice is made on this many bootstrap resamples of the
   * inner validation's target months, and the forecast averages the forecasts of every resample's winner
   * (an argmin over 60 settings on 12 noisy months is itself noisy; averaging the winners over
   * resamples steadies it). Unset: the single argmin on all inner months.
   */
  bootstrap?: number;
  /** Direct model: fit, validate and forecast these horizons only (the others keep the level). */
  horizons?: readonly number[];
  /** Start from (and blend with) the spike-spread level `robustLevelMeans` instead of the smoothed level. */
  robustLevel?: boolean;
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
      rows = treeFeatureRows(panel, s, horizon, target, selection.robustLevel);
      const only = selection.horizons;
      if (only) rows = rows.filter((row) => only.includes(row.horizon));
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
  const months = Math.max(1, t - cut);
  /** Squared error per settings, number of trees, weight and inner target month (index s + h − cut − 1). */
  const errors = selection.settings.map((settings) => {
    const model = fitBoostedTrees(inner.x, inner.y, inner.offsets, {
      ...settings,
      rounds: Math.max(...selection.rounds),
    });
    const byMonth = selection.rounds.map(() => selection.weights.map(() => new Float64Array(months)));
    for (let s = Math.max(cut, FIRST_ROW_ORIGIN); s < t; s++) {
      for (const row of rowsOf(s)) {
        const m = s + row.horizon - cut - 1;
        if (s + row.horizon > t || m < 0) continue;
        const y = outcome(s, row);
        selection.rounds.forEach((rounds, i) => {
          const trees = predictBoosted(model, row.x, offsetOf(row), rounds);
          selection.weights.forEach((weight, j) => {
            byMonth[i]![j]![m]! += (weight * trees + (1 - weight) * row.level - y) ** 2;
          });
        });
      }
    }
    return byMonth;
  });
  /** The least weighted error (month weights = how often each month is drawn); ties keep the simpler. */
  const argmin = (monthWeights: ArrayLike<number>) => {
    let best = { error: Number.POSITIVE_INFINITY, settings: 0, rounds: 0, weight: 0 };
    errors.forEach((byMonth, index) => {
      selection.rounds.forEach((rounds, i) => {
        selection.weights.forEach((weight, j) => {
          const perMonth = byMonth[i]![j]!;
          let error = 0;
          for (let m = 0; m < months; m++) error += monthWeights[m]! * perMonth[m]!;
          // Ties keep the earlier (simpler) candidate: fewer trees, less weight on them.
          if (error < best.error - 1e-9) best = { error, settings: index, rounds, weight };
        });
      });
    });
    return best;
  };
  const best = argmin(new Float64Array(months).fill(1));
  /** The winners (of each bootstrap draw, or the single one) with their share of the forecast. */
  const winners: { settings: number; rounds: number; weight: number; share: number }[] = [];
  if (selection.bootstrap) {
    const random = seededRandom(1);
    const draws = selection.bootstrap;
    for (let b = 0; b < draws; b++) {
      const counts = new Float64Array(months);
      for (let m = 0; m < months; m++) counts[Math.floor(random() * months)]! += 1;
      const win = argmin(counts);
      if (win.weight > 0) winners.push({ ...win, share: 1 / draws });
    }
  } else if (best.weight > 0) winners.push({ ...best, share: 1 });
  if (winners.length === 0) return levelOnly();
  const all = trainingSet(t);
  const means = panel.units.map(() => new Array<number>(horizon).fill(0));
  const rows = rowsOf(t);
  for (const row of rows) means[row.unit]![row.horizon - 1] = row.level;
  selection.settings.forEach((settings, index) => {
    const mine = winners.filter((w) => w.settings === index);
    if (mine.length === 0) return;
    // One fit per objective: the first k trees of a fit are the fit with k trees (same subsamples).
    const model = fitBoostedTrees(all.x, all.y, all.offsets, {
      ...settings,
      rounds: Math.max(...mine.map((w) => w.rounds)),
    });
    for (const row of rows) {
      for (const w of mine) {
        const trees = predictBoosted(model, row.x, offsetOf(row), w.rounds);
        means[row.unit]![row.horizon - 1]! += w.share * w.weight * (trees - row.level);
      }
    }
  });
  return { means, choice: { settings: best.settings, rounds: best.rounds, weight: best.weight } };
}
