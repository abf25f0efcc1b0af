import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { blankEvent, type EventRecord } from '../schema/index.ts';
import type { Store } from './contract.ts';
import { openStore } from './open-store.ts';

/**
 * Stores written before migration 310 kept a sha1 per event in `events.content_hash` and compared it on
 * re-import. The migration drops the column; re-importing into such a store must still tell unchanged
 * records from corrected ones (by the stored columns), not report every record as updated.
 */

function record(n: number, fatalities = n): EventRecord {
  return blankEvent({
    id: `old:${n}`,
    source: 'old',
    sourceId: String(n),
    eventDate: `2023-0${(n % 9) + 1}-15`,
    actor1: 'BLA: Baloch Liberation Army',
    latitude: 26.1 + n / 1000,
    longitude: 63.05,
    fatalities: { low: null, best: fatalities, high: null },
    notes: `old note ${n}`,
    raw: { n, note: `old note ${n}` },
  });
}

async function ingest(store: Store, events: EventRecord[]) {
  const writer = await store.beginImport({ file: 'old.csv', sha256: 'x', format: 'test' });
  await writer.add(events);
  const s = await writer.finish({ rowsRead: events.length, rowsRejected: 0 });
  return [s.inserted, s.updated, s.unchanged];
}

/** Puts the store back as a version before 310 left it: the column, filled, and 310 not yet run. */
async function asBeforeMigration310(store: Store): Promise<void> {
  await store.query('ALTER TABLE events ADD COLUMN content_hash TEXT');
  // Hashes as an older version wrote them (their value no longer matters: nothing reads them).
  await store.query(`UPDATE events SET content_hash = 'sha1:' || id`);
  // Older DuckDB stores also had two secondary indexes, which keep DuckDB from altering the table.
  if (store.dialect === 'duckdb') {
    await store.query('CREATE INDEX events_source_idx ON events (source)');
    await store.query('CREATE INDEX events_date_idx ON events (event_date)');
  }
  await store.query('DELETE FROM schema_migrations WHERE version = 310');
}

for (const kind of STORE_KINDS) {
  describe(`re-import after the upgrade that drops events.content_hash: ${kind}`, () => {
    const opened: TestStore[] = [];
    after(async () => {
      for (const t of opened) await t.cleanup();
    });

    it('same records: all unchanged; one corrected: exactly it updated', async () => {
      const t = await freshStore(kind);
      opened.push(t);
      const records = Array.from({ length: 60 }, (_, i) => record(i + 1));
      assert.deepEqual(await ingest(t.store, records), [60, 0, 0]);
      await asBeforeMigration310(t.store);
      await t.store.close();

      // Opening migrates: 310 drops the column again.
      const store = await openStore(t.location);
      try {
        const columns = await store.query(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'events' AND column_name = 'content_hash'`,
        );
        assert.equal(columns.length, 0);
        if (kind === 'duckdb') {
          // Only the primary key: the two secondary indexes went with the column (migration 310).
          const indexes = await store.query(
            `SELECT index_name FROM duckdb_indexes() WHERE table_name = 'events'`,
          );
          assert.deepEqual(indexes, []);
        }

        assert.deepEqual(await ingest(store, records), [0, 0, 60]);
        const corrected = records.map((r, i) => (i === 41 ? record(42, 5) : r));
        assert.deepEqual(await ingest(store, [...corrected, record(61)]), [1, 1, 59]);
        assert.equal((await store.eventById('old:42'))?.fatalities.best, 5);
        assert.equal(await store.countEvents({}), 61);
      } finally {
        await store.close();
      }
    });
  });
}
