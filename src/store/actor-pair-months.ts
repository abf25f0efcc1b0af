import type { EventFilter } from '../schema/index.ts';
import type { Queryable } from './contract.ts';
import { Params } from './filter-sql.ts';
import { MONTH, nextMonth, sumMonthsAgain, wholeMonths } from './monthly-sums.ts';
import { addPlaceEvents, placeMonthsSelect } from './place-months.ts';

/** The two tables of sums by actor combination: by month, and by year. */
const sumsTableDdl = (table: string, period: string) => `
CREATE TABLE IF NOT EXISTS ${table} (
  ${period} DATE,
  a1 TEXT,
  a2 TEXT,
  assoc_actor1 TEXT,
  assoc_actor2 TEXT,
  n1 TEXT,
  n2 TEXT,
  events BIGINT NOT NULL,
  fatalities BIGINT NOT NULL,
  first DATE,
  last DATE,
  first_key TEXT,
  last_key TEXT
)`;

/**
 * `actor_pair_months`: the events summed per month and per combination of actors as the events name
 * them (primary actor ids or names, associated actor lists as written), so that the actor network over
 * whole months reads a few thousand rows instead of every event. A combination may have several rows
 * (documents' events are appended, see addEvents): readers sum them. It holds nothing but sums of the events
 * table's own columns: alias tables, actor names and mergers are applied when it is read, so only writes
 * to `events` change it, and every such write goes through the import (`refreshActorPairMonths` in
 * `finish`). `first_key` / `last_key` are `event_date|id` of the group's first and latest event. Events
 * without a date, should a store hold any, are summed under a null month.
 */
export const ACTOR_PAIR_MONTHS_DDL = sumsTableDdl('actor_pair_months', 'month');

/** PostgreSQL reads month ranges through an index; DuckDB through its zone maps (an index slows its writes). */
export const ACTOR_PAIR_MONTHS_INDEX =
  'CREATE INDEX IF NOT EXISTS actor_pair_months_month_idx ON actor_pair_months (month)';

/**
 * `actor_pair_years`: `actor_pair_months` summed again by year (`year` the first of January), so that
 * questions over whole years read a tenth of the rows: on the bench's million events, 1,100 rows a year
 * against 10,500. Kept by the same calls, in the same transaction, from `actor_pair_months` itself (or,
 * for a document's new events, from those events), with the same rules: a key may have several rows,
 * readers sum them.
 */
export const ACTOR_PAIR_YEARS_DDL = sumsTableDdl('actor_pair_years', 'year');

export const ACTOR_PAIR_YEARS_INDEX =
  'CREATE INDEX IF NOT EXISTS actor_pair_years_year_idx ON actor_pair_years (year)';

/** The columns both tables hold after their month or year. */
const SUM_COLUMNS =
  'a1, a2, assoc_actor1, assoc_actor2, n1, n2, events, fatalities, first, last, first_key, last_key';

/** A date's year, as a DATE (its first of January). */
const YEAR = (column: string) => `CAST(DATE_TRUNC('year', ${column}) AS DATE)`;

/**
 * The rows of `actor_pair_months` and `actor_pair_years` (as `month`, alias-free) that sum to the events of
 * `filter`, or null when it filters on more than whole months. With `years`, the years the range holds
 * whole are read from `actor_pair_years` and only the months before and after them from `actor_pair_months`
 * (for sums over actors and whole periods of a year or more); without, every month from `actor_pair_months`.
 *
 * @example actorPairRows({ from: '2024-01-01', to: '2024-12-31' }, params, true) // 2024's year rows
 */
export function actorPairRows(filter: EventFilter, params: Params, years: boolean): string | null {
  const months = wholeMonths(filter);
  if (!months) return null;
  const { from, to } = months;
  const date = (d: string) => `CAST(${params.add(d)} AS DATE)`;
  const monthRows = (range: string[]) =>
    `SELECT m.month, ${SUM_COLUMNS} FROM actor_pair_months m WHERE ${range.join(' AND ') || 'TRUE'}`;
  // Functions: every bound value must appear in the statement.
  const fromRange = () => (from ? [`m.month >= ${date(from)}`] : []);
  const toRange = () => (to ? [`m.month <= ${date(`${to.slice(0, 7)}-01`)}`] : []);
  // The years the range holds whole: from the first January on or after `from`, to the last December
  // on or before `to`.
  const firstYear = from ? Number(from.slice(0, 4)) + (from.slice(5, 7) === '01' ? 0 : 1) : null;
  const lastYear = to ? Number(to.slice(0, 4)) - (to.slice(5, 7) === '12' ? 0 : 1) : null;
  if (!years || (firstYear !== null && lastYear !== null && firstYear > lastYear))
    return `(${monthRows([...fromRange(), ...toRange()])})`;
  const january = (year: number) => `${String(year).padStart(4, '0')}-01-01`;
  const parts: string[] = [];
  if (firstYear !== null && from !== january(firstYear))
    parts.push(monthRows([...fromRange(), `m.month < ${date(january(firstYear))}`]));
  const yearRange = [
    ...(firstYear !== null ? [`y.year >= ${date(january(firstYear))}`] : []),
    ...(lastYear !== null ? [`y.year <= ${date(january(lastYear))}`] : []),
  ];
  parts.push(
    `SELECT y.year AS month, ${SUM_COLUMNS} FROM actor_pair_years y WHERE ${yearRange.join(' AND ') || 'TRUE'}`,
  );
  if (lastYear !== null && to && to.slice(5, 7) !== '12')
    parts.push(monthRows([`m.month >= ${date(january(lastYear + 1))}`, ...toRange()]));
  return `(${parts.join(' UNION ALL ')})`;
}

/** The rows of `actor_pair_years` for the rows of `actor_pair_months` matching `where` (over alias `m`). */
export function actorPairYearsSelect(where: string): string {
  return `SELECT ${YEAR('m.month')} AS year, m.a1, m.a2, m.assoc_actor1, m.assoc_actor2, MIN(m.n1) AS n1,
            MIN(m.n2) AS n2, SUM(m.events) AS events, SUM(m.fatalities) AS fatalities, MIN(m.first) AS first,
            MAX(m.last) AS last, MIN(m.first_key) AS first_key, MAX(m.last_key) AS last_key
     FROM actor_pair_months m WHERE ${where}
     GROUP BY 1, 2, 3, 4, 5`;
}

/** Fills `actor_pair_years` from `actor_pair_months` (the migration that creates it, and rebuilds). */
export async function rebuildActorPairYears(db: Queryable): Promise<void> {
  await db.query('DELETE FROM actor_pair_years');
  await db.query(`INSERT INTO actor_pair_years ${actorPairYearsSelect('TRUE')}`);
}

/** The rows of `actor_pair_months` for the events matching `where` (over alias `e`), or by year. */
export function actorPairMonthsSelect(where: string, unit: 'month' | 'year' = 'month'): string {
  return `SELECT ${unit === 'month' ? MONTH('e.event_date') : YEAR('e.event_date')} AS ${unit}, COALESCE(e.actor1_id, e.actor1) AS a1,
            COALESCE(e.actor2_id, e.actor2) AS a2, e.assoc_actor1, e.assoc_actor2,
            MIN(e.actor1) AS n1, MIN(e.actor2) AS n2, COUNT(*) AS events,
            COALESCE(SUM(e.fatalities_best), 0) AS fatalities,
            MIN(e.event_date) AS first, MAX(e.event_date) AS last,
            MIN(CAST(e.event_date AS TEXT) || '|' || e.id) AS first_key,
            MAX(CAST(e.event_date AS TEXT) || '|' || e.id) AS last_key
     FROM events e WHERE ${where}
     GROUP BY 1, 2, 3, 4, 5`;
}

/** Fills the table from every event (the migration that creates it, and stores filled by other means). */
export async function rebuildActorPairMonths(db: Queryable): Promise<void> {
  await db.query('DELETE FROM actor_pair_months');
  await db.query(`INSERT INTO actor_pair_months ${actorPairMonthsSelect('TRUE')}`);
  await rebuildActorPairYears(db);
}

/** A row's key in `actor_pair_months`. */
type GroupKey = {
  month: string | null;
  a1: string | null;
  a2: string | null;
  assoc_actor1: string | null;
  assoc_actor2: string | null;
};

/**
 * What an import changes. Up to fifty events (a document): the ids of its new events when it changes
 * none already stored, else the groups of its events and of the stored versions they replace. Past that
 * (a file): the months of its new or changed events and of the stored versions they replace.
 */
export type Touched = { added: string[] } | { groups: GroupKey[] } | { months: (string | null)[] };

/** Imports of more events than this (files) are summed again by month. */
const MAX_DOCUMENT_EVENTS = 50;

/**
 * Concurrent writers on PostgreSQL take turns from here to their commit: each then sums what the one
 * before it committed, and two never write the same group's rows at once.
 */
export async function takeTurn(db: Queryable): Promise<void> {
  if (db.dialect === 'postgres')
    await db.query("SELECT pg_advisory_xact_lock(hashtext('actor_pair_months'))");
}

/**
 * For writers that change a few events by id without the import's stage (a document's events): call
 * inside the transaction before deleting `replaced` (ids stored now, to be deleted or rewritten); it
 * returns what to pass to `refreshActorPairMonths` once `written` (ids inserted) are in `events`.
 */
export async function eventsReplaced(
  db: Queryable,
  replaced: readonly string[],
): Promise<(written: readonly string[]) => Promise<Touched>> {
  await takeTurn(db);
  const before = await groupsOf(db, replaced);
  return async (written) => {
    if (!replaced.length) return { added: [...written] };
    const keys = [...before, ...(await groupsOf(db, written))];
    return { groups: [...new Map(keys.map((k) => [JSON.stringify(k), k])).values()] };
  };
}

/** The groups of the events with these ids, read from `events`. */
async function groupsOf(db: Queryable, ids: readonly string[]): Promise<GroupKey[]> {
  if (!ids.length) return [];
  const p = new Params();
  return db.query<GroupKey>(
    `SELECT DISTINCT ${MONTH('e.event_date')} AS month, COALESCE(e.actor1_id, e.actor1) AS a1,
       COALESCE(e.actor2_id, e.actor2) AS a2, e.assoc_actor1, e.assoc_actor2
     FROM events e WHERE e.id IN (${p.list(ids)})`,
    p.values,
  );
}

/**
 * Call inside the import's transaction, after `takeTurn` and before the stored versions are deleted.
 * `writes` holds the staged rows that `events` lacks or holds otherwise: `(id, added, staged_date,
 * stored_date)`, `added` false for a corrected record (the import's comparison of the stored columns).
 */
export async function touchedByImport(db: Queryable, stage: string, writes: string): Promise<Touched> {
  const key = (t: string) =>
    `${MONTH(`${t}.event_date`)} AS month, COALESCE(${t}.actor1_id, ${t}.actor1) AS a1,
     COALESCE(${t}.actor2_id, ${t}.actor2) AS a2, ${t}.assoc_actor1, ${t}.assoc_actor2`;
  const ids = await db.query<{ id: string }>(`SELECT id FROM ${stage} LIMIT ${MAX_DOCUMENT_EVENTS + 1}`);
  if (ids.length <= MAX_DOCUMENT_EVENTS) {
    const written = await db.query<{ id: string; added: boolean }>(`SELECT id, added FROM ${writes}`);
    // Only new events: their sums are added to their groups, nothing is read again.
    if (written.every((r) => r.added)) return { added: written.map((r) => r.id) };
    // Some replace stored versions: their groups, as staged and as stored, are summed again. A few
    // events (a document), looked up by primary key rather than by joining the stage to every event.
    const lookup = new Params();
    const groups = await db.query<GroupKey>(
      `SELECT DISTINCT ${key('s')} FROM ${stage} s
       UNION
       SELECT DISTINCT ${key('e')} FROM events e WHERE e.id IN (${lookup.list(ids.map((r) => r.id))})`,
      lookup.values,
    );
    return { groups };
  }
  // A file: the months of its new and changed events and of the stored versions they replace.
  const months = await db.query<{ month: string | null }>(
    `SELECT DISTINCT ${MONTH('staged_date')} AS month FROM ${writes}
     UNION
     SELECT DISTINCT ${MONTH('stored_date')} FROM ${writes} WHERE NOT added`,
  );
  return { months: months.map((r) => r.month) };
}

/** The months of the events an import batch wrote, for rows that reached `events` without the stage. */
export async function monthsOfBatch(db: Queryable, batchId: string): Promise<Touched> {
  const rows = await db.query<{ month: string | null }>(
    `SELECT DISTINCT ${MONTH('e.event_date')} AS month FROM events e WHERE e.batch_id = $1`,
    [batchId],
  );
  return { months: rows.map((r) => r.month) };
}

/** Brings the table up to date with what an import wrote, in the import's transaction, after its writes. */
export async function refreshActorPairMonths(db: Queryable, touched: Touched): Promise<void> {
  // place_months is kept by the same calls: every writer to events already makes them.
  if ('added' in touched) {
    await addEvents(db, touched.added);
    await addPlaceEvents(db, touched.added);
    return;
  }
  if ('groups' in touched) {
    await refreshGroups(db, touched.groups);
    await refreshYearGroups(db, touched.groups);
    await sumMonthsAgain(
      db,
      'place_months',
      placeMonthsSelect,
      touched.groups.map((g) => g.month),
    );
    return;
  }
  await sumMonthsAgain(db, 'actor_pair_months', actorPairMonthsSelect, touched.months);
  await sumYearsAgain(db, touched.months);
  await sumMonthsAgain(db, 'place_months', placeMonthsSelect, touched.months);
}

/** The first of January of a month's year (YYYY-01-01), or null. */
const yearOf = (month: string | null) => (month === null ? null : `${month.slice(0, 4)}-01-01`);

/** The first of January of the year after `year` (YYYY-01-01). */
const nextYear = (year: string) => `${String(Number(year.slice(0, 4)) + 1).padStart(4, '0')}-01-01`;

/**
 * Sums the years of these months again from `actor_pair_months` (a file's import, after its months were
 * summed again): a year's 10k month rows at most, against its events.
 */
async function sumYearsAgain(db: Queryable, months: readonly (string | null)[]): Promise<void> {
  const years = [...new Set(months.map(yearOf))];
  if (years.includes(null)) {
    await db.query('DELETE FROM actor_pair_years WHERE year IS NULL');
    await db.query(`INSERT INTO actor_pair_years ${actorPairYearsSelect('m.month IS NULL')}`);
  }
  const dated = years.filter((y): y is string => y !== null).sort();
  const first = dated[0];
  const last = dated.at(-1);
  if (!first || !last) return;
  const del = new Params();
  await db.query(
    `DELETE FROM actor_pair_years WHERE year IN (${dated.map((y) => `CAST(${del.add(y)} AS DATE)`).join(', ')})`,
    del.values,
  );
  const ins = new Params();
  // The range lets PostgreSQL use its index on month; the list leaves out the years between.
  const range = `m.month >= CAST(${ins.add(first)} AS DATE) AND m.month < CAST(${ins.add(nextYear(last))} AS DATE)`;
  const list = dated.map((y) => `CAST(${ins.add(y)} AS DATE)`).join(', ');
  await db.query(
    `INSERT INTO actor_pair_years ${actorPairYearsSelect(`${range} AND ${YEAR('m.month')} IN (${list})`)}`,
    ins.values,
  );
}

/**
 * Sums the years of a few groups again from `actor_pair_months` (after refreshGroups, or when a group's
 * year rows have piled up on PostgreSQL).
 */
async function refreshYearGroups(db: Queryable, groups: readonly GroupKey[]): Promise<void> {
  const keys = [
    ...new Map(
      groups.map((g) => {
        const key = { ...g, month: yearOf(g.month) };
        return [JSON.stringify(key), key];
      }),
    ).values(),
  ];
  await sumGroupsAgain(db, keys, 'actor_pair_years', YEAR_KEY, MONTHS_OF_YEAR_KEY, actorPairYearsSelect);
}

/**
 * The columns a group's key is read from: the table's own, or an event's (alias `e`), and for a key
 * whose `month` is a date range (events, or the months of a year), the end of the range.
 */
type KeyColumns = Record<keyof GroupKey, string> & { rangeEnd?: (start: string) => string };
const STORED_KEY: KeyColumns = {
  month: 'month',
  a1: 'a1',
  a2: 'a2',
  assoc_actor1: 'assoc_actor1',
  assoc_actor2: 'assoc_actor2',
};
const EVENT_KEY: KeyColumns = {
  month: 'e.event_date',
  a1: 'COALESCE(e.actor1_id, e.actor1)',
  a2: 'COALESCE(e.actor2_id, e.actor2)',
  assoc_actor1: 'e.assoc_actor1',
  assoc_actor2: 'e.assoc_actor2',
  rangeEnd: nextMonth,
};
/** A year's row in `actor_pair_years` (its key's `month` holds the year), and its months' rows. */
const YEAR_KEY: KeyColumns = { ...STORED_KEY, month: 'year' };
const MONTHS_OF_YEAR_KEY: KeyColumns = {
  month: 'm.month',
  a1: 'm.a1',
  a2: 'm.a2',
  assoc_actor1: 'm.assoc_actor1',
  assoc_actor2: 'm.assoc_actor2',
  rangeEnd: nextYear,
};

/** A condition matching one group's rows (STORED_KEY, YEAR_KEY) or its events or months (by date range). */
function groupCondition(g: GroupKey, columns: KeyColumns, params: Params): string {
  const month =
    g.month === null
      ? `${columns.month} IS NULL`
      : columns.rangeEnd
        ? `${columns.month} >= CAST(${params.add(g.month)} AS DATE) AND ${columns.month} < CAST(${params.add(columns.rangeEnd(g.month))} AS DATE)`
        : `${columns.month} = CAST(${params.add(g.month)} AS DATE)`;
  const actors = (['a1', 'a2', 'assoc_actor1', 'assoc_actor2'] as const).map((c) => {
    const value = g[c];
    return value === null ? `${columns[c]} IS NULL` : `${columns[c]} = CAST(${params.add(value)} AS TEXT)`;
  });
  return `(${[month, ...actors].join(' AND ')})`;
}

/**
 * Sums a few groups again (a document's events): only their rows are deleted and written back, and
 * only the events of their months are read, each group written out as a condition (a join with a
 * list of keys cost the engines a scan of every event in those months). On DuckDB, two imports doing
 * this to the same group at the same moment conflict (it refuses concurrent deletes of one row), and the
 * second fails, to be retried, as it would for two imports changing the same event.
 */
async function refreshGroups(db: Queryable, groups: readonly GroupKey[]): Promise<void> {
  await sumGroupsAgain(db, groups, 'actor_pair_months', STORED_KEY, EVENT_KEY, actorPairMonthsSelect);
}

/**
 * Deletes these groups' rows of `table` (their key in `stored`) and writes them again from what `select`
 * sums (the same groups' rows there, their key in `source`).
 */
async function sumGroupsAgain(
  db: Queryable,
  groups: readonly GroupKey[],
  table: string,
  stored: KeyColumns,
  source: KeyColumns,
  select: (where: string) => string,
): Promise<void> {
  if (!groups.length) return;
  const del = new Params();
  await db.query(
    `DELETE FROM ${table} WHERE ${groups.map((g) => groupCondition(g, stored, del)).join(' OR ')}`,
    del.values,
  );
  const ins = new Params();
  const where = groups.map((g) => groupCondition(g, source, ins)).join(' OR ');
  await db.query(`INSERT INTO ${table} ${select(where)}`, ins.values);
}

/** Rows a group may gather from documents' additions before PostgreSQL sums them into one. */
const MAX_ROWS_PER_GROUP = 16;

/**
 * Adds new events (read back by primary key) as rows of their own: readers sum a group's rows anyway,
 * and appending never conflicts with another import adding to the same group at the same time. On
 * PostgreSQL (imports take turns there) a group that gathered many rows is summed into one again; on
 * DuckDB rows gathered this way are summed when a file's import re-sums their month.
 */
async function addEvents(db: Queryable, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  const p = new Params();
  const added = await db.query<GroupKey>(
    `INSERT INTO actor_pair_months ${actorPairMonthsSelect(`e.id IN (${p.list(ids)})`)}
     RETURNING month, a1, a2, assoc_actor1, assoc_actor2`,
    p.values,
  );
  const y = new Params();
  const addedYears = await db.query<Omit<GroupKey, 'month'> & { year: string | null }>(
    `INSERT INTO actor_pair_years ${actorPairMonthsSelect(`e.id IN (${y.list(ids)})`, 'year')}
     RETURNING year, a1, a2, assoc_actor1, assoc_actor2`,
    y.values,
  );
  if (db.dialect !== 'postgres') return;
  // One statement per table for all the groups, inside the writers' turn.
  const crowded = async (keys: readonly GroupKey[], table: string, columns: KeyColumns) => {
    if (!keys.length) return [];
    const q = new Params();
    const counts = await db.query<{ i: number; n: number }>(
      keys
        .map((g, i) => `SELECT ${i} AS i, COUNT(*) AS n FROM ${table} WHERE ${groupCondition(g, columns, q)}`)
        .join(' UNION ALL '),
      q.values,
    );
    return counts.filter((r) => Number(r.n) > MAX_ROWS_PER_GROUP).map((r) => keys[Number(r.i)] as GroupKey);
  };
  await refreshGroups(db, await crowded(added, 'actor_pair_months', STORED_KEY));
  const years = addedYears.map(({ year, ...key }) => ({ ...key, month: year }));
  await refreshYearGroups(db, await crowded(years, 'actor_pair_years', YEAR_KEY));
}
