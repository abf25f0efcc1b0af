import type { EventFilter } from '../schema/index.ts';
import type { Queryable } from './contract.ts';
import { filterSql, Params } from './filter-sql.ts';
import { MONTH, sumMonthsAgain, wholeMonthsRange } from './monthly-sums.ts';

/**
 * `place_months`: the events summed per month, source, province, district, event type and sub-type, with
 * their first and last dates, so that questions about places and types over whole months (stats, the
 * districts' choropleth, trend by place or type, data coverage) read a few thousand rows instead of every
 * event: 18k rows for the query bench's million events (108k were every type in every district). It holds
 * nothing but sums of the events' own columns, and is kept with `actor_pair_months` by the same calls
 * (`refreshActorPairMonths`), in the writer's transaction: a file's import sums its months again; a
 * document's new events are appended as rows of their own (readers sum a key's rows), and a document that
 * replaces events sums their months again. A migration that rewrites events' places or types in SQL must
 * call `rebuildPlaceMonths` after it (migrations run in version order, but a store may already hold 620
 * when a lower version arrives).
 */
export const PLACE_MONTHS_DDL = `
CREATE TABLE IF NOT EXISTS place_months (
  month DATE,
  source TEXT,
  admin1 TEXT,
  admin2 TEXT,
  event_type TEXT,
  sub_event_type TEXT,
  events BIGINT NOT NULL,
  fatalities BIGINT NOT NULL,
  first DATE,
  last DATE
)`;

/** PostgreSQL reads month ranges through an index; DuckDB through its zone maps. */
export const PLACE_MONTHS_INDEX = 'CREATE INDEX IF NOT EXISTS place_months_month_idx ON place_months (month)';

/** The rows of `place_months` for the events matching `where` (over alias `e`). */
export function placeMonthsSelect(where: string): string {
  return `SELECT ${MONTH('e.event_date')} AS month, e.source, e.admin1, e.admin2, e.event_type, e.sub_event_type,
            COUNT(*) AS events, COALESCE(SUM(e.fatalities_best), 0) AS fatalities,
            MIN(e.event_date) AS first, MAX(e.event_date) AS last
     FROM events e WHERE ${where}
     GROUP BY 1, 2, 3, 4, 5, 6`;
}

/** Fills the table from every event (stores filled by other means than the import, such as the benchmark's). */
export async function rebuildPlaceMonths(db: Queryable): Promise<void> {
  await db.query('DELETE FROM place_months');
  await db.query(`INSERT INTO place_months ${placeMonthsSelect('TRUE')}`);
}

/** Appends the sums of new events (read back by primary key) as rows of their own. */
export async function addPlaceEvents(db: Queryable, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  const p = new Params();
  const months = await db.query<{ month: string | null }>(
    `INSERT INTO place_months ${placeMonthsSelect(`e.id IN (${p.list(ids)})`)} RETURNING month`,
    p.values,
  );
  if (db.dialect !== 'postgres') return;
  // PostgreSQL writers take turns (actor-pair-months.ts `takeTurn`): a month that gathered many appended
  // rows is summed into one row per key again. On DuckDB they wait for the next file touching the month,
  // as actor_pair_months's do (two writers re-summing one month at once would conflict there).
  const touched = [...new Set(months.map((r) => r.month).filter((m): m is string => m !== null))];
  if (!touched.length) return;
  const q = new Params();
  const crowded = await db.query<{ month: string }>(
    `SELECT month FROM place_months WHERE month IN (${touched.map((m) => `CAST(${q.add(m)} AS DATE)`).join(', ')})
     GROUP BY month
     HAVING COUNT(*) > COUNT(DISTINCT (source, admin1, admin2, event_type, sub_event_type)) + ${CROWDED}`,
    q.values,
  );
  await sumMonthsAgain(
    db,
    'place_months',
    placeMonthsSelect,
    crowded.map((r) => r.month),
  );
}

/** Appended rows a month may gather on PostgreSQL before it is summed again. */
const CROWDED = 16;

/**
 * The WHERE clause over `place_months` (alias `m`) that answers `filter` exactly, or null when it cannot:
 * only types, sub-types, provinces, districts, sources and dates by whole months may be filtered on.
 */
export function placeMonthsWhere(filter: EventFilter, params: Params): string | null {
  const { from, to, eventTypes, subEventTypes, admin1, admin2, sources, ...rest } = filter;
  const others = Object.values(rest).some((v) => v !== undefined && (!Array.isArray(v) || v.length > 0));
  if (others) return null;
  const dates: EventFilter = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const range = wholeMonthsRange(dates, params);
  if (range === null) return null;
  const places: EventFilter = {
    ...(eventTypes ? { eventTypes } : {}),
    ...(subEventTypes ? { subEventTypes } : {}),
    ...(admin1 ? { admin1 } : {}),
    ...(admin2 ? { admin2 } : {}),
    ...(sources ? { sources } : {}),
  };
  return `${range} AND ${filterSql(places, params, 'm')}`;
}
