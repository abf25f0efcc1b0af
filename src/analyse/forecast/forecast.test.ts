import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Area, adjacentAreas, unitNeighbours } from './adjacency.ts';
import { backtest, LEVEL_NAME, MODEL_NAME, REGRESSION_NAME, type ScoredUnitMonth } from './backtest.ts';
import { BASELINE_NAMES, BASELINES, baselineMean } from './baselines.ts';
import { centralInterval, forecastPanel, predictive } from './forecast.ts';
import { crpsFromPmf, summarise } from './metrics.ts';
import { fitNegativeBinomial, predictMean } from './model.ts';
import { MIN_ALPHA, nbPmfTable, nbQuantile } from './negative-binomial.ts';
import { buildPanel } from './panel.ts';
import { drawNegBin, random, simulatedRows } from './test-panel.ts';

describe('metrics', () => {
  test('CRPS of a Bernoulli(p) forecast is p² for 0 and (1 − p)² for 1', () => {
    assert.ok(Math.abs(crpsFromPmf([0.7, 0.3], 0) - 0.09) < 1e-12);
    assert.ok(Math.abs(crpsFromPmf([0.7, 0.3], 1) - 0.49) < 1e-12);
  });

  test('CRPS of a point mass is the absolute error, outcome beyond the table included', () => {
    assert.equal(crpsFromPmf([0, 0, 1], 5), 3);
    assert.equal(crpsFromPmf([0, 0, 1], 0), 2);
  });

  test('CRPS of a Poisson forecast equals E|X − y| − ½ E|X − X′|', () => {
    const probs = nbPmfTable(2.5, MIN_ALPHA, 1e-14);
    for (const y of [0, 2, 7]) {
      let first = 0;
      let second = 0;
      probs.forEach((p, i) => {
        first += p * Math.abs(i - y);
        probs.forEach((q, j) => {
          second += p * q * Math.abs(i - j);
        });
      });
      assert.ok(Math.abs(crpsFromPmf(probs, y) - (first - second / 2)) < 1e-9, `y = ${y}`);
    }
  });

  test('summarise gives MSE, MSLE and coverage', () => {
    const m = summarise([
      { mean: 1, outcome: 3, crps: 1, intervals: { 50: [1, 2], 80: [0, 3], 95: [0, 4] } },
      { mean: 0, outcome: 0, crps: 0, intervals: { 50: [0, 0], 80: [0, 0], 95: [0, 1] } },
    ]);
    assert.equal(m.mse, 2);
    assert.ok(Math.abs(m.msle - (Math.log(2) - Math.log(4)) ** 2 / 2) < 1e-12);
    assert.deepEqual(m.coverage, { 50: 0.5, 80: 1, 95: 1 });
  });
});

describe('negative binomial', () => {
  test('the probability table has mean μ and variance μ + αμ²', () => {
    const probs = nbPmfTable(4, 0.5, 1e-12);
    const mean = probs.reduce((a, p, k) => a + p * k, 0);
    const variance = probs.reduce((a, p, k) => a + p * (k - mean) ** 2, 0);
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    assert.ok(Math.abs(mean - 4) < 1e-6);
    assert.ok(Math.abs(variance - 12) < 1e-4);
    assert.equal(nbQuantile(0.5, 4, 0.5) <= nbQuantile(0.9, 4, 0.5), true);
  });

  test('central intervals hold a mass near the level, not far above it', () => {
    assert.deepEqual(centralInterval([0.9, 0.08, 0.02], 0.8), [0, 0]);
    const probs = nbPmfTable(10, 0.1, 1e-9);
    const [lo, hi] = centralInterval(probs, 0.8);
    const mass = probs.slice(lo, hi + 1).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(mass - 0.8) < 0.06, `mass ${mass}`);
  });

  test('50 % ⊆ 80 % ⊆ 95 % for any mean and dispersion', () => {
    for (let mean = 0.05; mean < 80; mean *= 1.15) {
      for (const alpha of [MIN_ALPHA, 0.3, 1, 4]) {
        const { intervals: i } = predictive(mean, alpha);
        assert.ok(i[95][0] <= i[80][0] && i[80][0] <= i[50][0] && i[50][0] <= i[50][1], `${mean} ${alpha}`);
        assert.ok(i[50][1] <= i[80][1] && i[80][1] <= i[95][1], `${mean} ${alpha}`);
      }
    }
  });

  test('IRLS recovers simulated coefficients and dispersion', () => {
    const next = random(3);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const a = next() * 2 - 1;
      const b = next() * 2 - 1;
      x.push([a, b]);
      y.push(drawNegBin(next, Math.exp(1 + 0.8 * a - 0.5 * b), 2));
    }
    const model = fitNegativeBinomial(x, y, { ridge: 1e-6 });
    const at = (a: number, b: number) => Math.log(predictMean(model, [a, b]));
    assert.ok(Math.abs(at(0, 0) - 1) < 0.08, `intercept ${at(0, 0)}`);
    assert.ok(Math.abs(at(1, 0) - at(0, 0) - 0.8) < 0.1, `slope a ${at(1, 0) - at(0, 0)}`);
    assert.ok(Math.abs(at(0, 1) - at(0, 0) + 0.5) < 0.1, `slope b ${at(0, 1) - at(0, 0)}`);
    assert.ok(Math.abs(model.alpha - 0.5) < 0.12, `alpha ${model.alpha}`);
  });
});

describe('baselines', () => {
  test('zero, last month and the mean of the last 12 months', () => {
    const series = [9, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    assert.equal(BASELINES.zero(), 0);
    assert.equal(BASELINES.last_month(series, 13), 12);
    assert.equal(BASELINES.mean_12(series, 13), 6.5);
    assert.equal(BASELINES.mean_12(series, 1), 9);
  });
});

describe('adjacency', () => {
  const square = (name: string, x: number, y: number): Area => ({
    name,
    rings: [
      [
        [x, y],
        [x + 1, y],
        [x + 1, y + 1],
        [x, y + 1],
        [x, y],
      ],
    ],
    bbox: [x, y, x + 1, y + 1],
  });
  test('areas sharing an edge are neighbours, distant ones are not', () => {
    const areas = [square('A', 0, 0), square('B', 1, 0), square('C', 5, 5)];
    const pairs = adjacentAreas(areas);
    assert.ok(pairs.has('A\u0000B') && pairs.has('B\u0000A'));
    assert.ok(!pairs.has('A\u0000C'));
    const units = [
      { name: 'a', latitude: null, longitude: null },
      { name: 'New district', latitude: 0.5, longitude: 1.5 },
      { name: 'c', latitude: null, longitude: null },
    ];
    assert.deepEqual(unitNeighbours(units, areas), [[1], [0], []]);
  });
});

describe('forecasting', () => {
  const rows = simulatedRows();

  test('a forecast at origin T never reads data after T', () => {
    const origin = '2022-06';
    const neighbours = (units: readonly string[]) => units.map((_, i) => (i > 0 ? [i - 1] : []));
    const before = forecastPanel(buildPanel(rows, origin, neighbours), 3);
    // Rewrite the future: multiply every later count, add a new unit and a new actor after T.
    const future = rows.map((r) =>
      r.month > origin ? { ...r, events: r.events * 5 + 3, fatalities: 99 } : r,
    );
    future.push({ unit: 'D9', month: '2022-07', actor: 'Newcomers', events: 40, fatalities: 40 });
    const after = forecastPanel(buildPanel(future, origin, neighbours), 3);
    assert.deepEqual(after, before);
    assert.equal(before.length, 6 * 3);
    // …while changing the past does change it, so the comparison can fail.
    const past = rows.map((r) => (r.month === origin ? { ...r, events: r.events + 20 } : r));
    assert.notDeepEqual(forecastPanel(buildPanel(past, origin, neighbours), 3), before);
  });

  test('forecasts give expected counts with nested 50 / 80 / 95 % intervals', () => {
    const forecasts = forecastPanel(buildPanel(rows, '2022-12'), 6);
    assert.deepEqual(
      [...new Set(forecasts.map((f) => f.month))],
      ['2023-01', '2023-02', '2023-03', '2023-04', '2023-05', '2023-06'],
    );
    for (const f of forecasts) {
      for (const p of [f.events, f.fatalities]) {
        assert.ok(Number.isFinite(p.mean) && p.mean >= 0);
        assert.ok(p.intervals[95][0] <= p.intervals[80][0] && p.intervals[80][0] <= p.intervals[50][0]);
        assert.ok(p.intervals[50][1] <= p.intervals[80][1] && p.intervals[80][1] <= p.intervals[95][1]);
      }
    }
    const busy = forecasts.find((f) => f.unit === 'D0')!.events.mean;
    const quiet = forecasts.find((f) => f.unit === 'D5')!.events.mean;
    assert.ok(busy > quiet * 3, `busy ${busy} vs quiet ${quiet}`);
  });

  test('the backtest scores the model and every baseline on the same forecasts', () => {
    const result = backtest(rows, { from: '2022-07', horizon: 3 });
    assert.equal(result.from, '2022-07');
    assert.equal(result.to, '2022-12');
    const events = result.rows.filter((r) => r.target === 'events');
    assert.deepEqual(
      events.map((r) => r.model),
      [MODEL_NAME, LEVEL_NAME, REGRESSION_NAME, ...BASELINE_NAMES],
    );
    const n = events[0]!.n;
    // 6 origins, horizons 1–3 cut at the data's end: 3 + 3 + 3 + 3 + 2 + 1 = 15 per unit.
    assert.equal(n, 15 * 6);
    assert.ok(events.every((r) => r.n === n));
    const zero = events.find((r) => r.model === 'zero')!;
    assert.ok(Math.abs(zero.crps - zero.mae) < 1e-9, 'a point mass at 0 has CRPS = |y|');
    const model = events.find((r) => r.model === MODEL_NAME)!;
    const best = events
      .filter((r) => (BASELINE_NAMES as string[]).includes(r.model))
      .reduce((a, b) => (b.mse < a.mse ? b : a));
    assert.equal(result.improvement.events.bestBaseline, best.model);
    assert.ok(Math.abs(result.improvement.events.mseReduction - (1 - model.mse / best.mse)) < 1e-12);
  });

  test('a comparison forecaster is scored on the same forecasts as the rest and reported one by one', () => {
    const seen: ScoredUnitMonth[] = [];
    const result = backtest(rows, {
      from: '2022-07',
      horizon: 3,
      comparisons: {
        year_mean_again: (panel, t, horizon, target) =>
          panel.units.map((_, u) => new Array(horizon).fill(baselineMean(panel, target, 'mean_12', u, t))),
      },
      onForecast: (f) => seen.push(f),
    });
    const events = result.rows.filter((r) => r.target === 'events');
    assert.deepEqual(
      events.map((r) => r.model),
      [MODEL_NAME, LEVEL_NAME, REGRESSION_NAME, 'year_mean_again', ...BASELINE_NAMES],
    );
    const again = events.find((r) => r.model === 'year_mean_again')!;
    const baseline = events.find((r) => r.model === 'mean_12')!;
    assert.ok(Math.abs(again.mse - baseline.mse) < 1e-12);
    assert.equal(again.n, baseline.n);
    const mine = seen.filter((f) => f.target === 'events' && f.model === 'year_mean_again');
    assert.equal(mine.length, again.n);
    const mse = mine.reduce((a, f) => a + (f.mean - f.outcome) ** 2, 0) / mine.length;
    assert.ok(Math.abs(mse - again.mse) < 1e-12);
    assert.deepEqual([...new Set(mine.map((f) => f.month))].sort(), [
      '2022-07',
      '2022-08',
      '2022-09',
      '2022-10',
      '2022-11',
      '2022-12',
    ]);
    assert.ok(mine.every((f) => f.unit.startsWith('D') && f.horizon >= 1 && f.horizon <= 3));
    assert.throws(
      () => backtest(rows, { from: '2022-07', horizon: 3, comparisons: { mean_12: () => [] } }),
      /already scores/,
    );
  });
});
