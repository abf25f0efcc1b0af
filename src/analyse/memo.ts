import type { Queryable, SqlParam, SqlRow } from '../store/contract.ts';

/**
 * The events' state, read cheaply when the store does not count its writes itself (see eventsVersion).
 * DuckDB: their number and the newest write (≈1 ms at a million
 * events); every write path stamps `updated_at` with its own time and an update replaces the row, so an
 * import, a correction or a deletion changes one of the two. PostgreSQL takes ~130 ms to count a million
 * rows, so there a trigger counts the statements that wrote to `events` (migration 350) and that one row
 * is read instead.
 */
const VERSION_SQL = {
  duckdb: 'SELECT COUNT(*) AS n, CAST(MAX(updated_at) AS TEXT) AS at FROM events',
  postgres: 'SELECT writes AS n, NULL AS at FROM events_version WHERE id = 1',
} as const;

const reading = new WeakMap<Queryable, Promise<string>>();

/**
 * The events' state as a string. Callers that ask at the same moment share one reading; a reading
 * started after a write has finished always sees it.
 */
export function eventsVersion(db: Queryable): Promise<string> {
  // A store that counts every write to its database (DuckDB) needs no reading at all: its count changes
  // with any write, to events or not.
  const writes = db.writeCount?.();
  if (writes !== undefined) return Promise.resolve(`writes:${writes}`);
  const pending = reading.get(db);
  if (pending) return pending;
  const version = db
    .query<{ n: number; at: string | null }>(VERSION_SQL[db.dialect])
    .then(([row]) => `${row?.n ?? 0}|${row?.at ?? ''}`)
    .finally(() => reading.delete(db));
  reading.set(db, version);
  return version;
}

const memos = new WeakMap<Queryable, Map<string, { version: string; value: Promise<unknown> }>>();

/**
 * Remembers a figure drawn from the events alone (data coverage, the number of districts, meta's lists)
 * until the events change, so that the questions a dashboard asks over and over do not each rescan a
 * million events for it. Each call checks the events' version first (one cheap read), so an answer
 * never outlives a write, whichever process made it. Failures are not remembered.
 *
 * `key` must name everything else the figure depends on (its filter; for names joined from `actors`,
 * that table's state).
 */
export async function memoised<T>(db: Queryable, key: string, compute: () => Promise<T>): Promise<T> {
  const version = await eventsVersion(db);
  let table = memos.get(db);
  if (!table) {
    table = new Map();
    memos.set(db, table);
  }
  const cached = table.get(key);
  if (cached && cached.version === version) return cached.value as Promise<T>;
  // Read after the version: a write landing in between only makes the entry look older than it is.
  const value = compute();
  table.set(key, { version, value });
  if (table.size > 200) table.delete(table.keys().next().value as string);
  value.catch(() => {
    if (table?.get(key)?.value === value) table.delete(key);
  });
  return value;
}

const reads = new WeakMap<Queryable, Map<string, { writes: number; rows: Promise<unknown[]> }>>();

/**
 * The rows of a statement over small tables (groups, aliases, mergers), remembered until the next write to
 * the store, when the store counts its writes (DuckDB); read every time otherwise (PostgreSQL, where other
 * processes write). Each such statement costs ≈ 1–3 ms on DuckDB, and a question over an actor group
 * issues several. Callers must not change the rows they get.
 */
export function readUntilWrite<T extends SqlRow>(
  db: Queryable,
  sql: string,
  params: readonly SqlParam[] = [],
): Promise<T[]> {
  const writes = db.writeCount?.();
  if (writes === undefined) return db.query<T>(sql, params);
  let table = reads.get(db);
  if (!table) {
    table = new Map();
    reads.set(db, table);
  }
  const key = `${sql}\u0000${JSON.stringify(params)}`;
  const cached = table.get(key);
  if (cached && cached.writes === writes) return cached.rows as Promise<T[]>;
  const rows = db.query<T>(sql, params);
  table.set(key, { writes, rows });
  if (table.size > 200) table.delete(table.keys().next().value as string);
  rows.catch(() => {
    if (table?.get(key)?.rows === rows) table.delete(key);
  });
  return rows;
}
