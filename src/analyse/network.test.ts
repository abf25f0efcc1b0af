import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { analysisEvents, loadAnalysisFixture } from '../../test/support/analysis-fixture.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { blankEvent, type EventFilter, type EventRecord } from '../schema/index.ts';
import { network } from './network.ts';

/**
 * Whole-month questions are answered from `actor_pair_months`, kept up to date by the import; any other
 * filter reads the events. Naming every source forces the events path over the same events, so the two
 * must agree after every kind of write.
 */
async function bothPaths(t: TestStore, filter: EventFilter) {
  const sources = (await t.store.query<{ source: string }>('SELECT DISTINCT source FROM events')).map(
    (r) => r.source,
  );
  const fromMonths = await network(t.store, { filter });
  const fromEvents = await network(t.store, { filter: { ...filter, sources } });
  return { fromMonths, fromEvents };
}

const WHOLE_MONTHS: EventFilter[] = [{}, { from: '2024-01-01', to: '2024-12-31' }, { from: '2022-03-01' }];

async function importEvents(t: TestStore, events: EventRecord[], file: string) {
  const writer = await t.store.beginImport({ file, sha256: file, format: 'fixture' });
  await writer.add(events);
  return writer.finish({ rowsRead: events.length, rowsRejected: 0 });
}

for (const kind of STORE_KINDS) {
  describe(`network's monthly sums stay true to the events: ${kind}`, () => {
    let t: TestStore;

    before(async () => {
      t = await freshStore(kind);
      await loadAnalysisFixture(t.store);
    });
    after(async () => t?.cleanup());

    const agree = async (label: string) => {
      for (const filter of WHOLE_MONTHS) {
        const { fromMonths, fromEvents } = await bothPaths(t, filter);
        assert.ok(
          fromMonths.nodes.length > 0 && fromMonths.edges.length > 0,
          `${label}: something to compare`,
        );
        assert.deepEqual(fromMonths, fromEvents, `${label} ${JSON.stringify(filter)}`);
      }
    };

    const edgeEvents = async (a: string, b: string) => {
      const [row] = await t.store.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM events
         WHERE (COALESCE(actor1_id, actor1) = $1 AND COALESCE(actor2_id, actor2) = $2)
            OR (COALESCE(actor1_id, actor1) = $2 AND COALESCE(actor2_id, actor2) = $1)`,
        [a, b],
      );
      return Number(row?.n);
    };

    it('after the first import', async () => {
      await agree('first import');
    });

    it('after new events, a changed event moved to another month and new actors', async () => {
      const [first] = analysisEvents();
      assert.ok(first);
      const before = (await network(t.store, { filter: {} })).edges.find(
        (e) => e.source === 'Newcomers' || e.target === 'Newcomers',
      );
      assert.equal(before, undefined);
      const summary = await importEvents(
        t,
        [
          // The stored fx:1 again, now a year later, between other actors.
          { ...first, eventDate: '2022-07-15', actor1: 'Newcomers', actor1Id: null, actor2: 'Old Guard' },
          ...Array.from({ length: 3 }, (_, i) =>
            blankEvent({
              id: `later:${i}`,
              source: 'later',
              sourceId: String(i),
              eventDate: `2024-0${i + 2}-10`,
              eventType: 'Battles',
              actor1: 'Newcomers',
              actor2: 'Old Guard',
              assocActor1: 'TTP; Friends of Newcomers',
              fatalities: { low: 1, best: 2, high: 3 },
            }),
          ),
        ],
        'later.csv',
      );
      assert.deepEqual([summary.inserted, summary.updated], [3, 1]);
      await agree('second import');
      const edge = (await network(t.store, { filter: {} })).edges.find(
        (e) => e.source === 'Newcomers' && e.target === 'Old Guard',
      );
      assert.equal(edge?.events, await edgeEvents('Newcomers', 'Old Guard'));
      assert.equal(edge?.events, 4);
      assert.deepEqual(edge?.evidence, [first.id, 'later:2']);
    });

    it('after a re-run of the same file and after an alias change', async () => {
      const summary = await importEvents(t, analysisEvents(), 'fixture.csv');
      assert.ok(summary.updated > 0);
      await agree('re-import');
      await t.store.saveActors([
        { id: 'friends', name: 'Friends', kind: null, aliases: ['Friends of Newcomers'] },
      ]);
      await agree('alias added');
      const friends = (await network(t.store, { filter: {} })).nodes.find((n) => n.id === 'friends');
      assert.equal(friends?.events, 3);
    });
  });
}
