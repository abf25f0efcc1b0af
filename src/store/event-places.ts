import type { Queryable } from './contract.ts';
import { Params } from './filter-sql.ts';

/**
 * `event_places`: the events summed per exact position (latitude, longitude) and month, and per position
 * and actor, so that exposure around a site measures the distance once per position instead of once per
 * event, and reads a few hundred rows instead of scanning a million events' coordinates (on DuckDB,
 * filtering two DOUBLE columns of a million rows costs more than the rest of the question). Positions,
 * not grid cells: a position's distance is the exact one, so no row straddles the radius.
 *
 * Rows with a month are the position's events of that month (`actor` null); rows without a month are its
 * events of all time by actor (`COALESCE(actor1_id, actor1)`, null when neither is known). Fatalities are
 * `COALESCE(fatalities_best, 0)`. Events without coordinates are left out, as exposure leaves them out.
 *
 * Rows are signed sums, so every writer keeps the table exact by appending what it changes: the sums of
 * the events it adds, and minus the sums of the stored versions it replaces or deletes. Readers sum a
 * key's rows (a key may have several, and a key whose rows cancel out is no key at all); a file's import
 * sums the table into one row per key again (`compactEventPlaces`).
 */
export const EVENT_PLACES_DDL = `
CREATE TABLE IF NOT EXISTS event_places (
  latitude DOUBLE PRECISION NOT NULL,
  longitude DOUBLE PRECISION NOT NULL,
  month DATE,
  actor TEXT,
  events BIGINT NOT NULL,
  fatalities BIGINT NOT NULL
)`;

/**
 * The signed rows for `source`, a SELECT over alias `q` of `events`' columns latitude, longitude,
 * event_date, fatalities_best, actor1_id and actor1, plus `sign` (1 for an event added, -1 for one
 * removed). One pass, both groupings.
 */
export function eventPlacesSelect(source: string): string {
  return `SELECT latitude, longitude, month, actor, SUM(sign) AS events, SUM(sign * f) AS fatalities
     FROM (SELECT q.latitude, q.longitude, CAST(DATE_TRUNC('month', q.event_date) AS DATE) AS month,
                  COALESCE(q.actor1_id, q.actor1) AS actor, COALESCE(q.fatalities_best, 0) AS f, q.sign
           FROM (${source}) q WHERE q.latitude IS NOT NULL AND q.longitude IS NOT NULL) p
     GROUP BY GROUPING SETS ((latitude, longitude, month), (latitude, longitude, actor))
     HAVING SUM(sign) <> 0 OR SUM(sign * f) <> 0`;
}

const COLUMNS = 'latitude, longitude, event_date, fatalities_best, actor1_id, actor1';
const of = (alias: string) =>
  COLUMNS.split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ');

/** Fills the table from every event (the migration that creates it, and stores filled by other means). */
export async function rebuildEventPlaces(db: Queryable): Promise<void> {
  await db.query('DELETE FROM event_places');
  await db.query(
    `INSERT INTO event_places ${eventPlacesSelect(`SELECT ${COLUMNS}, 1 AS sign FROM events`)}`,
  );
}

/** Whether the table holds any row (an import into an empty table writes one row per key: no compaction). */
async function holdsRows(db: Queryable): Promise<boolean> {
  return (await db.query('SELECT 1 AS one FROM event_places LIMIT 1')).length > 0;
}

/**
 * Sums the table into one row per key, dropping keys whose rows cancel out. It reads only this small
 * table, never `events`: a file's import calls it once its signed rows are in.
 */
export async function compactEventPlaces(db: Queryable): Promise<void> {
  await db.query(
    `CREATE TEMPORARY TABLE event_places_sum AS
     SELECT latitude, longitude, month, actor, SUM(events) AS events, SUM(fatalities) AS fatalities
     FROM event_places GROUP BY latitude, longitude, month, actor HAVING SUM(events) <> 0`,
  );
  try {
    await db.query('DELETE FROM event_places');
    await db.query(
      `INSERT INTO event_places (latitude, longitude, month, actor, events, fatalities)
       SELECT latitude, longitude, month, actor, events, fatalities FROM event_places_sum`,
    );
  } finally {
    await db.query('DROP TABLE event_places_sum');
  }
}

/**
 * An import's rows from its stage, called inside its transaction before the stored versions are deleted:
 * plus the staged events that are new or changed, minus the stored versions they replace (`replacing`
 * says whether any are; without, the second join is skipped). Then one row per key again.
 */
export async function eventPlacesOfStage(db: Queryable, stage: string, replacing: boolean): Promise<void> {
  const compact = await holdsRows(db);
  const added = `SELECT ${of('s')}, 1 AS sign FROM ${stage} s LEFT JOIN events e ON e.id = s.id
     WHERE e.id IS NULL OR e.content_hash <> s.content_hash`;
  const removed = `SELECT ${of('e')}, -1 AS sign FROM events e JOIN ${stage} s ON s.id = e.id
     WHERE e.content_hash <> s.content_hash`;
  await db.query(
    `INSERT INTO event_places ${eventPlacesSelect(replacing ? `${added} UNION ALL ${removed}` : added)}`,
  );
  if (compact) await compactEventPlaces(db);
}

/** An import's rows inserted straight into `events` (never staged, never replacing): read back by batch. */
export async function eventPlacesOfBatch(db: Queryable, batchId: string): Promise<void> {
  const compact = await holdsRows(db);
  await db.query(
    `INSERT INTO event_places ${eventPlacesSelect(`SELECT ${COLUMNS}, 1 AS sign FROM events WHERE batch_id = $1`)}`,
    [batchId],
  );
  if (compact) await compactEventPlaces(db);
}

/** Signed rows for a few events by id (a document's), read from `events` as they stand now. */
async function signedRows(db: Queryable, ids: readonly string[], sign: 1 | -1): Promise<void> {
  if (!ids.length) return;
  const p = new Params();
  await db.query(
    `INSERT INTO event_places ${eventPlacesSelect(`SELECT ${COLUMNS}, ${sign} AS sign FROM events WHERE id IN (${p.list(ids)})`)}`,
    p.values,
  );
}

/**
 * For writers that change a few events by id (a document's): call inside the transaction before deleting
 * `replaced` (ids stored now, to be deleted or rewritten), and call what it returns once `written` (ids
 * inserted) are in `events`. Only appends: no row another writer may be summing is deleted here.
 */
export async function eventPlacesReplaced(
  db: Queryable,
  replaced: readonly string[],
): Promise<(written: readonly string[]) => Promise<void>> {
  await signedRows(db, replaced, -1);
  return (written) => signedRows(db, written, 1);
}
