import { randomUUID } from 'node:crypto';
import type { EventRecord } from '../../schema/index.ts';
import { eventsReplaced, refreshActorPairMonths } from '../../store/actor-pair-months.ts';
import { EVENT_COLUMNS, rowsDifferSql } from '../../store/columns.ts';
import type { Queryable } from '../../store/contract.ts';
import { eventPlacesReplaced } from '../../store/event-places.ts';
import { rawHeadersOf, saveRawHeaders } from '../../store/raw-record.ts';

export interface DocumentEventsWrite {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Events the document gave before and no longer gives (a new publication day re-dates them away). */
  removed: number;
}

/** A record's cells as typed SQL values ($1… in EVENT_COLUMNS order). */
const RECORD_VALUES = EVENT_COLUMNS.map((c, i) => `CAST($${i + 1} AS ${c.type})`);

const INSERT_EVENT = `INSERT INTO events (${[...EVENT_COLUMNS.map((c) => c.name), 'updated_at'].join(', ')})
  VALUES (${[...RECORD_VALUES, `CAST($${EVENT_COLUMNS.length + 1} AS TIMESTAMP)`].join(', ')})`;

/** Whether the stored event with the record's id differs from it: the file import's comparison. */
const DIFFERS_FROM_STORED = `SELECT ${rowsDifferSql('e', 'r')} AS differs
  FROM events e, (SELECT ${RECORD_VALUES.map((v, i) => `${v} AS ${EVENT_COLUMNS[i]?.name}`).join(', ')}) r
  WHERE e.id = r.id`;

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
  const stored = await tx.query<{ id: string }>(
    // An exact prefix, not LIKE: a document id may contain % or _.
    `SELECT id FROM events
     WHERE source = 'text' AND SUBSTR(id, 1, CAST($2 AS INTEGER)) = $1`,
    [prefix, prefix.length],
  );
  const storedIds = new Set(stored.map((r) => r.id));
  const kept = new Set(records.map((r) => r.id));
  const result: DocumentEventsWrite = { inserted: 0, updated: 0, unchanged: 0, removed: 0 };
  // A handful of events: one comparison each, by primary key.
  const changed = new Set<string>();
  for (const record of records) {
    if (!storedIds.has(record.id)) continue;
    const [row] = await tx.query<{ differs: boolean }>(
      DIFFERS_FROM_STORED,
      EVENT_COLUMNS.map((c) => c.read(record)),
    );
    if (row?.differs) changed.add(record.id);
  }
  // The network's monthly sums and exposure's sums by position follow every write to events
  // (src/store/actor-pair-months.ts, src/store/event-places.ts).
  const replaced = stored.map((r) => r.id).filter((id) => !kept.has(id) || changed.has(id));
  const touched = await eventsReplaced(tx, replaced);
  const placesWritten = await eventPlacesReplaced(tx, replaced);
  const written: string[] = [];
  for (const id of storedIds) {
    if (kept.has(id)) continue;
    await tx.query('DELETE FROM events WHERE id = $1', [id]);
    result.removed++;
  }
  const batchId = randomUUID();
  await saveRawHeaders(tx, rawHeadersOf(records.map((r) => r.raw)));
  for (const record of records) {
    const isStored = storedIds.has(record.id);
    if (isStored && !changed.has(record.id)) {
      result.unchanged++;
      continue;
    }
    if (!isStored) result.inserted++;
    else {
      result.updated++;
      await tx.query('DELETE FROM events WHERE id = $1', [record.id]);
    }
    const cells = EVENT_COLUMNS.map((c) => c.read({ ...record, batchId }));
    await tx.query(INSERT_EVENT, [...cells, batch.now]);
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
