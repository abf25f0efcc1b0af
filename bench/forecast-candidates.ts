/**
 * Forecast candidates benchmark: scores the forecasters tried for the district forecast (docs/forecast.md,
 * "What was tried") beside the shipped model (`boosted`), the smoothed level it starts from and the naive
 * baselines, with the same rolling-origin backtest as `sitrep backtest` (panel cut at each origin; same
 * unit-months), then compares the shipped models and each candidate with the smoothed level month by
 * month: a bootstrap over forecast months of the MSE ratio, the ratio without the month of the level's
 * largest error, and per calendar year.
 *
 *   npx tsx bench/forecast-candidates.ts --db acled.duckdb [--from 2022-01] [--horizon 6] [--level admin2]
 *        [--only shrunk_level,province_share] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--cache DIR]
 *
 * Run it again when later months arrive: a model that keeps beating the smoothed level on months nobody
 * looked at when designing it is worth keeping; one that won only on the months it was built on is not.
 */

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type ComparisonForecaster,
  LEVEL_NAME,
  MODEL_NAME,
  type ScoredUnitMonth,
} from '../src/analyse/forecast/backtest.ts';
import {
  type BoostedSelection,
  boostedMeans,
  DEFAULT_SELECTION,
} from '../src/analyse/forecast/boosted-forecast.ts';
import { TARGETS } from '../src/analyse/forecast/forecast.ts';
import {
  buildPanel,
  type ForecastLevel,
  loadPanelRows,
  type Panel,
  type PanelRow,
} from '../src/analyse/forecast/panel.ts';
import { backtestFromStore } from '../src/analyse/forecast/run.ts';
import {
  combinedLevelMeans,
  ewma,
  fitLevelModel,
  LEVEL_GRID,
  levelMeans,
  regionTotal,
  robustLevelMeans,
  trailingMean,
} from '../src/analyse/forecast/smoothed-level.ts';
import { openStore } from '../src/store/open-store.ts';
import { exitWithUsageIfAsked } from './usage.ts';

exitWithUsageIfAsked(import.meta.url);

const flat = (values: readonly number[], horizon: number) =>
  values.map((v) => new Array<number>(horizon).fill(v));
const sumTo = (series: readonly number[], t: number) => series.slice(0, t + 1).reduce((a, b) => a + b, 0);

/** Boosted trees with one selection (trees alone, or a fixed blend), choices by inner validation. */
const boosted =
  (selection: BoostedSelection): ComparisonForecaster =>
  (panel, t, horizon, target) =>
    boostedMeans(panel, t, horizon, target, selection).means;

/**
 * Empirical-Bayes (gamma–Poisson) shrinkage of each district's 12-month mean toward its long-run share
 * of the province's current level (EWMA 0.7): (12·mean_12 + κ·share·province) / (12 + κ), κ = 12 months.
 */
const shrunkLevel: ComparisonForecaster = (panel, t, horizon, target) => {
  const series = panel[target];
  const region = regionTotal(series);
  const total = sumTo(region, t);
  const months = Math.min(12, t + 1);
  const kappa = 12;
  return flat(
    series.map((y) => {
      const share = total > 0 ? sumTo(y, t) / total : 0;
      return (trailingMean(y, t, 12) * months + kappa * share * ewma(region, t, 0.7)) / (months + kappa);
    }),
    horizon,
  );
};

/** The province total's smoothed level, split by each district's 24-month share shrunk toward its long-run share (κ = 20 events). */
const provinceShare: ComparisonForecaster = (panel, t, horizon, target) => {
  const series = panel[target];
  const region = regionTotal(series);
  const province = combinedLevelMeans([region], region, t)[0]!;
  const total = sumTo(region, t);
  const window = Math.min(24, t + 1);
  const recent = series.map((y) => trailingMean(y, t, 24) * window);
  const recentTotal = recent.reduce((a, b) => a + b, 0);
  const kappa = 20;
  return flat(
    series.map((y, u) => {
      const longShare = total > 0 ? sumTo(y, t) / total : 0;
      return (province * (recent[u]! + kappa * longShare)) / (recentTotal + kappa);
    }),
    horizon,
  );
};

/** Fatalities as the events' smoothed level × the district's fatalities per event (24 months, shrunk toward the province's with 10 events). */
const fatalityRatio: ComparisonForecaster = (panel, t, horizon, target) => {
  const events = combinedLevelMeans(panel.events, regionTotal(panel.events), t);
  if (target === 'events') return flat(events, horizon);
  const provinceEvents = trailingMean(regionTotal(panel.events), t, 24);
  const provinceRatio = (trailingMean(regionTotal(panel.fatalities), t, 24) + 0.01) / (provinceEvents + 0.01);
  const k = 10;
  return flat(
    events.map((level, u) => {
      const e = trailingMean(panel.events[u]!, t, 24);
      const f = trailingMean(panel.fatalities[u]!, t, 24);
      const months = Math.min(24, t + 1);
      return (level * (f * months + k * provinceRatio)) / (e * months + k);
    }),
    horizon,
  );
};

/**
 * Fatalities as an events forecast × the district's fatalities per event (24 months, shrunk toward the
 * province's ratio with 10 events); events as the events forecast itself.
 */
const viaFatalityRatio =
  (events: ComparisonForecaster): ComparisonForecaster =>
  (panel, t, horizon, target) => {
    const forecast = events(panel, t, horizon, 'events');
    if (target === 'events') return forecast;
    const provinceEvents = trailingMean(regionTotal(panel.events), t, 24);
    const provinceRatio =
      (trailingMean(regionTotal(panel.fatalities), t, 24) + 0.01) / (provinceEvents + 0.01);
    const months = Math.min(24, t + 1);
    return forecast.map((row, u) => {
      const e = trailingMean(panel.events[u]!, t, 24);
      const f = trailingMean(panel.fatalities[u]!, t, 24);
      const ratio = (f * months + 10 * provinceRatio) / (e * months + 10);
      return row.map((m) => m * ratio);
    });
  };

/** Trees alone (weight 1), the number of trees early-stopped by the inner validation. */
const POISSON_ALONE: BoostedSelection = {
  ...DEFAULT_SELECTION,
  settings: [{}],
  rounds: [0, 10, 25, 50, 100, 200, 400],
  weights: [1],
};
const TWEEDIE_ALONE: BoostedSelection = { ...POISSON_ALONE, settings: [{ power: 1.5 }] };

/** Forecasts kept per panel (one per origin) so combinations reuse their members' fits. */
const memo = new WeakMap<Panel, Map<string, number[][]>>();
const memoised =
  (key: string, forecaster: ComparisonForecaster): ComparisonForecaster =>
  (panel, t, horizon, target) => {
    const cache = memo.get(panel) ?? new Map<string, number[][]>();
    memo.set(panel, cache);
    const k = `${key}|${t}|${horizon}|${target}`;
    let means = cache.get(k);
    if (!means) {
      // --cache DIR keeps members' forecasts across runs (keyed by data, origin month and member), so
      // a new combination of already-run members costs no refit.
      const file = values.cache
        ? join(
            values.cache,
            createHash('sha1')
              .update(
                JSON.stringify([values.db, values.level, values.since, values.until, k, panel.months[t]]),
              )
              .digest('hex'),
          )
        : undefined;
      if (file && existsSync(file)) means = JSON.parse(readFileSync(file, 'utf8')) as number[][];
      else {
        means = forecaster(panel, t, horizon, target);
        if (file) writeFileSync(file, JSON.stringify(means));
      }
      cache.set(k, means);
    }
    return means;
  };
const poissonAlone = memoised('poisson', boosted(POISSON_ALONE));
const tweedieAlone = memoised('tweedie', boosted(TWEEDIE_ALONE));
const level: ComparisonForecaster = (panel, t, horizon, target) =>
  flat(combinedLevelMeans(panel[target], regionTotal(panel[target]), t), horizon);

/** Fixed equal-weight average of member forecasts: no weight is fitted, so none can chase noise. */
const average =
  (...members: ComparisonForecaster[]): ComparisonForecaster =>
  (panel, t, horizon, target) => {
    const all = members.map((m) => m(panel, t, horizon, target));
    return all[0]!.map((row, u) => row.map((_, h) => all.reduce((a, m) => a + m[u]![h]!, 0) / all.length));
  };

/**
 * The smoothed level with a *local* regional factor: the region of a district is the district and its
 * neighbours (adjacency from the boundary polygons) instead of the whole province, so a surge in one
 * corner of the province (Makran) scales the districts there and not the rest. Same grid, equal weights.
 */
const localLevelMeans = (panel: Panel, t: number, target: 'events' | 'fatalities'): number[] => {
  const series = panel[target];
  return series.map((y, u) => {
    const local = regionTotal([y, ...(panel.neighbours[u] ?? []).map((v) => series[v]!)]);
    return LEVEL_GRID.reduce((a, p) => a + levelMeans([y], local, t, p)[0]! / LEVEL_GRID.length, 0);
  });
};
const localLevel: ComparisonForecaster = (panel, t, horizon, target) =>
  flat(localLevelMeans(panel, t, target), horizon);
/** Equal-weight average of the province-factor level (the shipped baseline) and the local-factor level. */
const mixedLevel: ComparisonForecaster = (panel, t, horizon, target) => {
  const local = localLevelMeans(panel, t, target);
  const province = combinedLevelMeans(panel[target], regionTotal(panel[target]), t);
  return flat(
    province.map((m, u) => (m + local[u]!) / 2),
    horizon,
  );
};

/** Direct models per horizon group ({1}, {2, 3}, {4, 5, 6}): each its own trees, selection and blend weight. */
const boostedDirect: ComparisonForecaster = (panel, t, horizon, target) => {
  const means = panel.units.map(() => new Array<number>(horizon).fill(0));
  for (const horizons of [[1], [2, 3], [4, 5, 6]]) {
    if (horizons[0]! > horizon) continue;
    const group = boostedMeans(panel, t, horizon, target, { ...DEFAULT_SELECTION, horizons }).means;
    for (const h of horizons)
      if (h <= horizon)
        group.forEach((row, u) => {
          means[u]![h - 1] = row[h - 1]!;
        });
  }
  return means;
};

/**
 * A local-level (random walk) Kalman filter per district with count noise: the level m moves by a
 * relative step of sd τ a month (variance τ²·m²) and a month's count scatters around it with the NB
 * variance m(1 + α·m), α the smoothed level's one-month-ahead dispersion fitted on the training months.
 * Busy districts (signal ≫ count noise) get a large gain and follow a surge within months; quiet ones
 * a small gain, close to a long mean. Equal-weight average over τ ∈ {0.05, 0.1, 0.2, 0.4}.
 */
const kalmanLevelMeans = (panel: Panel, t: number, target: 'events' | 'fatalities'): number[] => {
  const series = panel[target];
  const alpha = fitLevelModel(series, t, 1).alpha[0]!;
  const taus = [0.05, 0.1, 0.2, 0.4];
  return series.map((y) => {
    let total = 0;
    for (const tau of taus) {
      let m = trailingMean(y.slice(0, Math.min(12, t + 1)), Math.min(11, t), 12) + 0.05;
      let p = m * m;
      for (let i = 0; i <= t; i++) {
        const predicted = p + tau * tau * m * m;
        const noise = m * (1 + alpha * m) + 1e-6;
        const gain = predicted / (predicted + noise);
        m = Math.max(0.01, m + gain * ((y[i] ?? 0) - m));
        p = (1 - gain) * predicted;
      }
      total += m / taus.length;
    }
    return total;
  });
};
const kalmanLevel: ComparisonForecaster = (panel, t, horizon, target) =>
  flat(kalmanLevelMeans(panel, t, target), horizon);
/** Equal-weight average of the smoothed level and the Kalman level. */
const kalmanMixed: ComparisonForecaster = (panel, t, horizon, target) => {
  const k = kalmanLevelMeans(panel, t, target);
  const province = combinedLevelMeans(panel[target], regionTotal(panel[target]), t);
  return flat(
    province.map((m, u) => (m + k[u]!) / 2),
    horizon,
  );
};

/** `robustLevelMeans`: the level with spikes spread over the province by each district's capped level. */
const robustLevel: ComparisonForecaster = (panel, t, horizon, target) =>
  flat(robustLevelMeans(panel[target], t), horizon);

const CANDIDATES: Record<string, ComparisonForecaster> = {
  robust_level: robustLevel,
  boosted_robust: boosted({ ...DEFAULT_SELECTION, robustLevel: true }),
  boosted_bumped_robust: boosted({ ...DEFAULT_SELECTION, robustLevel: true, bootstrap: 100 }),
  kalman_level: kalmanLevel,
  kalman_mixed: kalmanMixed,
  boosted_direct: boostedDirect,
  boosted_bumped: boosted({ ...DEFAULT_SELECTION, bootstrap: 100 }),
  boosted_seeds3: average(
    ...[1, 2, 3].map((seed) =>
      boosted({ ...DEFAULT_SELECTION, settings: DEFAULT_SELECTION.settings.map((o) => ({ ...o, seed })) }),
    ),
  ),
  local_level: localLevel,
  level_mixed: mixedLevel,
  boosted_poisson_alone: poissonAlone,
  boosted_tweedie_alone: tweedieAlone,
  combo3: average(poissonAlone, tweedieAlone, level),
  combo_trees: average(poissonAlone, tweedieAlone),
  combo3_ratio: viaFatalityRatio(average(poissonAlone, tweedieAlone, level)),
  boosted_inner24: boosted({ ...DEFAULT_SELECTION, validationMonths: 24 }),
  components_level: (panel, t, horizon, target) => componentLevel(panel, t, horizon, target),
  boosted_tweedie_half: boosted({
    ...DEFAULT_SELECTION,
    settings: [{ power: 1.5 }],
    rounds: POISSON_ALONE.rounds,
    weights: [0.5],
  }),
  shrunk_level: shrunkLevel,
  province_share: provinceShare,
  fatality_ratio: fatalityRatio,
};

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: process.env.SITREP_DB ?? './sitrep.duckdb' },
    from: { type: 'string', default: '2022-01' },
    horizon: { type: 'string', default: '6' },
    level: { type: 'string', default: 'admin2' },
    only: { type: 'string' },
    /** Directory keeping the combination members' forecasts between runs. */
    cache: { type: 'string' },
    /** First day of events read (YYYY-MM-DD): a long, empty head of the record only slows the trees. */
    since: { type: 'string' },
    /** Last day of events read: scores months before those a candidate was designed on. */
    until: { type: 'string' },
  },
});
const chosen = values.only ? values.only.split(',') : Object.keys(CANDIDATES);
const unknown = chosen.filter((name) => !(name in CANDIDATES));
if (unknown.length)
  throw new Error(`unknown candidate(s) ${unknown.join(', ')}; known: ${Object.keys(CANDIDATES).join(', ')}`);

const cpuSeconds: Record<string, number> = {};
const timed =
  (name: string, forecaster: ComparisonForecaster): ComparisonForecaster =>
  (...args) => {
    const before = process.cpuUsage();
    const means = forecaster(...args);
    const used = process.cpuUsage(before);
    cpuSeconds[name] = (cpuSeconds[name] ?? 0) + (used.user + used.system) / 1e6;
    return means;
  };

/** Squared error per target, model and forecast month. */
const errorByMonth = new Map<string, Map<string, number>>();
const record = (f: ScoredUnitMonth) => {
  const key = `${f.target}|${f.model}`;
  const byMonth = errorByMonth.get(key) ?? new Map<string, number>();
  byMonth.set(f.month, (byMonth.get(f.month) ?? 0) + (f.mean - f.outcome) ** 2);
  errorByMonth.set(key, byMonth);
};

const store = await openStore(values.db);
const eventFilter = {
  ...(values.since ? { from: values.since } : {}),
  ...(values.until ? { to: values.until } : {}),
};
/** Rows per event type, for forecasters that model each type on its own and sum them. */
const typeRows: PanelRow[][] = [];
if (chosen.some((name) => name.startsWith('components'))) {
  const types = await store.query(
    'SELECT DISTINCT event_type FROM events WHERE event_type IS NOT NULL ORDER BY 1',
    [],
  );
  for (const r of types)
    typeRows.push(
      await loadPanelRows(store, values.level as ForecastLevel, {
        ...eventFilter,
        eventTypes: [String(r.event_type)],
      }),
    );
  process.stdout.write(`components: ${types.map((r) => String(r.event_type)).join(', ')}\n`);
}
/** Each type's panel cut at the panel's origin, its series aligned to the panel's units and months. */
function typeSeries(panel: Panel, t: number, target: 'events' | 'fatalities'): number[][][] {
  const origin = panel.months[t]!;
  return typeRows.map((rows) => {
    const typed = buildPanel(rows, origin);
    const unitAt = new Map(typed.units.map((u, i) => [u, i]));
    const offset = panel.months.indexOf(typed.months[0]!);
    return panel.units.map((unit) => {
      const out = new Array<number>(t + 1).fill(0);
      const i = unitAt.get(unit);
      if (i === undefined || offset < 0) return out;
      typed[target][i]!.forEach((v, m) => {
        if (offset + m <= t) out[offset + m] = v;
      });
      return out;
    });
  });
}
/** Sum over event types of each type's smoothed level (its own province factor). */
function componentLevel(panel: Panel, t: number, horizon: number, target: 'events' | 'fatalities') {
  const total = new Array<number>(panel.units.length).fill(0);
  for (const series of typeSeries(panel, t, target))
    combinedLevelMeans(series, regionTotal(series), t).forEach((m, u) => {
      total[u]! += m;
    });
  return flat(total, horizon);
}
const started = performance.now();
let result: Awaited<ReturnType<typeof backtestFromStore>>;
try {
  result = await backtestFromStore(
    store,
    {
      level: values.level as ForecastLevel,
      horizon: Number(values.horizon),
      from: values.from,
      filter: eventFilter,
    },
    {
      comparisons: Object.fromEntries(chosen.map((name) => [name, timed(name, CANDIDATES[name]!)])),
      onForecast: record,
    },
  );
} finally {
  await store.close();
}
const origins = result.origins;
process.stdout.write(
  `Forecast candidates, ${result.level}: ${origins} origins, forecasting ${result.from} … ${result.to}, horizons 1–${result.horizon}; ` +
    `${((performance.now() - started) / 1000).toFixed(0)} s wall, load average ${loadavg()[0]!.toFixed(2)}\n\n`,
);

/** A seeded stream (Park–Miller) so the bootstrap intervals are the same on every run. */
function stream(seed: number) {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
for (const target of TARGETS) {
  const rows = result.rows.filter((r) => r.target === target);
  const mse = (model: string) => rows.find((r) => r.model === model)!.mse;
  process.stdout.write(
    `${target}\n${'model'.padEnd(24)}${['MSE', 'MSLE', 'CRPS', 'cov80', 'vs mean_12', 'vs level'].map((h) => h.padStart(11)).join('')}\n`,
  );
  for (const r of rows) {
    process.stdout.write(
      `${r.model.padEnd(24)}${[r.mse.toFixed(3), r.msle.toFixed(3), r.crps.toFixed(3), r.coverage[80].toFixed(3), pct(r.mse / mse('mean_12') - 1), pct(r.mse / mse(LEVEL_NAME) - 1)].map((v) => v.padStart(11)).join('')}\n`,
    );
  }
  const shipped = errorByMonth.get(`${target}|${LEVEL_NAME}`)!;
  const months = [...shipped.keys()].sort();
  const worst = months.reduce((a, b) => (shipped.get(b)! > shipped.get(a)! ? b : a));
  const years = [...new Set(months.map((m) => m.slice(0, 4)))];
  process.stdout.write(
    `\n  MSE ratio to the smoothed level: all months [90 % bootstrap interval over months] | without ${worst} (its largest month) | by year ${years.join(' / ')}\n`,
  );
  for (const name of [MODEL_NAME, ...chosen]) {
    const candidate = errorByMonth.get(`${target}|${name}`)!;
    const ratio = (list: readonly string[]) =>
      list.reduce((a, m) => a + candidate.get(m)!, 0) / list.reduce((a, m) => a + shipped.get(m)!, 0) - 1;
    const random = stream(1);
    const draws = Array.from({ length: 2000 }, () =>
      ratio(months.map(() => months[Math.floor(random() * months.length)]!)),
    ).sort((a, b) => a - b);
    const byYear = years.map((y) => pct(ratio(months.filter((m) => m.startsWith(y)))));
    process.stdout.write(
      `  ${name.padEnd(22)}${pct(ratio(months))} [${pct(draws[100]!)} … ${pct(draws[1899]!)}] | ${pct(ratio(months.filter((m) => m !== worst)))} | ${byYear.join(' / ')}\n`,
    );
  }
  process.stdout.write('\n');
}
process.stdout.write('CPU per origin (both targets):\n');
for (const name of chosen)
  process.stdout.write(`  ${name.padEnd(22)}${(cpuSeconds[name]! / origins).toFixed(2)} s\n`);
