import { randomUUID } from 'node:crypto';
import type { EventRecord } from '../../schema/index.ts';
import { eventsReplaced, refreshActorPairMonths } from '../../store/actor-pair-months.ts';
import { EVENT_COLUMNS, rowsDifferSql } from '../../store/columns.ts';
import type { Queryable } from '../../store/contract.ts';
import { eventPlacesReplaced } from '../../store/event-places.ts';
import { Params } from '../../store/filter-sql.ts';
import { jsonRowSource } from '../../store/json-rows.ts';
import type { Dialect } from '../../store/migrations.ts';
import { rawHeadersOf, saveRawHeaders } from '../../store/raw-record.ts';

export interface DocumentEventsWrite {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Events the document gave before and no longer gives (a new publication day re-dates them away). */
  removed: number;
}

const INSERT_EVENTS = `INSERT INTO events (${[...EVENT_COLUMNS.map((c) => c.name), 'updated_at'].join(', ')})`;

/**
 * The events a write handles at once: the sums' statements take their ids as one list of parameters
 * (PostgreSQL takes at most 65,535), and the rows go in as one JSON text of some megabytes.
 */
const CHUNK = 1_000;

/** `$1`, a JSON array of records, as rows of `events`' columns with their SQL types (jsonRowSource). */
function recordRowsSql(dialect: Dialect): string {
  const source = jsonRowSource(
    dialect,
    EVENT_COLUMNS.map((c) => ({
      name: c.name,
      type: c.type === 'INTEGER' || c.type === 'DOUBLE PRECISION' ? c.type : 'TEXT',
    })),
    'j',
  );
  return `SELECT ${EVENT_COLUMNS.map((c) => `CAST(j.${c.name} AS ${c.type}) AS ${c.name}`).join(', ')} FROM ${source}`;
}

/** Records as the one JSON parameter of `recordRowsSql` (booleans as text, which both stores cast back). */
function recordRowsJson(records: readonly EventRecord[], batchId?: string): string {
  return JSON.stringify(
    records.map((record) => {
      const row = batchId === undefined ? record : { ...record, batchId };
      return Object.fromEntries(
        EVENT_COLUMNS.map((c) => {
          const cell = c.read(row);
          return [c.name, typeof cell === 'boolean' ? String(cell) : cell];
        }),
      );
    }),
  );
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The ids among `records` whose stored event differs from them: the file import's comparison, one statement. */
async function differingFromStored(tx: Queryable, records: readonly EventRecord[]): Promise<Set<string>> {
  if (records.length === 0) return new Set();
  const differs = await tx.query<{ id: string }>(
    `SELECT r.id FROM events e JOIN (${recordRowsSql(tx.dialect)}) r ON e.id = r.id WHERE ${rowsDifferSql('e', 'r')}`,
    [recordRowsJson(records)],
  );
  return new Set(differs.map((row) => row.id));
}

/**
 * Replaces the events with ids `replaced` by `records` (either may be empty), keeping the network's monthly
 * sums and exposure's sums by position in step (src/store/actor-pair-months.ts, src/store/event-places.ts).
 */
async function replaceEvents(
  tx: Queryable,
  replaced: readonly string[],
  records: readonly EventRecord[],
  batchId: string,
  now: string,
): Promise<void> {
  const touched = await eventsReplaced(tx, replaced);
  const placesWritten = await eventPlacesReplaced(tx, replaced);
  if (replaced.length > 0) {
    const p = new Params();
    await tx.query(`DELETE FROM events WHERE id IN (${p.list(replaced)})`, p.values);
  }
  if (records.length > 0) {
    await tx.query(
      `${INSERT_EVENTS} SELECT r.*, CAST($2 AS TIMESTAMP) FROM (${recordRowsSql(tx.dialect)}) r`,
      [recordRowsJson(records, batchId), now],
    );
  }
  const written = records.map((r) => r.id);
  await refreshActorPairMonths(tx, await touched(written));
  await placesWritten(written);
}

/**
 * Makes the stored events of one document exactly `records`, inside the caller's transaction (the
 * store's EventWriter commits on its own connection, so it cannot share the document's transaction).
 * Events keep their ids (`text:<document id>:<index>`); unchanged ones are left alone, changed ones
 * replaced, and the ones the document no longer gives are deleted. The work goes in chunks of CHUNK events,
 * with many rows a statement, so a document of 100,000 events (a dump of reports, docs/extraction.md) is
 * written in time linear in its events, not one statement per event.
 */
export async function replaceDocumentEvents(
  tx: Queryable,
  documentId: string,
  records: readonly EventRecord[],
  batch: { file: string; sha256: string; rowsRead: number; now: string },
  onWritten: (done: number, total: number) => void = () => {},
): Promise<DocumentEventsWrite> {
  const prefix = `text:${documentId}:`;
  const stored = await tx.query<{ id: string }>(
    // An exact prefix, not LIKE: a document id may contain % or _.
    `SELECT id FROM events
     WHERE source = 'text' AND SUBSTR(id, 1, CAST($2 AS INTEGER)) = $1`,
    [prefix, prefix.length],
  );
  const storedIds = new Set(stored.map((r) => r.id));
  const kept = new Set(records.map((r) => r.id));
  const result: DocumentEventsWrite = { inserted: 0, updated: 0, unchanged: 0, removed: 0 };
  const batchId = randomUUID();
  await saveRawHeaders(tx, rawHeadersOf(records.map((r) => r.raw)));
  const gone = stored.map((r) => r.id).filter((id) => !kept.has(id));
  for (const ids of chunks(gone, CHUNK)) await replaceEvents(tx, ids, [], batchId, batch.now);
  result.removed = gone.length;
  let done = 0;
  for (const chunk of chunks(records, CHUNK)) {
    const changed = await differingFromStored(
      tx,
      chunk.filter((r) => storedIds.has(r.id)),
    );
    const writes = chunk.filter((r) => !storedIds.has(r.id) || changed.has(r.id));
    result.inserted += writes.length - changed.size;
    result.updated += changed.size;
    result.unchanged += chunk.length - writes.length;
    if (writes.length > 0) await replaceEvents(tx, [...changed], writes, batchId, batch.now);
    done += chunk.length;
    onWritten(done, records.length);
  }
  if (result.inserted + result.updated + result.removed > 0) {
    await tx.query(
      `INSERT INTO import_batches (id, file, sha256, format, rows_read, rows_stored, rows_rejected,
         rows_inserted, rows_updated, started_at, finished_at)
       VALUES ($1, $2, $3, 'text', $4, $5, $6, $7, $8, CAST($9 AS TIMESTAMP), CAST($9 AS TIMESTAMP))`,
      [
        batchId,
        batch.file,
        batch.sha256,
        batch.rowsRead,
        records.length,
        batch.rowsRead - records.length,
        result.inserted,
        result.updated,
        batch.now,
      ],
    );
  }
  return result;
}
