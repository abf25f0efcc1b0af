import { createHash } from 'node:crypto';
import type { Queryable } from './contract.ts';
import { jsonRowSource } from './json-rows.ts';
import type { Dialect } from './migrations.ts';

/**
 * How `events.raw` keeps an event's source record, lossless and as JSON, without repeating the file's
 * header in every row (the keys were ~40 % of each ACLED row's `raw`, and building and storing the object
 * JSON ~8 s of a 1M-row ingest's CPU; docs/ingest.md, session 5).
 *
 * Two shapes, told apart by the first character:
 *
 * - **tabular** (a record whose every value is a string: a row of a CSV or spreadsheet file, whatever its
 *   format): a JSON array `["<header id>", cell, cell, …]`, the cells in the record's key order. The keys
 *   are stored once in `raw_headers` under the header id, a hash of them, so that any writer on any store
 *   names the same header alike. A cell is `null` when it is the same text as the event's column
 *   `SAME_AS_COLUMN` names for its key (the id, types, actors, country, location, notes and sources,
 *   which the event stores anyway): the record is then rebuilt from that column.
 * - **object** (anything else, such as the evidence of an event read from text, and every row stored
 *   before migration 610): the record's JSON object.
 *
 * The bytes are part of what a re-import compares (columns.ts, COMPARED_COLUMN_NAMES), so the DuckDB path's
 * SQL (`rawJson` in ingest/acled/csv-sql.ts) and `encodeRaw` must write the same text for the same record: DuckDB's `to_json`,
 * which writes the hex digits of `\u00XX` escapes in upper case where V8 writes them in lower case.
 *
 * A column that `SAME_AS_COLUMN` names is written with its record and never changed alone: a writer that
 * changed one would change the record read back.
 */

/** Record keys (ACLED's names) whose cell may be left out when the event's column holds the same text. */
export const SAME_AS_COLUMN: Readonly<Record<string, string>> = {
  event_id_cnty: 'source_id',
  event_type: 'event_type',
  sub_event_type: 'sub_event_type',
  actor1: 'actor1',
  actor2: 'actor2',
  assoc_actor_1: 'assoc_actor1',
  assoc_actor_2: 'assoc_actor2',
  interaction: 'interaction',
  country: 'country',
  location: 'location',
  notes: 'notes',
  source: 'source_refs',
};

export interface RawHeader {
  /** 16 hex digits of the sha256 of the keys' JSON. */
  id: string;
  /** The keys, as a JSON array. */
  keys: string;
}

const headers = new Map<string, RawHeader>();

/** The header of a record with these keys (in their order). */
export function rawHeader(keys: readonly string[]): RawHeader {
  const json = JSON.stringify(keys);
  let header = headers.get(json);
  if (!header) {
    header = { id: createHash('sha256').update(json).digest('hex').slice(0, 16), keys: json };
    if (headers.size > 10_000) headers.clear();
    headers.set(json, header);
  }
  return header;
}

/**
 * JSON text as DuckDB's `to_json` writes it (see above): V8's, with the hex digits of `\u00XX` escapes (the
 * control characters other than \b \t \n \f \r) in upper case. Escapes are read in pairs, so an escaped
 * backslash followed by `u00…` is left alone.
 */
function asDuckDbWrites(json: string): string {
  if (!json.includes('\\u00')) return json;
  return json.replace(/\\(u00[0-9a-f]{2}|.)/g, (match, body: string) =>
    body.startsWith('u') ? `\\u${body.slice(1).toUpperCase()}` : match,
  );
}

/** A string as DuckDB's `to_json` writes it. */
export const jsonString = (s: string): string => asDuckDbWrites(JSON.stringify(s));

/** Whether `raw` is kept in the tabular shape. */
function isTabular(raw: Record<string, unknown>): raw is Record<string, string> {
  let keys = 0;
  for (const key in raw) {
    if (!Object.hasOwn(raw, key)) continue;
    if (typeof raw[key] !== 'string') return false;
    keys++;
  }
  return keys > 0;
}

/**
 * `raw` as `events.raw` stores it; `column(name)` reads the event's stored column (for SAME_AS_COLUMN).
 * The header of a tabular record is `rawHeader(Object.keys(raw))`, which its writer saves (`saveRawHeaders`).
 */
export function encodeRaw(
  raw: Record<string, unknown> | null,
  column: (name: string) => unknown,
): string | null {
  if (raw === null) return null;
  if (!isTabular(raw)) return JSON.stringify(raw);
  const keys = Object.keys(raw);
  const cells: (string | null)[] = [rawHeader(keys).id];
  for (const key of keys) {
    const cell = raw[key] as string;
    const same = SAME_AS_COLUMN[key];
    cells.push(same !== undefined && cell === column(same) ? null : cell);
  }
  return asDuckDbWrites(JSON.stringify(cells));
}

/** The headers of the tabular records among `raws`, by id. */
export function rawHeadersOf(raws: Iterable<Record<string, unknown> | null>): Map<string, RawHeader> {
  const found = new Map<string, RawHeader>();
  for (const raw of raws) {
    if (raw === null || !isTabular(raw)) continue;
    const header = rawHeader(Object.keys(raw));
    found.set(header.id, header);
  }
  return found;
}

/**
 * Stores headers that `raw_headers` does not hold yet, inside the writer's transaction. A header id taken
 * by other keys (a 64-bit hash colliding) is refused rather than read back wrong.
 */
export async function saveRawHeaders(q: Queryable, found: ReadonlyMap<string, RawHeader>): Promise<void> {
  if (found.size === 0) return;
  const wanted = [...found.values()];
  const ids = wanted.map((_, i) => `$${i + 1}`).join(', ');
  const stored = await q.query<{ id: string; keys: string }>(
    `SELECT id, keys FROM raw_headers WHERE id IN (${ids})`,
    wanted.map((h) => h.id),
  );
  const have = new Map(stored.map((r) => [String(r.id), String(r.keys)]));
  const missing: RawHeader[] = [];
  for (const header of wanted) {
    const keys = have.get(header.id);
    if (keys === undefined) missing.push(header);
    else if (keys !== header.keys)
      throw new Error(`raw_headers: id ${header.id} is taken by ${keys}, not ${header.keys}`);
  }
  if (missing.length === 0) return;
  await q.query(
    `INSERT INTO raw_headers (id, keys) VALUES ${missing.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ')}
     ON CONFLICT (id) DO NOTHING`,
    missing.flatMap((h) => [h.id, h.keys]),
  );
}

/** The alias `rawHeaderJoinSql` gives `raw_headers` beside `alias`'s `events`. */
export const rawHeaderAlias = (alias: string): string => `${alias}_header`;

/**
 * SQL joining the header of each stored record (NULL for an object) to `alias`'s rows of `events`, for
 * `decodeRaw`: `FROM events e ${rawHeaderJoinSql('e')}`. A join rather than a subquery per row: DuckDB read a
 * page of 100 events in 15 ms against 18 ms. The same text on both dialects.
 */
export function rawHeaderJoinSql(alias: string): string {
  const header = rawHeaderAlias(alias);
  return `LEFT JOIN raw_headers ${header}
    ON ${header}.id = CASE WHEN SUBSTR(${alias}.raw, 1, 2) = '["' THEN SUBSTR(${alias}.raw, 3, 16) END`;
}

/**
 * The record of a stored `events.raw`, of either shape. `keys` is the header (`rawHeaderJoinSql`) and
 * `column(name)` the event's stored column.
 */
export function decodeRaw(
  raw: string | null,
  keys: string | null,
  column: (name: string) => unknown,
): Record<string, unknown> | null {
  if (raw === null) return null;
  const parsed = JSON.parse(raw) as unknown;
  if (!Array.isArray(parsed)) return parsed as Record<string, unknown>;
  if (keys === null) throw new Error(`raw_headers holds no header ${String(parsed[0])}`);
  const names = JSON.parse(keys) as string[];
  if (names.length !== parsed.length - 1)
    throw new Error(
      `raw_headers: header ${String(parsed[0])} has ${names.length} keys, the record ${parsed.length - 1} cells`,
    );
  // fromEntries, not assignment: a key such as __proto__ stays a key.
  return Object.fromEntries(
    names.map((name, i) => {
      const cell = parsed[i + 1] as string | null;
      const same = SAME_AS_COLUMN[name];
      return [name, cell === null && same !== undefined ? String(column(same)) : cell];
    }),
  );
}

/** Rows a page of `tabulateStoredRecords` reads. */
const PAGE = 50_000;

/**
 * Migration 611: the records of an older store, all JSON objects, rewritten in the shape `encodeRaw` gives
 * them, so that re-importing a file after the upgrade finds its rows unchanged. Records that stay objects
 * are left as they are. Pages by id, a transaction each: an interrupted run leaves both shapes, which
 * readers take, and the next run goes on with the objects left.
 */
export async function tabulateStoredRecords(
  transaction: <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>,
  dialect: Dialect,
): Promise<void> {
  const columns = [...new Set(Object.values(SAME_AS_COLUMN))];
  const target = jsonRowSource(
    dialect,
    [
      { name: 'id', type: 'TEXT' },
      { name: 'raw', type: 'TEXT' },
    ],
    'r',
  );
  let after = '';
  for (;;) {
    const done = await transaction((q) => tabulatePage(q, target, columns, after));
    if (done === null) return;
    after = done;
  }
}

/** One page of `tabulateStoredRecords` after id `after`: the last id read, null when none was left. */
async function tabulatePage(
  q: Queryable,
  target: string,
  columns: readonly string[],
  after: string,
): Promise<string | null> {
  const rows = await q.query<Record<string, string | null>>(
    `SELECT id, raw, ${columns.join(', ')} FROM events
     WHERE id > $1 AND SUBSTR(raw, 1, 1) = '{' ORDER BY id LIMIT ${PAGE}`,
    [after],
  );
  const last = rows.at(-1);
  if (!last) return null;
  const updates: { id: string; raw: string }[] = [];
  const records: Record<string, unknown>[] = [];
  for (const row of rows) {
    const record = JSON.parse(String(row.raw)) as Record<string, unknown>;
    const raw = encodeRaw(record, (name) => row[name]);
    if (raw === null || !raw.startsWith('[')) continue;
    records.push(record);
    updates.push({ id: String(row.id), raw });
  }
  if (updates.length > 0) {
    await saveRawHeaders(q, rawHeadersOf(records));
    await q.query(`UPDATE events SET raw = r.raw FROM ${target} WHERE events.id = r.id`, [
      JSON.stringify(updates),
    ]);
  }
  return String(last.id);
}
