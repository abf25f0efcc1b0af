import type { Queryable } from './contract.ts';

/**
 * `actor_pair_months`: the events summed per month and per combination of actors as the events name
 * them (primary actor ids or names, associated actor lists as written), so that the actor network over
 * whole months reads a few thousand rows instead of every event. It holds nothing but sums of the events
 * table's own columns: alias tables, actor names and mergers are applied when it is read, so only writes
 * to `events` change it, and every such write goes through the import (`refreshActorPairMonths` in
 * `finish`). `first_key` / `last_key` are `event_date|id` of the group's first and latest event. Events
 * without a date, should a store hold any, are summed under a null month.
 */
export const ACTOR_PAIR_MONTHS_DDL = `
CREATE TABLE IF NOT EXISTS actor_pair_months (
  month DATE,
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

/** PostgreSQL reads month ranges through an index; DuckDB through its zone maps (an index slows its writes). */
export const ACTOR_PAIR_MONTHS_INDEX =
  'CREATE INDEX IF NOT EXISTS actor_pair_months_month_idx ON actor_pair_months (month)';

const MONTH = (column: string) => `CAST(DATE_TRUNC('month', ${column}) AS DATE)`;

/** The rows of `actor_pair_months` for the events matching `where` (over alias `e`). */
export function actorPairMonthsSelect(where: string): string {
  return `SELECT ${MONTH('e.event_date')} AS month, COALESCE(e.actor1_id, e.actor1) AS a1,
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
}

/**
 * The months an import changes: those of its new or changed events and of the stored versions they replace.
 * Call inside the import's transaction, before the stored versions are deleted.
 */
export async function monthsTouched(db: Queryable, stage: string): Promise<(string | null)[]> {
  const rows = await db.query<{ month: string | null }>(
    `SELECT DISTINCT ${MONTH('s.event_date')} AS month FROM ${stage} s LEFT JOIN events e ON e.id = s.id
     WHERE e.id IS NULL OR e.content_hash <> s.content_hash
     UNION
     SELECT DISTINCT ${MONTH('e.event_date')} FROM events e JOIN ${stage} s ON s.id = e.id
     WHERE e.content_hash <> s.content_hash`,
  );
  return rows.map((r) => r.month);
}

/** The first day of the month after `month` (YYYY-MM-01). */
function nextMonth(month: string): string {
  const [y = 0, m = 1] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

/** Sums `months` again from the events, after the import wrote them (same transaction). */
export async function refreshActorPairMonths(
  db: Queryable,
  months: readonly (string | null)[],
): Promise<void> {
  if (months.includes(null)) {
    await db.query('DELETE FROM actor_pair_months WHERE month IS NULL');
    await db.query(`INSERT INTO actor_pair_months ${actorPairMonthsSelect('e.event_date IS NULL')}`);
  }
  const sorted = months.filter((m): m is string => m !== null).sort();
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) return;
  // The date range lets PostgreSQL use its date index. Many months (a whole file) are summed again as
  // one range, untouched months between them included: cheaper than testing each row against a list.
  const range = 'e.event_date >= CAST($1 AS DATE) AND e.event_date < CAST($2 AS DATE)';
  if (sorted.length > 12) {
    await db.query(
      'DELETE FROM actor_pair_months WHERE month >= CAST($1 AS DATE) AND month <= CAST($2 AS DATE)',
      [first, last],
    );
    await db.query(`INSERT INTO actor_pair_months ${actorPairMonthsSelect(range)}`, [first, nextMonth(last)]);
    return;
  }
  const list = (from: number) => sorted.map((_, j) => `CAST($${j + from} AS DATE)`).join(', ');
  await db.query(`DELETE FROM actor_pair_months WHERE month IN (${list(1)})`, sorted);
  await db.query(
    `INSERT INTO actor_pair_months ${actorPairMonthsSelect(`${range} AND ${MONTH('e.event_date')} IN (${list(3)})`)}`,
    [first, nextMonth(last), ...sorted],
  );
}
