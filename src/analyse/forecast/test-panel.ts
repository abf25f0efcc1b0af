import { monthIndex, monthName, type PanelRow } from './panel.ts';

/** Simulated panels for the forecast tests (not used by the application). */

/** mulberry32: a seeded stream so simulated data are the same on every run. */
export function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
