import { randomUUID } from 'node:crypto';
import type { EventRecord } from '../../schema/index.ts';
import { eventsReplaced, refreshActorPairMonths } from '../../store/actor-pair-months.ts';
import { EVENT_COLUMNS } from '../../store/columns.ts';
import type { Queryable } from '../../store/contract.ts';
import { eventPlacesReplaced } from '../../store/event-places.ts';
import { contentHash } from '../../store/sql-store.ts';

export interface DocumentEventsWrite {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Events the document gave before and no longer gives (a new publication day re-dates them away). */
  removed: number;
}

const INSERT_EVENT = `INSERT INTO events (${[...EVENT_COLUMNS.map((c) => c.name), 'content_hash', 'updated_at'].join(', ')})
  VALUES (${[
    ...EVENT_COLUMNS.map((c, i) => `CAST($${i + 1} AS ${c.type})`),
    `$${EVENT_COLUMNS.length + 1}`,
    `CAST($${EVENT_COLUMNS.length + 2} AS TIMESTAMP)`,
  ].join(', ')})`;

/**
 * Makes the stored events of one document exactly `records`, inside the caller's transaction (the
 * store's EventWriter commits on its own connection, so it cannot share the document's transaction).
 * Events keep their ids (`text:<document id>:<index>`); unchanged ones are left alone, changed ones
 * replaced, and the ones the document no longer gives are deleted. A document has a handful of events,
 * so row-by-row statements cost nothing next to the extraction.
 */
export async function replaceDocumentEvents(
  tx: Queryable,
  documentId: string,
  records: readonly EventRecord[],
  batch: { file: string; sha256: string; rowsRead: number; now: string },
): Promise<DocumentEventsWrite> {
  const prefix = `text:${documentId}:`;
  const stored = await tx.query<{ id: string; content_hash: string }>(
    // An exact prefix, not LIKE: a document id may contain % or _.
    `SELECT id, content_hash FROM events
     WHERE source = 'text' AND SUBSTR(id, 1, CAST($2 AS INTEGER)) = $1`,
    [prefix, prefix.length],
  );
  const storedHash = new Map(stored.map((r) => [r.id, r.content_hash]));
  const kept = new Set(records.map((r) => r.id));
  const result: DocumentEventsWrite = { inserted: 0, updated: 0, unchanged: 0, removed: 0 };
  // The network's monthly sums and exposure's sums by position follow every write to events
  // (src/store/actor-pair-months.ts, src/store/event-places.ts).
  const hashes = new Map(records.map((r) => [r.id, contentHash(r)]));
  const replaced = stored.filter((r) => hashes.get(r.id) !== r.content_hash).map((r) => r.id);
  const touched = await eventsReplaced(tx, replaced);
  const placesWritten = await eventPlacesReplaced(tx, replaced);
  const written: string[] = [];
  for (const id of storedHash.keys()) {
    if (kept.has(id)) continue;
    await tx.query('DELETE FROM events WHERE id = $1', [id]);
    result.removed++;
  }
  const batchId = randomUUID();
  for (const record of records) {
    const hash = hashes.get(record.id) ?? contentHash(record);
    const before = storedHash.get(record.id);
    if (before === hash) {
      result.unchanged++;
      continue;
    }
    if (before === undefined) result.inserted++;
    else {
      result.updated++;
      await tx.query('DELETE FROM events WHERE id = $1', [record.id]);
    }
    const cells = EVENT_COLUMNS.map((c) => c.read({ ...record, batchId }));
    await tx.query(INSERT_EVENT, [...cells, hash, batch.now]);
    written.push(record.id);
  }
  await refreshActorPairMonths(tx, await touched(written));
  await placesWritten(written);
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
