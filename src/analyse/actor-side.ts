import type { EventFilter } from '../schema/index.ts';
import type { Queryable } from '../store/contract.ts';
import { Params } from '../store/filter-sql.ts';
import { readUntilWrite } from './memo.ts';

/**
 * The sides of an event an actor filter must be tested on between two days (either bound open): `primary`
 * when the filter is a list of actor ids (an actor group, as `resolveFilter` expands it) and no event of
 * those days has one of them as its other side, else `either`. The answer is the same either way; on
 * DuckDB the test on `actor2_id` (half NULL, so stored with an uncompressed validity and read flattened)
 * is the dearest column a group's question reads: the bench's spread statement 46 → 35 ms CPU without it.
 * Spread, trend by place or type and the claim check ask.
 *
 * It is read from `actor_pair_months` (one row per month and pair of sides, kept by every write to the
 * events), whose `a2` is `actor2_id` where there is one: an event with a listed id as its other side
 * always shows there. Only DuckDB asks: PostgreSQL reads a group's two sides from their own indexes
 * (`eventsMatching`), where an empty side costs nothing.
 *
 * @example const side = await actorSide(db, filter, '2022-07-01', '2024-12-31'); filterSql(filter, p, 'e', side)
 */
export async function actorSide(
  db: Queryable,
  filter: EventFilter,
  from?: string,
  to?: string,
): Promise<'either' | 'primary'> {
  if (db.dialect !== 'duckdb' || filter.actors?.length || !filter.actorIds?.length) return 'either';
  const p = new Params(db.dialect);
  const bounds = [
    // The month an event falls in is its row's key: the month of `from` holds events on and after it.
    from ? `m.month >= CAST(${p.add(`${from.slice(0, 7)}-01`)} AS DATE)` : null,
    to ? `m.month <= CAST(${p.add(to)} AS DATE)` : null,
  ].filter((b): b is string => b !== null);
  const rows = await readUntilWrite(
    db,
    `SELECT 1 AS x FROM actor_pair_months m
     WHERE m.a2 IN (${p.list(filter.actorIds)})${bounds.map((b) => ` AND ${b}`).join('')} LIMIT 1`,
    p.values,
  );
  return rows.length ? 'either' : 'primary';
}
