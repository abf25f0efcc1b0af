import { monthIndex, monthName, type PanelRow } from './panel.ts';
import { seededRandom } from './seeded-random.ts';

/** Simulated panels for the forecast tests (not used by the application). */

/** Seeded stream for simulations (the same on every run). */
export const random = seededRandom;

/** A draw from NB(μ, α) as a gamma–Poisson mixture (shape r = 1/α, integer r only, for tests). */
export function drawNegBin(next: () => number, mu: number, r: number): number {
  let lambda = 0;
  for (let i = 0; i < r; i++) lambda += -Math.log(1 - next());
  lambda *= mu / r;
  let k = 0;
  let p = Math.exp(-lambda);
  let cumulative = p;
  const u = next();
  while (u > cumulative && k < 10_000) {
    k++;
    p *= lambda / k;
    cumulative += p;
  }
  return k;
}

/** Six districts over three years: two busy, the rest quiet, with one actor per district. */
export function simulatedRows(seed = 7, months = 36): PanelRow[] {
  const next = random(seed);
  const rows: PanelRow[] = [];
  const level = [6, 3, 1, 0.5, 0.3, 0.2];
  for (let m = 0; m < months; m++) {
    level.forEach((base, u) => {
      const events = drawNegBin(next, base * (1 + 0.3 * Math.sin(m / 3)), 2);
      if (events > 0) {
        rows.push({
          unit: `D${u}`,
          month: monthName(monthIndex('2020-01') + m),
          actor: u % 2 ? 'Group A' : 'Group B',
          events,
          fatalities: drawNegBin(next, events * 1.5, 1),
        });
      }
    });
  }
  return rows;
}
