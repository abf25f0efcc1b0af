import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  combinedLevelMeans,
  ewma,
  fitLevelModel,
  LEVEL_GRID,
  levelMeans,
  regionTotal,
  robustLevelMeans,
  trailingMean,
} from './smoothed-level.ts';
import { drawNegBin, random } from './test-panel.ts';

const close = (a: number, b: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tolerance, `${a} ≠ ${b}`);

describe('smoothed level', () => {
  test('EWMA weights the last month most, decaying geometrically', () => {
    // weights 0.25, 0.5, 1 for 4, 0, 8
    close(ewma([4, 0, 8], 2, 0.5), (0.25 * 4 + 0 + 8) / 1.75);
    close(ewma([4, 0, 8], 1, 0.5), (0.5 * 4) / 1.5);
    close(ewma([3, 3, 3, 3], 3, 0.9), 3);
  });

  test('trailing means cover the window, or what exists of it', () => {
    const series = [1, 2, 3, 4, 5, 6];
    close(trailingMean(series, 5, 3), 5);
    close(trailingMean(series, 1, 12), 1.5);
  });

  test('a regional surge raises every district in proportion to its level', () => {
    // Two districts, flat for a year, then the region doubles in the last month.
    const a = [...new Array<number>(12).fill(4), 12];
    const b = [...new Array<number>(12).fill(1), 3];
    const series = [a, b];
    const region = regionTotal(series);
    assert.deepEqual(region.slice(-2), [5, 15]);
    const t = 12;
    const flat = levelMeans(series, region, t, { decay: 0.5, factor: 0, window: 12 });
    close(flat[0]!, trailingMean(a, t, 12));
    const lifted = levelMeans(series, region, t, { decay: 0.5, factor: 1, window: 12 });
    const factor = (ewma(region, t, 0.5) + 1) / (trailingMean(region, t, 12) + 1);
    assert.ok(factor > 1.5, `factor ${factor}`);
    close(lifted[0]!, flat[0]! * factor);
    close(lifted[0]! / lifted[1]!, flat[0]! / flat[1]!, 1e-9);
  });

  test('the combination is the plain average of its members', () => {
    const series = [
      [0, 2, 5, 1, 0, 3, 7, 2, 1, 0, 4, 6, 2, 9],
      [1, 0, 0, 0, 2, 0, 1, 0, 0, 0, 0, 1, 0, 3],
    ];
    const region = regionTotal(series);
    const combined = combinedLevelMeans(series, region, 13);
    for (let u = 0; u < series.length; u++) {
      const members = LEVEL_GRID.map((p) => levelMeans(series, region, 13, p)[u]!);
      close(combined[u]!, members.reduce((x, y) => x + y, 0) / members.length);
    }
  });

  test('the predictive dispersion follows the series’ own overdispersion, using only months ≤ origin', () => {
    const next = random(11);
    const simulate = (r: number) =>
      Array.from({ length: 8 }, () => Array.from({ length: 60 }, () => drawNegBin(next, 4, r)));
    const poissonLike = fitLevelModel(simulate(50), 59, 3);
    const overdispersed = fitLevelModel(simulate(1), 59, 3);
    // NB(4, α = 1) against NB(4, α = 0.02): the fitted α must separate them clearly.
    for (let h = 0; h < 3; h++) {
      assert.ok(overdispersed.alpha[h]! > 0.5, `α ${overdispersed.alpha[h]}`);
      assert.ok(poissonLike.alpha[h]! < 0.2, `α ${poissonLike.alpha[h]}`);
    }
    const series = simulate(2);
    const cut = series.map((s) => s.slice(0, 41));
    const future = series.map((s) => [...s.slice(0, 41), ...s.slice(41).map((y) => y * 10 + 5)]);
    assert.deepEqual(fitLevelModel(future, 40, 3), fitLevelModel(cut, 40, 3));
  });

  test('the spike-spread level keeps the province total and moves a one-off spike to the other districts', () => {
    // Two districts with 2 events a month for two years; district 0 has a spike of 60 in the last month.
    const quiet = new Array<number>(24).fill(2);
    const spiked = [...quiet.slice(0, 23), 60];
    const series = [spiked, quiet];
    const raw = combinedLevelMeans(series, regionTotal(series), 23);
    const robust = robustLevelMeans(series, 23);
    close(robust[0]! + robust[1]!, raw[0]! + raw[1]!, 1e-9);
    assert.ok(robust[0]! < raw[0]! && robust[1]! > raw[1]!, `${robust} vs ${raw}`);
    // Without a spike nothing is capped: the plain smoothed level.
    assert.deepEqual(
      robustLevelMeans([quiet, quiet], 23),
      combinedLevelMeans([quiet, quiet], regionTotal([quiet, quiet]), 23),
    );
    // Months after the origin are not read.
    assert.deepEqual(
      robustLevelMeans(
        [
          [...spiked, 500],
          [...quiet, 0],
        ],
        23,
      ),
      robust,
    );
  });
});
