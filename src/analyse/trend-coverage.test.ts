import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { STORE_KINDS, storeWith, type TestStore } from '../../test/support/stores.ts';
import { blankEvent } from '../schema/index.ts';
import { trend } from './trend.ts';

const event = (id: string, source: string, date: string, best: number) =>
  blankEvent({
    id: `${source}:${id}`,
    source,
    sourceId: id,
    eventDate: date,
    eventType: 'Battles',
    actor1: 'Group A',
    admin1: 'Balochistan',
    fatalities: { low: best, best, high: best },
  });

// A data set covering 2023-01-10 … 2024-06-20; news text telling of one event inside it and of two
// outside it (one before, one after).
const EVENTS = [
  event('1', 'acled', '2023-01-10', 1),
  event('2', 'acled', '2023-09-01', 2),
  event('3', 'acled', '2024-06-20', 3),
  event('in', 'text', '2024-02-01', 4),
  event('before', 'text', '2019-05-05', 5),
  event('after', 'text', '2025-03-01', 6),
];

for (const kind of STORE_KINDS) {
  describe(`trend and events outside the data's coverage (${kind})`, () => {
    let t: TestStore;
    before(async () => {
      t = await storeWith(kind, EVENTS);
    });
    after(async () => t?.cleanup());

    it('counts a text event inside the coverage and says how many outside it are left out', async () => {
      for (const fromEvents of [false, true]) {
        const result = await trend(t.store, { by: 'actor', period: 'year', filter: {}, fromEvents });
        assert.deepEqual(result.periods, ['2023', '2024']);
        assert.deepEqual(
          result.series.map((s) => [s.label, s.points.map((p) => p.events)]),
          [['Group A', [2, 2]]],
        );
        assert.deepEqual(result.outsideCoverage, { events: 2, fatalities: 11, first: '2019', last: '2025' });
      }
      const byPlace = await trend(t.store, { by: 'admin1', period: 'quarter', filter: {} });
      assert.deepEqual(byPlace.outsideCoverage, {
        events: 2,
        fatalities: 11,
        first: '2019-Q2',
        last: '2025-Q1',
      });
      const textOnly = await trend(t.store, { by: 'actor', period: 'year', filter: { sources: ['text'] } });
      assert.equal(textOnly.outsideCoverage.events, 0, 'text alone spans its own events');
      assert.equal(textOnly.series[0]?.events, 3);
    });

    it('prints the rule on the terminal', async () => {
      await t.store.close();
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli/main.ts',
          'trend',
          '--by',
          'actor',
          '--period',
          'year',
          '--db',
          t.location,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stdout,
        /^Not counted: 2 events \(2019 … 2025\) read from news text, dated outside the data \(2023-01-10 … 2024-06-20\)/m,
      );
    });
  });
}
