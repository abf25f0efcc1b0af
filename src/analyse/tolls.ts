import type { EventFilter } from '../schema/index.ts';
import type { Queryable } from '../store/contract.ts';
import { filterSql, Params } from '../store/filter-sql.ts';

/**
 * Whether any event the filter matches states its toll (a `fatalities_best`, 0 included). When none does,
 * a summed toll of 0 means "unknown", not "nobody died": a column's "the 2014 assault on Karachi's
 * airport" gives an event whose toll the text does not state. Ask it only when the summed toll is 0 —
 * a positive sum already answers yes — so a busy store never pays for the scan.
 *
 * @example if (totals.fatalities === 0 && !(await anyTollStated(store, filter))) show('—')
 */
export async function anyTollStated(db: Queryable, filter: EventFilter): Promise<boolean> {
  const params = new Params();
  const rows = await db.query(
    `SELECT 1 AS stated FROM events e WHERE ${filterSql(filter, params)} AND e.fatalities_best IS NOT NULL LIMIT 1`,
    params.values,
  );
  return rows.length > 0;
}
