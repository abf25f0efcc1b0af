import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import pg from 'pg';
import { freshStore, STORE_KINDS, TEST_PG_URL, type TestStore } from '../../../test/support/stores.ts';
import { ActorRegistry } from '../../resolve/actor-registry.ts';
import type { Store } from '../../store/contract.ts';
import { documentHash, documentLockKeys, storeDocument } from './store-document.ts';

const TEXT =
  'On 3 May 2024, BLF militants attacked a police checkpost near Turbat, killing two policemen. ' +
  'Separately, the BRA and the UBA said they would collaborate with each other in joint operations.';

/** One relative date and one absolute: a publication day before 3 May makes the second a future mention. */
const RELATIVE =
  'Yesterday, BLA militants attacked a Frontier Corps post near Turbat, killing three soldiers. ' +
  'On 3 May 2024, BLF militants attacked a police checkpost near Gwadar, killing two policemen.';

async function textEvents(store: Store): Promise<Array<{ id: string; date: string; best: number | null }>> {
  const { events } = await store.events({ sources: ['text'] }, { limit: 100 });
  return events
    .map((e) => ({ id: e.id, date: e.eventDate, best: e.fatalities.best }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

async function count(store: Store, sql: string, params: string[] = []): Promise<number> {
  const [row] = await store.query<{ n: number }>(sql, params);
  return Number(row?.n);
}

for (const kind of STORE_KINDS) {
  describe(`storeDocument on ${kind}`, () => {
    const opened: TestStore[] = [];
    let t = undefined as unknown as TestStore;
    after(() => Promise.all(opened.map((s) => s.cleanup())));
    beforeEach(async () => {
      t = await freshStore(kind);
      opened.push(t);
    });

    test('a document of thousands of events is written, re-dated and cut across write chunks', async () => {
      // every other report dated by the publication day ("Yesterday"): a new day re-dates those
      const line = (i: number) =>
        `${i % 2 ? `On ${(i % 28) + 1} May 2024` : 'Yesterday'}, BLA militants attacked a police checkpost in Turbat, killing ${(i % 5) + 1} soldiers.`;
      const text = (n: number) => Array.from({ length: n }, (_, i) => line(i)).join('\n');
      const events = () => count(t.store, "SELECT COUNT(*) AS n FROM events WHERE source = 'text'");
      const heard: string[] = [];
      const first = await storeDocument(
        t.store,
        { id: 'dump', text: text(2_500), published: '2024-06-01' },
        { onProgress: (stage, done, total) => heard.push(`${stage} ${done}/${total}`) },
      );
      assert.equal(first.events, 2_500);
      // the progress bars' figures: every event read, then written a chunk at a time
      assert.equal(heard.filter((h) => h.startsWith('extract')).length, 2_500);
      assert.deepEqual(
        heard.filter((h) => h.startsWith('store')),
        ['store 1000/2500', 'store 2000/2500', 'store 2500/2500'],
      );
      assert.equal(await events(), 2_500);
      const killed = await count(
        t.store,
        "SELECT SUM(fatalities_best) AS n FROM events WHERE source = 'text'",
      );
      assert.equal(
        killed,
        Array.from({ length: 2_500 }, (_, i) => (i % 5) + 1).reduce((a, b) => a + b, 0),
      );
      // the same again: nothing written
      const again = await storeDocument(t.store, { id: 'dump', text: text(2_500), published: '2024-06-01' });
      assert.equal(again.outcome, 'unchanged');
      // shorter, and a year later: 600 of 1,200 events re-dated, 1,300 removed, over chunks of 1,000
      const cut = await storeDocument(t.store, { id: 'dump', text: text(1_200), published: '2025-06-01' });
      assert.equal(cut.outcome, 'updated');
      assert.equal(cut.events, 1_200);
      assert.equal(cut.removed, 1_300);
      assert.equal(await events(), 1_200);
      const dated = (day: string) =>
        count(
          t.store,
          "SELECT COUNT(*) AS n FROM events WHERE source = 'text' AND event_date = CAST($1 AS DATE)",
          [day],
        );
      assert.equal(await dated('2025-05-31'), 600, 'the reports of "yesterday" moved with the new day');
      assert.equal(await dated('2024-05-31'), 0);
      // the network's sums follow: one pair, its events those stored
      const [pair] = await t.store.query<{ n: number }>('SELECT SUM(events) AS n FROM actor_pair_months');
      assert.equal(Number(pair?.n), 1_200);
    });

    test('writers of one document at once: one stores it, the others find it stored', async () => {
      // A stream worker's two slots can hold the same document: its ack wait ran out while the first was
      // still extracting, and the server delivered it again.
      const results = await Promise.all(
        [1, 2, 3].map(() => storeDocument(t.store, { text: TEXT, published: '2024-05-04', source: 'wire' })),
      );
      assert.deepEqual(results.map((r) => r.outcome).sort(), ['new', 'unchanged', 'unchanged']);
      assert.equal(new Set(results.map((r) => r.documentId)).size, 1);
      assert.equal(await count(t.store, 'SELECT COUNT(*) AS n FROM documents'), 1);
      assert.equal(await t.store.countEvents({ sources: ['text'] }), 1);
      assert.equal(await count(t.store, 'SELECT COUNT(*) AS n FROM actor_relations'), 1);
    });

    if (kind === 'postgres')
      test('a writer in another process holding the document makes this one wait, then find it stored', async () => {
        const other = new pg.Client({ connectionString: TEST_PG_URL });
        await other.connect();
        try {
          await other.query('BEGIN');
          for (const key of documentLockKeys(undefined, documentHash(TEXT)))
            await other.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
          let finished = false;
          const waiting = storeDocument(t.store, { text: TEXT, published: '2024-05-04' }).then((r) => {
            finished = true;
            return r;
          });
          await new Promise((resolve) => setTimeout(resolve, 300));
          assert.equal(finished, false, 'the write waits for the other process');
          await other.query('COMMIT');
          assert.equal((await waiting).outcome, 'new');
        } finally {
          await other.end();
        }
      });

    test('stores the document and its events once, by content hash', async () => {
      const first = await storeDocument(t.store, { text: TEXT, published: '2024-05-04', source: 'wire' });
      assert.equal(first.outcome, 'new');
      assert.equal(first.events, 1);
      const again = await storeDocument(t.store, { text: `${TEXT}\n`, published: '2024-05-04' });
      assert.equal(again.outcome, 'unchanged');
      assert.equal(again.stored, false);
      assert.equal(again.documentId, first.documentId);
      assert.equal(await count(t.store, 'SELECT COUNT(*) AS n FROM documents'), 1);
      assert.equal(await t.store.countEvents({ sources: ['text'] }), 1);
      const [event] = (await t.store.events({ sources: ['text'] })).events;
      assert.equal(event?.eventDate, '2024-05-03');
      assert.equal(event?.fatalities.best, 2);
      assert.equal((event?.raw as { documentId?: string } | null | undefined)?.documentId, first.documentId);
      const relations = await t.store.query('SELECT kind FROM actor_relations');
      assert.deepEqual(
        relations.map((r) => r.kind),
        ['collaboration'],
      );
      const [doc] = await t.store.query<{ source: string }>('SELECT source FROM documents');
      assert.equal(doc?.source, 'wire', 'a re-ingest without a source keeps the stored one');
    });

    test('a new publication day re-dates the events in place and drops those it no longer gives', async () => {
      const first = await storeDocument(t.store, { text: RELATIVE, published: '2024-05-20' });
      assert.deepEqual(
        (await textEvents(t.store)).map((e) => [e.date, e.best]),
        [
          ['2024-05-19', 3],
          ['2024-05-03', 2],
        ],
      );
      const batchesBefore = await count(t.store, 'SELECT COUNT(*) AS n FROM import_batches');

      const redated = await storeDocument(t.store, { text: RELATIVE, published: '2024-06-11' });
      assert.equal(redated.outcome, 'updated');
      assert.equal(redated.documentId, first.documentId);
      const afterRedate = await textEvents(t.store);
      assert.deepEqual(
        afterRedate.map((e) => [e.date, e.best]),
        [
          ['2024-06-10', 3],
          ['2024-05-03', 2],
        ],
      );
      assert.equal(await count(t.store, 'SELECT COUNT(*) AS n FROM documents'), 1);
      const [doc] = await t.store.query<{ published: string; events: number }>(
        'SELECT published, events FROM documents',
      );
      assert.equal(doc?.published, '2024-06-11');
      assert.equal(Number(doc?.events), 2);
      assert.equal(await count(t.store, 'SELECT COUNT(*) AS n FROM import_batches'), batchesBefore + 1);

      // Published on 1 May, "3 May 2024" lies ahead of the writer: that event is gone, not left stale.
      const earlier = await storeDocument(t.store, { text: RELATIVE, published: '2024-05-01' });
      assert.equal(earlier.removed, 1);
      assert.deepEqual(
        (await textEvents(t.store)).map((e) => [e.date, e.best]),
        [['2024-04-30', 3]],
      );

      const repeat = await storeDocument(t.store, { text: RELATIVE, published: '2024-05-01' });
      assert.equal(repeat.outcome, 'unchanged');
      assert.equal(await t.store.countEvents({ sources: ['text'] }), 1);
    });

    test('a document stored by an older extraction is read again and its events follow', async () => {
      const first = await storeDocument(t.store, { text: TEXT, published: '2024-05-04' });
      // What an older Sitrep left: another reading stored, and not the event this one finds.
      await t.store.query('UPDATE documents SET extraction = $1', ['{"events":[],"relations":[]}']);
      await t.store.query("DELETE FROM events WHERE source = 'text'");
      const again = await storeDocument(t.store, { text: TEXT, published: '2024-05-04' });
      assert.equal(again.outcome, 'updated');
      assert.equal(again.documentId, first.documentId);
      assert.deepEqual(
        (await textEvents(t.store)).map((e) => [e.date, e.best]),
        [['2024-05-03', 2]],
      );
      const third = await storeDocument(t.store, { text: TEXT, published: '2024-05-04' });
      assert.equal(third.outcome, 'unchanged', 'the same reading again writes nothing');
    });

    test('new source, URL or title updates the document and leaves unchanged events alone', async () => {
      await storeDocument(t.store, { text: RELATIVE, published: '2024-05-20', source: 'a.txt' });
      const [before] = await t.store.query<{ updated_at: string }>(
        'SELECT MAX(CAST(updated_at AS TEXT)) AS updated_at FROM events',
      );
      const later = () => new Date('2030-01-01T00:00:00Z');
      const moved = await storeDocument(
        t.store,
        { text: RELATIVE, published: '2024-05-20', url: 'https://example.org/a', title: 'Two attacks' },
        { now: later },
      );
      assert.equal(moved.outcome, 'updated');
      const [doc] = await t.store.query<{ source: string; url: string; title: string }>(
        'SELECT source, url, title FROM documents',
      );
      assert.deepEqual({ ...doc }, { source: 'a.txt', url: 'https://example.org/a', title: 'Two attacks' });
      const [afterUpdate] = await t.store.query<{ updated_at: string }>(
        'SELECT MAX(CAST(updated_at AS TEXT)) AS updated_at FROM events',
      );
      assert.equal(afterUpdate?.updated_at, before?.updated_at, 'events read the same are not rewritten');
      assert.equal(await t.store.countEvents({ sources: ['text'] }), 2);
    });

    test('a corrected article under the same id replaces the old text and its events', async () => {
      await storeDocument(t.store, { id: 'wire:7', text: RELATIVE, published: '2024-05-20' });
      const corrected = RELATIVE.slice(0, RELATIVE.indexOf(' On 3 May'));
      const result = await storeDocument(t.store, { id: 'wire:7', text: corrected, published: '2024-05-20' });
      assert.equal(result.outcome, 'updated');
      assert.equal(result.removed, 1);
      assert.deepEqual(
        (await textEvents(t.store)).map((e) => e.id),
        ['text:wire:7:0'],
      );
      const [doc] = await t.store.query<{ text: string }>('SELECT text FROM documents');
      assert.equal(doc?.text, corrected);
    });

    test('a failed update leaves the document, its events and relations as they were', async () => {
      await storeDocument(t.store, { text: RELATIVE, published: '2024-05-20' });
      const eventsBefore = await textEvents(t.store);
      // A day no calendar has gets as far as the document row (the events are re-dated first) and fails there.
      await assert.rejects(storeDocument(t.store, { text: RELATIVE, published: '2024-06-31' }));
      assert.deepEqual(await textEvents(t.store), eventsBefore);
      const [doc] = await t.store.query<{ published: string }>('SELECT published FROM documents');
      assert.equal(doc?.published, '2024-05-20');
    });

    test('relations are stored under canonical actor ids with the names as written', async () => {
      const text =
        'On 2 March 2025, the BLA and the TTP said they would collaborate in joint operations against the state.';
      await storeDocument(t.store, { text, published: '2025-03-05' }, { actors: ActorRegistry.seeded() });
      const rows = await t.store.query<{ source_actor: string; target_actor: string; source_name: string }>(
        'SELECT source_actor, target_actor, source_name, target_name FROM actor_relations',
      );
      assert.deepEqual(
        rows.map((r) => ({ ...r })),
        [
          {
            source_actor: 'baloch-liberation-army',
            target_actor: 'tehrik-i-taliban-pakistan',
            source_name: 'BLA',
            target_name: 'TTP',
          },
        ],
      );
    });
  });
}
