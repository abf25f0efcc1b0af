import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fitBoostedTrees, predictBoosted } from './boosted-trees.ts';
import { drawNegBin, random } from './test-panel.ts';

/** Poisson counts whose log-mean steps up by 1.2 when x0 > 0.6; x1 is noise. */
function stepData(seed: number, n = 4000) {
  const next = random(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [next(), next()];
    x.push(row);
    // A large shape makes the negative binomial draw Poisson-like.
    y.push(drawNegBin(next, Math.exp(0.5 + (row[0]! > 0.6 ? 1.2 : 0)), 50));
  }
  return { x, y };
}

const near = (actual: number, expected: number, tolerance: number, label: string) =>
  assert.ok(Math.abs(actual / expected - 1) < tolerance, `${label}: ${actual} vs ${expected}`);

describe('boosted trees', () => {
  test('recover a step in the mean and ignore a noise feature (Poisson objective)', () => {
    const { x, y } = stepData(5);
    const model = fitBoostedTrees(x, y, [], { rounds: 150, learningRate: 0.1, maxDepth: 2 });
    for (const noise of [0.1, 0.9]) {
      near(predictBoosted(model, [0.3, noise]), Math.exp(0.5), 0.12, `low side, x1 = ${noise}`);
      near(predictBoosted(model, [0.9, noise]), Math.exp(1.7), 0.12, `high side, x1 = ${noise}`);
    }
  });

  test('the Tweedie objective estimates the same means', () => {
    const { x, y } = stepData(6);
    const model = fitBoostedTrees(x, y, [], { rounds: 300, learningRate: 0.1, maxDepth: 2, power: 1.5 });
    near(predictBoosted(model, [0.3, 0.5]), Math.exp(0.5), 0.12, 'low side');
    near(predictBoosted(model, [0.9, 0.5]), Math.exp(1.7), 0.12, 'high side');
  });

  test('with no trees the forecast is the offset scaled by the fitted intercept', () => {
    const { x, y } = stepData(7, 500);
    const offsets = x.map((row) => Math.log(1 + row[0]!));
    const model = fitBoostedTrees(x, y, offsets, { rounds: 20 });
    const scale = (y.reduce((a, b) => a + b, 0) + 0.1) / (offsets.reduce((a, o) => a + Math.exp(o), 0) + 0.1);
    near(predictBoosted(model, [0.5, 0.5], Math.log(1.5), 0), 1.5 * scale, 1e-9, 'offset × intercept');
    assert.notEqual(predictBoosted(model, [0.9, 0.5], Math.log(1.9)), 1.9 * scale);
  });

  test('a seed fixes the row samples: same seed, same model; another seed, another model', () => {
    const { x, y } = stepData(8, 800);
    const fit = (seed: number) => fitBoostedTrees(x, y, [], { rounds: 30, subsample: 0.5, seed });
    assert.deepEqual(fit(1), fit(1));
    assert.notDeepEqual(fit(1).trees, fit(2).trees);
  });
});
