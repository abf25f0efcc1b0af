import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { predictive, totalForecasts, totalPrediction, type UnitForecast } from './forecast.ts';
import { seededRandom } from './seeded-random.ts';

/** Gamma(shape, 1) by Marsaglia and Tsang (boosted below shape 1). */
function gamma(shape: number, random: () => number): number {
  if (shape < 1) return gamma(shape + 1, random) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    // a standard normal by Box–Muller
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    if (Math.log(1 - random()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

function poisson(lambda: number, random: () => number): number {
  let k = 0;
  let p = Math.exp(-lambda);
  let cumulative = p;
  const u = random();
  while (u > cumulative && p > 0) {
    k++;
    p = (p * lambda) / k;
    cumulative += p;
  }
  return k;
}

/** One draw of NB(μ, α) as the gamma–Poisson mixture it is: independent of the code under test. */
const nbDraw = (mu: number, alpha: number, random: () => number) =>
  poisson(gamma(1 / alpha, random) * mu * alpha, random);

describe('the forecast of a total over units', () => {
  const units = [
    { mean: 3, alpha: 0.6 },
    { mean: 7.5, alpha: 0.6 },
    { mean: 1.2, alpha: 0.6 },
    { mean: 12, alpha: 0.6 },
    { mean: 0.4, alpha: 0.6 },
  ];

  test('its intervals hold the stated mass of a simulated sum of the units, and its mean is theirs', () => {
    const total = totalPrediction(units);
    assert.ok(Math.abs(total.mean - 24.1) < 1e-9);
    const random = seededRandom(7);
    const draws = 100_000;
    const sums: number[] = [];
    for (let i = 0; i < draws; i++) sums.push(units.reduce((s, u) => s + nbDraw(u.mean, u.alpha, random), 0));
    const within = ([lo, hi]: [number, number]) => sums.filter((x) => x >= lo && x <= hi).length / draws;
    // discrete counts: the interval's own mass is as near the level as the distribution allows
    assert.ok(Math.abs(within(total.intervals[80]) - 0.8) < 0.03, `80 %: ${within(total.intervals[80])}`);
    assert.ok(Math.abs(within(total.intervals[95]) - 0.95) < 0.02, `95 %: ${within(total.intervals[95])}`);
    assert.ok(Math.abs(within(total.intervals[50]) - 0.5) < 0.04, `50 %: ${within(total.intervals[50])}`);
    const sorted = [...sums].sort((a, b) => a - b);
    assert.ok(Math.abs(total.median - sorted[draws / 2]!) <= 1);
    // the sum of the units' interval ends holds far more than 80 %: the band the timeline used to draw
    const summed: [number, number] = [
      units.reduce((s, u) => s + predictive(u.mean, u.alpha).intervals[80][0], 0),
      units.reduce((s, u) => s + predictive(u.mean, u.alpha).intervals[80][1], 0),
    ];
    assert.ok(within(summed) > 0.93, `summed ends hold ${within(summed)}`);
    assert.ok(total.intervals[80][1] - total.intervals[80][0] < summed[1] - summed[0]);
  });

  test('one unit is that unit’s own forecast', () => {
    assert.deepEqual(totalPrediction([{ mean: 5, alpha: 0.3 }]).intervals, predictive(5, 0.3).intervals);
  });

  test('units too heavy-tailed to convolve get the NB with the sum’s mean and variance', () => {
    const heavy = Array.from({ length: 90 }, (_, i) => ({ mean: 1 + (i % 12), alpha: 76 }));
    const total = totalPrediction(heavy);
    const mean = heavy.reduce((s, u) => s + u.mean, 0);
    const variance = heavy.reduce((s, u) => s + u.mean + u.alpha * u.mean ** 2, 0);
    assert.equal(total.mean, mean);
    assert.ok(Math.abs(mean + total.alpha * mean ** 2 - variance) < 1e-6 * variance);
    assert.deepEqual(total.intervals, predictive(mean, total.alpha).intervals);
  });

  test('unit forecasts are grouped per month, months in order', () => {
    const f = (unit: string, month: string, mean: number): UnitForecast => ({
      unit,
      month,
      horizon: month === '2024-07' ? 1 : 2,
      events: predictive(mean, 0.5),
      fatalities: predictive(mean / 2, 2),
    });
    const totals = totalForecasts([f('a', '2024-08', 4), f('a', '2024-07', 2), f('b', '2024-07', 3)]);
    assert.deepEqual(
      totals.map((t) => [t.month, t.horizon, t.events.mean]),
      [
        ['2024-07', 1, 5],
        ['2024-08', 2, 4],
      ],
    );
  });
});
