import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { boostedMeans, DEFAULT_SELECTION } from './boosted-forecast.ts';
import { buildPanel, monthIndex, monthName, type PanelRow } from './panel.ts';
import { combinedLevelMeans, regionTotal } from './smoothed-level.ts';
import { drawNegBin, random, simulatedRows } from './test-panel.ts';
import { TREE_FEATURE_NAMES, treeFeatureRows } from './tree-features.ts';

const BASES = [8, 4, 2, 1, 0.5, 0.25];
/** Expected events of a district in a calendar month: a strong half-year season (Jan–Jun busy). */
const seasonalMean = (u: number, calendarMonth: number) => BASES[u]! * (calendarMonth < 6 ? 2.5 : 0.4);

/** Six districts over four years following seasonalMean, Poisson-like draws. */
function seasonalRows(seed = 3, months = 48): PanelRow[] {
  const next = random(seed);
  const rows: PanelRow[] = [];
  for (let m = 0; m < months; m++) {
    BASES.forEach((_, u) => {
      const events = drawNegBin(next, seasonalMean(u, m % 12), 50);
      if (events > 0) {
        const month = monthName(monthIndex('2020-01') + m);
        rows.push({ unit: `D${u}`, month, actor: 'Group', events, fatalities: events });
      }
    });
  }
  return rows;
}

describe('boosted forecast', () => {
  test('a forecast at origin T reads no month after T', () => {
    const rows = simulatedRows(7, 36);
    const origin = '2022-06';
    const t = monthIndex(origin) - monthIndex('2020-01');
    const cut = buildPanel(rows, origin);
    const future = rows.map((r) =>
      r.month > origin ? { ...r, events: r.events * 5 + 3, fatalities: 99 } : r,
    );
    const uncut = buildPanel(future, '2022-12');
    assert.equal(uncut.months.length, cut.months.length + 6);
    for (const target of ['events', 'fatalities'] as const) {
      const before = boostedMeans(cut, t, 3, target);
      assert.deepEqual(boostedMeans(uncut, t, 3, target), before);
      assert.deepEqual(treeFeatureRows(uncut, t, 3, target), treeFeatureRows(cut, t, 3, target));
    }
    // …and the seasonal panel, where the trees are used, as well.
    const seasonal = seasonalRows();
    const s = 41;
    const seasonalFuture = seasonal.map((r) =>
      monthIndex(r.month) - monthIndex('2020-01') > s ? { ...r, events: 0 } : r,
    );
    const used = boostedMeans(buildPanel(seasonal, '2023-12'), s, 6, 'events');
    assert.ok(used.choice.weight > 0);
    assert.deepEqual(boostedMeans(buildPanel(seasonalFuture, '2023-12'), s, 6, 'events'), used);
  });

  test('learns a seasonal swing that the flat level cannot follow, from the training months alone', () => {
    const panel = buildPanel(seasonalRows(), '2023-12');
    // Origins at the end of a quiet half (June) and of a busy half (December): the next six months flip.
    for (const t of [41, 47]) {
      const { means, choice } = boostedMeans(panel, t, 6, 'events');
      const flat = combinedLevelMeans(panel.events, regionTotal(panel.events), t);
      let boostedError = 0;
      let levelError = 0;
      for (let u = 0; u < 6; u++) {
        for (let h = 1; h <= 6; h++) {
          const truth = seasonalMean(u, (t + h) % 12);
          boostedError += (means[u]![h - 1]! - truth) ** 2;
          levelError += (flat[u]! - truth) ** 2;
        }
      }
      assert.ok(choice.weight > 0 && choice.rounds > 0, `trees chosen at ${t}: ${JSON.stringify(choice)}`);
      assert.ok(boostedError < levelError / 4, `origin ${t}: trees ${boostedError} vs level ${levelError}`);
    }
  });

  test('bagged selection and direct horizons read no month after the origin and still learn the season', () => {
    const seasonal = seasonalRows();
    const t = 41;
    const future = seasonal.map((r) =>
      monthIndex(r.month) - monthIndex('2020-01') > t ? { ...r, events: r.events * 3 + 1 } : r,
    );
    const flat = combinedLevelMeans(
      buildPanel(seasonal, '2023-12').events,
      regionTotal(buildPanel(seasonal, '2023-12').events),
      t,
    );
    for (const extra of [{ bootstrap: 25 }, { horizons: [2, 3] }]) {
      const selection = { ...DEFAULT_SELECTION, ...extra };
      const bagged = boostedMeans(buildPanel(seasonal, '2023-12'), t, 6, 'events', selection);
      assert.deepEqual(boostedMeans(buildPanel(future, '2023-12'), t, 6, 'events', selection), bagged);
      const horizons = extra.horizons ?? [1, 2, 3, 4, 5, 6];
      let error = 0;
      let levelError = 0;
      for (let u = 0; u < 6; u++) {
        for (const h of horizons) {
          const truth = seasonalMean(u, (t + h) % 12);
          error += (bagged.means[u]![h - 1]! - truth) ** 2;
          levelError += (flat[u]! - truth) ** 2;
        }
      }
      assert.ok(error < levelError / 4, `${JSON.stringify(extra)}: ${error} vs level ${levelError}`);
    }
    // The draws are seeded: the same panel gives the same forecast.
    const panel = buildPanel(seasonal, '2023-12');
    assert.deepEqual(
      boostedMeans(panel, t, 6, 'events', { ...DEFAULT_SELECTION, bootstrap: 25 }),
      boostedMeans(panel, t, 6, 'events', { ...DEFAULT_SELECTION, bootstrap: 25 }),
    );
  });

  test('with too little history for an inner validation it is the smoothed level', () => {
    const panel = buildPanel(simulatedRows(7, 36), '2020-10');
    const { means, choice } = boostedMeans(panel, 9, 2, 'events');
    assert.deepEqual(choice, { settings: 0, rounds: 0, weight: 0 });
    const level = combinedLevelMeans(panel.events, regionTotal(panel.events), 9);
    assert.deepEqual(
      means,
      level.map((v) => [v, v]),
    );
  });

  test('each row has one value per named feature and the target month’s calendar month', () => {
    const panel = buildPanel(simulatedRows(7, 36), '2021-12');
    const rows = treeFeatureRows(panel, 20, 3, 'fatalities');
    assert.equal(rows.length, panel.units.length * 3);
    for (const row of rows) {
      assert.equal(row.x.length, TREE_FEATURE_NAMES.length);
      assert.ok(row.x.every(Number.isFinite));
      assert.equal(row.x[1], (20 + row.horizon) % 12);
    }
  });
});
