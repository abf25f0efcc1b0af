import type { Queryable, SqlParam } from './contract.ts';
import { Params } from './filter-sql.ts';

/**
 * `event_places`: the events summed per exact position (latitude, longitude) and month, and per position
 * and actor, so that exposure around a site measures the distance once per position instead of once per
 * event, and reads a few hundred rows instead of scanning a million events' coordinates (on DuckDB,
 * filtering two DOUBLE columns of a million rows costs more than the rest of the question). Positions,
 * not grid cells: a position's distance is the exact one, so no row straddles the radius.
 *
 * Three kinds of row (`kind`): a position's totals; its events of one month, which also list those events
 * as entries `date US fatalities US id` (US = chr(31), entries separated by RS = chr(30)), so that the
 * nearest recent events, and the days of a month a window boundary cuts, are found without reading
 * `events` by position; and its events of all time by actor (`COALESCE(actor1_id, actor1)`, null when
 * neither is known). Fatalities are `COALESCE(fatalities_best, 0)`. Events without coordinates are left
 * out, as exposure leaves them out.
 *
 * Rows are signed, so every writer keeps the table exact by appending what it changes: the sums and
 * entries of the events it adds (`added`), and minus the sums, with the entries under `removed`, of the
 * stored versions it replaces or deletes. Readers sum a key's rows and take each entry as many times as it
 * was added less the times it was removed. A file's import then sums the cells it touched into one row per
 * key (the entry lists concatenated); a document's rows wait for the next file that touches their cells,
 * or on PostgreSQL until a key has gathered too many.
 */
export const EVENT_PLACES_DDL = `
CREATE TABLE IF NOT EXISTS event_places (
  kind SMALLINT NOT NULL,
  lat_cell INTEGER NOT NULL,
  lon_cell INTEGER NOT NULL,
  latitude DOUBLE PRECISION NOT NULL,
  longitude DOUBLE PRECISION NOT NULL,
  month DATE,
  actor TEXT,
  events BIGINT NOT NULL,
  fatalities BIGINT NOT NULL,
  added TEXT,
  removed TEXT
)`;

/** PostgreSQL reads cells through an index; DuckDB through its scan (an index slows its writes). */
export const EVENT_PLACES_INDEX =
  'CREATE INDEX IF NOT EXISTS event_places_cell_idx ON event_places (lat_cell, lon_cell, kind)';

/** `kind`: a position's totals, its events of one month, its events of one actor. */
export const PLACE_KIND = { position: 0, month: 1, actor: 2 } as const;

/**
 * Cells per degree of `lat_cell` / `lon_cell` (FLOOR(degrees × this)): integer keys that the engines
 * filter far faster than DOUBLE columns, so that readers narrow by cell before comparing coordinates.
 */
export const CELLS_PER_DEGREE = 100;

const PLACES_COLUMNS =
  'kind, lat_cell, lon_cell, latitude, longitude, month, actor, events, fatalities, added, removed';

/** One integer per cell, `lat_cell × CELL_KEY + lon_cell`, for lists of cells (|lon_cell| ≤ 18 000). */
export const CELL_KEY = 40_000;
export const cellKey = (latCell: number, lonCell: number) => latCell * CELL_KEY + lonCell;

/** Separates an entry's fields, and entries, in `added` and `removed`. */
export const ENTRY_FIELD = '\x1f';
export const ENTRY_END = '\x1e';

/**
 * The signed rows for `source`, a SELECT over alias `q` of `events`' columns id, latitude, longitude,
 * event_date, fatalities_best, actor1_id and actor1, plus `sign` (1 for an event added, -1 for one
 * removed). Three groupings written out (not GROUPING SETS) so the entries are built for month rows only.
 */
export function eventPlacesSelect(source: string): string {
  const rows = (entry: boolean) =>
    `SELECT q.latitude, q.longitude, CAST(DATE_TRUNC('month', q.event_date) AS DATE) AS month,
            COALESCE(q.actor1_id, q.actor1) AS actor, COALESCE(q.fatalities_best, 0) AS f, q.sign
            ${entry ? ', CAST(q.event_date AS TEXT) || chr(31) || CAST(COALESCE(q.fatalities_best, 0) AS TEXT) || chr(31) || q.id AS entry' : ''}
     FROM (${source}) q WHERE q.latitude IS NOT NULL AND q.longitude IS NOT NULL`;
  // Cells are computed from the groups, not grouped on: two more keys cost a quarter more.
  const cells = `CAST(FLOOR(latitude * ${CELLS_PER_DEGREE}) AS INTEGER) AS lat_cell,
     CAST(FLOOR(longitude * ${CELLS_PER_DEGREE}) AS INTEGER) AS lon_cell`;
  const cancels = 'HAVING SUM(sign) <> 0 OR SUM(sign * f) <> 0';
  // Month rows are kept even when their sums cancel out: a date moved within the month changes entries only.
  return `SELECT ${PLACE_KIND.month} AS kind, ${cells}, latitude, longitude, month, CAST(NULL AS TEXT) AS actor,
            SUM(sign) AS events, SUM(sign * f) AS fatalities,
            STRING_AGG(CASE WHEN sign > 0 THEN entry END, chr(30)) AS added,
            STRING_AGG(CASE WHEN sign < 0 THEN entry END, chr(30)) AS removed
     FROM (${rows(true)}) p GROUP BY latitude, longitude, month
     UNION ALL
     SELECT ${PLACE_KIND.actor}, ${cells}, latitude, longitude, CAST(NULL AS DATE), actor, SUM(sign),
            SUM(sign * f), CAST(NULL AS TEXT), CAST(NULL AS TEXT)
     FROM (${rows(false)}) p GROUP BY latitude, longitude, actor ${cancels}
     UNION ALL
     SELECT ${PLACE_KIND.position}, ${cells}, latitude, longitude, CAST(NULL AS DATE), CAST(NULL AS TEXT),
            SUM(sign), SUM(sign * f), CAST(NULL AS TEXT), CAST(NULL AS TEXT)
     FROM (${rows(false)}) p GROUP BY latitude, longitude ${cancels}`;
}

/** Inserts the signed rows for `source` (see eventPlacesSelect). */
export const eventPlacesInsert = (source: string) =>
  `INSERT INTO event_places (${PLACES_COLUMNS}) ${eventPlacesSelect(source)}`;

/** The columns of `events` the table is summed from. */
export const EVENT_PLACES_SOURCE_COLUMNS =
  'id, latitude, longitude, event_date, fatalities_best, actor1_id, actor1';
const COLUMNS = EVENT_PLACES_SOURCE_COLUMNS;
const of = (alias: string) =>
  COLUMNS.split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ');

/** Fills the table from every event (the migration that creates it, and stores filled by other means). */
export async function rebuildEventPlaces(db: Queryable): Promise<void> {
  await db.query('DELETE FROM event_places');
  await db.query(eventPlacesInsert(`SELECT ${COLUMNS}, 1 AS sign FROM events`));
}

/** A file's cell key, for lists of touched cells. */
const CELL = `lat_cell * CAST(${CELL_KEY} AS BIGINT) + lon_cell`;

/**
 * Adds a file's signed rows (`source` as for eventPlacesInsert) and sums the cells they touch into one
 * row per key again, dropping keys whose rows cancel out; other cells are not read. Into an empty table
 * (a first import) the rows go straight in: they are one per key already.
 */
async function addFileRows(db: Queryable, source: string, params: readonly SqlParam[]): Promise<void> {
  if (!(await db.query('SELECT 1 AS one FROM event_places LIMIT 1')).length) {
    await db.query(eventPlacesInsert(source), params);
    return;
  }
  // Inside the import's transaction: a failure rolls the temporary tables back with everything else.
  await db.query(`CREATE TEMPORARY TABLE event_places_delta AS ${eventPlacesSelect(source)}`, params);
  const touched = `${CELL} IN (SELECT DISTINCT ${CELL} FROM event_places_delta)`;
  await db.query(
    `CREATE TEMPORARY TABLE event_places_sum AS
     SELECT kind, lat_cell, lon_cell, latitude, longitude, month, actor, SUM(events) AS events,
            SUM(fatalities) AS fatalities, STRING_AGG(added, chr(30)) AS added,
            STRING_AGG(removed, chr(30)) AS removed
     FROM (SELECT ${PLACES_COLUMNS} FROM event_places WHERE ${touched}
           UNION ALL SELECT ${PLACES_COLUMNS} FROM event_places_delta) p
     GROUP BY kind, lat_cell, lon_cell, latitude, longitude, month, actor
     HAVING SUM(events) <> 0 OR SUM(fatalities) <> 0 OR STRING_AGG(added, chr(30)) IS NOT NULL`,
  );
  await db.query(`DELETE FROM event_places WHERE ${touched}`);
  await db.query(
    `INSERT INTO event_places (${PLACES_COLUMNS}) SELECT ${PLACES_COLUMNS} FROM event_places_sum`,
  );
  await db.query('DROP TABLE event_places_sum');
  await db.query('DROP TABLE event_places_delta');
}

/**
 * An import's rows from its stage, called inside its transaction before the stored versions are deleted:
 * plus the staged events that are new or changed (the ids in `writes`, sorted by the import's one comparison
 * with `events`), minus the stored versions they replace (`replacing` says whether any are).
 */
export async function eventPlacesOfStage(
  db: Queryable,
  stage: string,
  writes: string,
  replacing: boolean,
): Promise<void> {
  const added = `SELECT ${of('s')}, 1 AS sign FROM ${stage} s WHERE s.id IN (SELECT id FROM ${writes})`;
  const removed = `SELECT ${of('e')}, -1 AS sign FROM events e
     WHERE e.id IN (SELECT id FROM ${writes} WHERE NOT added)`;
  await addFileRows(db, replacing ? `${added} UNION ALL ${removed}` : added, []);
}

/** An import's rows inserted straight into `events` (never staged, never replacing): read back by batch. */
export async function eventPlacesOfBatch(db: Queryable, batchId: string): Promise<void> {
  await addFileRows(db, `SELECT ${COLUMNS}, 1 AS sign FROM events WHERE batch_id = $1`, [batchId]);
}

/** Signed rows for a few events by id (a document's), read from `events` as they stand now. */
async function signedRows(db: Queryable, ids: readonly string[], sign: 1 | -1): Promise<void> {
  if (!ids.length) return;
  const p = new Params();
  await db.query(
    eventPlacesInsert(`SELECT ${COLUMNS}, ${sign} AS sign FROM events WHERE id IN (${p.list(ids)})`),
    p.values,
  );
}

/** Rows a key may gather from documents before PostgreSQL sums its cell into one row per key. */
const MAX_ROWS_PER_KEY = 16;

/**
 * On PostgreSQL (where writers take turns, see actor-pair-months.ts `takeTurn`), sums the cells of these
 * events into one row per key once a key there has gathered more than MAX_ROWS_PER_KEY rows, so that a
 * store fed only by documents does not pile rows up. On DuckDB two imports may write the same cell at
 * once (a delete there would conflict): its rows wait for the next file, as `actor_pair_months`' do.
 */
async function sumCrowdedCells(db: Queryable, ids: readonly string[]): Promise<void> {
  if (db.dialect !== 'postgres' || !ids.length) return;
  const p = new Params();
  const cells = `SELECT DISTINCT CAST(FLOOR(latitude * ${CELLS_PER_DEGREE}) AS INTEGER) * CAST(${CELL_KEY} AS BIGINT)
       + CAST(FLOOR(longitude * ${CELLS_PER_DEGREE}) AS INTEGER) FROM events WHERE id IN (${p.list(ids)})`;
  const crowded = await db.query<{ cell: number }>(
    `SELECT DISTINCT ${CELL} AS cell FROM event_places WHERE ${CELL} IN (${cells})
     GROUP BY lat_cell, lon_cell, kind, latitude, longitude, month, actor HAVING COUNT(*) > ${MAX_ROWS_PER_KEY}`,
    p.values,
  );
  if (!crowded.length) return;
  const q = new Params();
  await db.query(
    `WITH gone AS (DELETE FROM event_places WHERE ${CELL} IN (${q.list(crowded.map((r) => String(r.cell)))}) RETURNING *)
     INSERT INTO event_places (${PLACES_COLUMNS})
     SELECT kind, lat_cell, lon_cell, latitude, longitude, month, actor, SUM(events), SUM(fatalities),
            STRING_AGG(added, chr(30)), STRING_AGG(removed, chr(30))
     FROM gone GROUP BY kind, lat_cell, lon_cell, latitude, longitude, month, actor
     HAVING SUM(events) <> 0 OR SUM(fatalities) <> 0 OR STRING_AGG(added, chr(30)) IS NOT NULL`,
    q.values,
  );
}

/**
 * For writers that change a few events by id (a document's): call inside the transaction before deleting
 * `replaced` (ids stored now, to be deleted or rewritten), and call what it returns once `written` (ids
 * inserted) are in `events`. Appends, and on PostgreSQL sums the written events' cells once crowded.
 */
export async function eventPlacesReplaced(
  db: Queryable,
  replaced: readonly string[],
): Promise<(written: readonly string[]) => Promise<void>> {
  await signedRows(db, replaced, -1);
  return async (written) => {
    await signedRows(db, written, 1);
    await sumCrowdedCells(db, written);
  };
}
