import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { blankEvent, type EventRecord } from '../schema/index.ts';
import type { Store } from './contract.ts';
import { openStore } from './open-store.ts';
import { jsonString } from './raw-record.ts';

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

/**
 * Stores written before migration 610 kept every source record as a JSON object (`JSON.stringify` on the
 * JavaScript path, DuckDB's `to_json` of a struct on the DuckDB path). Migration 611 rewrites the records
 * of strings in the tabular shape (raw-record.ts), so re-importing the same file finds every row unchanged.
 */
function acledLike(n: number): EventRecord {
  const raw: Record<string, unknown> =
    n === 7
      ? { documentId: 'doc', index: n, evidence: { date: [0, 4] } }
      : {
          event_id_cnty: `PAK${n}`,
          notes: n % 2 ? `note ${n} with "quotes", \\ and \u001f` : ` padded note ${n} `,
          actor1: 'BLA: Baloch Liberation Army',
          admin1: 'Balochistan',
          source: 'Dawn',
          é: 'non-ASCII 中文 😀',
        };
  return blankEvent({
    id: `acled:PAK${n}`,
    source: 'acled',
    sourceId: `PAK${n}`,
    eventDate: '2024-01-15',
    actor1: 'BLA: Baloch Liberation Army',
    admin1: 'Balochistan',
    notes: typeof raw.notes === 'string' ? raw.notes.trim() : null,
    sourceRefs: 'Dawn',
    raw,
  });
}

/** The object JSON an older version stored: V8's on odd rows, DuckDB's struct `to_json` on even ones. */
function oldRaw(record: EventRecord): string {
  const raw = record.raw ?? {};
  if (Number(record.sourceId.slice(3)) % 2 || !Object.values(raw).every((v) => typeof v === 'string'))
    return JSON.stringify(raw);
  return `{${Object.entries(raw)
    .map(([k, v]) => `${jsonString(k)}:${jsonString(String(v))}`)
    .join(',')}}`;
}

for (const kind of STORE_KINDS) {
  describe(`re-import after the upgrade that stores records without their header (610, 611): ${kind}`, () => {
    const opened: TestStore[] = [];
    after(async () => {
      for (const t of opened) await t.cleanup();
    });

    it('older object records are rewritten: read back the same, re-imported unchanged', async () => {
      const t = await freshStore(kind);
      opened.push(t);
      const records = Array.from({ length: 12 }, (_, i) => acledLike(i + 1));
      assert.deepEqual(await ingest(t.store, records), [12, 0, 0]);
      const written = await t.store.query<{ id: string; raw: string }>(
        'SELECT id, raw FROM events ORDER BY id',
      );
      // As a version before 610 left the store.
      for (const record of records)
        await t.store.query('UPDATE events SET raw = $1 WHERE id = $2', [oldRaw(record), record.id]);
      await t.store.query('DROP TABLE raw_headers');
      await t.store.query('DELETE FROM schema_migrations WHERE version IN (610, 611)');
      await t.store.close();

      const store = await openStore(t.location);
      try {
        assert.deepEqual(
          await store.query<{ id: string; raw: string }>('SELECT id, raw FROM events ORDER BY id'),
          written,
          'the same text as a new write',
        );
        for (const record of records) assert.deepEqual((await store.eventById(record.id))?.raw, record.raw);
        assert.equal((await store.eventById('acled:PAK7'))?.raw?.documentId, 'doc');
        assert.deepEqual(await ingest(store, records), [0, 0, 12]);
      } finally {
        await store.close();
      }
    });
  });
}
