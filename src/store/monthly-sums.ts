import type { EventFilter } from '../schema/index.ts';
import type { Queryable } from './contract.ts';
import type { Params } from './filter-sql.ts';

/** Helpers of the tables that sum events by month (`actor_pair_months`, `place_months`). */

/** An event date's month, as a DATE. */
export const MONTH = (column: string) => `CAST(DATE_TRUNC('month', ${column}) AS DATE)`;

/** The first day of the month after `month` (YYYY-MM-01). */
export function nextMonth(month: string): string {
  const [y = 0, m = 1] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

/**
 * Sums these months of a monthly table (`place_months`, `actor_pair_months`) again from the events, in the
 * writer's transaction. Many months (a whole file) are summed as one range, untouched months between them
 * included: cheaper than testing each row against a list. The date range lets PostgreSQL use its index.
 */
export async function sumMonthsAgain(
  db: Queryable,
  table: string,
  select: (where: string) => string,
  months: readonly (string | null)[],
): Promise<void> {
  if (months.includes(null)) {
    await db.query(`DELETE FROM ${table} WHERE month IS NULL`);
    await db.query(`INSERT INTO ${table} ${select('e.event_date IS NULL')}`);
  }
  const sorted = [...new Set(months.filter((m): m is string => m !== null))].sort();
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) return;
  const range = 'e.event_date >= CAST($1 AS DATE) AND e.event_date < CAST($2 AS DATE)';
  if (sorted.length > 12) {
    await db.query(`DELETE FROM ${table} WHERE month >= CAST($1 AS DATE) AND month <= CAST($2 AS DATE)`, [
      first,
      last,
    ]);
    await db.query(`INSERT INTO ${table} ${select(range)}`, [first, nextMonth(last)]);
    return;
  }
  const list = (from: number) => sorted.map((_, j) => `CAST($${j + from} AS DATE)`).join(', ');
  await db.query(`DELETE FROM ${table} WHERE month IN (${list(1)})`, sorted);
  await db.query(`INSERT INTO ${table} ${select(`${range} AND ${MONTH('e.event_date')} IN (${list(3)})`)}`, [
    first,
    nextMonth(last),
    ...sorted,
  ]);
}

/** Whether `date` (YYYY-MM-DD) is the last day of its month. */
const endsMonth = (date: string) => {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).getUTCDate() === 1;
};

/**
 * The filter's dates when they are all it filters on and fall on whole months (`from` a first of the month,
 * `to` a last), else null.
 */
export function wholeMonths(filter: EventFilter): { from?: string; to?: string } | null {
  const { from, to, ...rest } = filter;
  const others = Object.values(rest).some((v) => v !== undefined && (!Array.isArray(v) || v.length > 0));
  if (others || (from && !from.endsWith('-01')) || (to && !endsMonth(to))) return null;
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/**
 * The month range of a monthly table (alias `m`) that answers `filter` exactly, or null: only dates may be
 * filtered on, and only by whole months.
 */
export function wholeMonthsRange(filter: EventFilter, params: Params): string | null {
  const months = wholeMonths(filter);
  if (!months) return null;
  const { from, to } = months;
  const range: string[] = [];
  if (from) range.push(`m.month >= CAST(${params.add(from)} AS DATE)`);
  if (to) range.push(`m.month <= CAST(${params.add(`${to.slice(0, 7)}-01`)} AS DATE)`);
  return range.length ? range.join(' AND ') : 'TRUE';
}
