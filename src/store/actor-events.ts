import type { EventFilter } from '../schema/index.ts';
import { filterSql, type Params } from './filter-sql.ts';

/**
 * The columns PostgreSQL's two actor indexes carry beside their keys (`actor1_id, event_date` and
 * `actor2_id, event_date`, migration 640): what trend by place or type, spread and the claim check read
 * of an actor group's events. A question that reads only these (and the other side's id) is answered from
 * the index alone, without visiting the table's pages.
 */
export const ACTOR_INDEX_COLUMNS = [
  'admin1',
  'admin2',
  'event_type',
  'fatalities_best',
  'attack_type',
] as const;

/** PostgreSQL's actor indexes, each carrying the other side's id and ACTOR_INDEX_COLUMNS (migration 640). */
export const ACTOR_INDEXES_DDL = `
CREATE INDEX IF NOT EXISTS events_actor1_cover_idx ON events (actor1_id, event_date)
  INCLUDE (actor2_id, ${ACTOR_INDEX_COLUMNS.join(', ')});
CREATE INDEX IF NOT EXISTS events_actor2_cover_idx ON events (actor2_id, event_date)
  INCLUDE (actor1_id, ${ACTOR_INDEX_COLUMNS.join(', ')});
DROP INDEX IF EXISTS events_actor1_id_idx;
DROP INDEX IF EXISTS events_actor2_id_idx`;

/**
 * Where a question reads the events matching `filter` (over alias `e`): `FROM ${from} WHERE ${where}`.
 *
 * On PostgreSQL, a filter whose actors are canonical ids alone (an actor group, as `resolveFilter` expands
 * it when the events link its members) and matched on either side is read as two disjoint branches: events
 * with actor1 in the list, then events with actor2 in it and actor1 not. Each branch is a range of one
 * actor index, which carries the columns these questions read, so PostgreSQL reads a group's events from
 * the index in key order instead of visiting the table page by page (a `actor1_id IN … OR actor2_id IN …`
 * can only be answered by a bitmap over both indexes and a visit of nearly every page of a scattered
 * table). The rows are the same; the branches select `columns` (names of `events` columns) and the caller
 * reads them through alias `e` as before. Anything else (DuckDB, names as written, one side only) is the
 * plain filter over `events e`.
 *
 * Pages the engine has not yet marked all-visible (written since the last VACUUM, which autovacuum runs
 * after large imports) are still visited: the answer is the same, only slower.
 *
 * @example const { from, where } = eventsMatching(filter, new Params(db.dialect), ['admin2', 'event_date']);
 */
export function eventsMatching(
  filter: EventFilter,
  params: Params,
  columns: readonly string[],
  actorSide: 'either' | 'primary' = 'either',
): { from: string; where: string } {
  const { actors, actorIds, ...rest } = filter;
  if (params.dialect !== 'postgres' || actorSide !== 'either' || actors?.length || !actorIds?.length)
    return { from: 'events e', where: filterSql(filter, params, 'e', actorSide) };
  const others = filterSql(rest, params);
  const ids = params.list(actorIds);
  const select = columns.map((c) => `e.${c}`).join(', ');
  return {
    from: `(SELECT ${select} FROM events e WHERE ${others} AND e.actor1_id IN (${ids})
            UNION ALL
            SELECT ${select} FROM events e WHERE ${others} AND e.actor2_id IN (${ids})
              AND NOT COALESCE(e.actor1_id IN (${ids}), FALSE)) e`,
    where: 'TRUE',
  };
}

/**
 * A filter's events from one day to another: through `eventsMatching` (a group's actor indexes) when
 * `indexed`, else the plain filter with the dates last — the order DuckDB's statements keep, since its
 * zone maps serve the date range whatever comes before it. `actorSide` as in `filterSql` (see
 * `actorSide` in src/analyse/actor-side.ts for when `primary` gives the same rows).
 */
export function eventsBetween(
  filter: EventFilter,
  from: string,
  to: string,
  params: Params,
  columns: readonly string[],
  indexed: boolean,
  actorSide: 'either' | 'primary' = 'either',
): { from: string; where: string } {
  if (indexed) return eventsMatching({ ...filter, from, to }, params, columns, actorSide);
  return {
    from: 'events e',
    where: `${filterSql(filter, params, 'e', actorSide)} AND e.event_date >= CAST(${params.add(from)} AS DATE)
     AND e.event_date <= CAST(${params.add(to)} AS DATE)`,
  };
}
