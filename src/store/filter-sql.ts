import { aliasKey } from '../resolve/alias-key.ts';
import type { EventFilter } from '../schema/index.ts';
import type { SqlParam } from './contract.ts';

/** Collects bound parameters and hands out their `$n` placeholders. */
export class Params {
  readonly values: SqlParam[] = [];
  add(value: SqlParam): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  list(values: readonly SqlParam[]): string {
    return values.map((v) => this.add(v)).join(', ');
  }
}

/**
 * The WHERE clause for an EventFilter over table alias `e`, every value bound as a parameter.
 * Actor names are matched through the alias table, so `BLA` finds events coded "Baloch Liberation Army".
 */
export function filterSql(filter: EventFilter, params: Params, alias = 'e'): string {
  const clauses: string[] = [];
  const col = (name: string) => `${alias}.${name}`;
  if (filter.from) clauses.push(`${col('event_date')} >= CAST(${params.add(filter.from)} AS DATE)`);
  if (filter.to) clauses.push(`${col('event_date')} <= CAST(${params.add(filter.to)} AS DATE)`);
  if (filter.eventTypes?.length) clauses.push(`${col('event_type')} IN (${params.list(filter.eventTypes)})`);
  if (filter.subEventTypes?.length)
    clauses.push(`${col('sub_event_type')} IN (${params.list(filter.subEventTypes)})`);
  if (filter.admin1?.length) clauses.push(`${col('admin1')} IN (${params.list(filter.admin1)})`);
  if (filter.admin2?.length) clauses.push(`${col('admin2')} IN (${params.list(filter.admin2)})`);
  if (filter.sources?.length) clauses.push(`${col('source')} IN (${params.list(filter.sources)})`);
  if (filter.bbox) {
    const [west, south, east, north] = filter.bbox;
    clauses.push(
      `${col('longitude')} BETWEEN ${params.add(west)} AND ${params.add(east)} AND ${col('latitude')} BETWEEN ${params.add(south)} AND ${params.add(north)}`,
    );
  }
  const actorClauses: string[] = [];
  if (filter.actors?.length) {
    const names = params.list(filter.actors);
    const keys = params.list(filter.actors.map(aliasKey));
    const ids = `(SELECT actor_id FROM actor_aliases WHERE alias_key IN (${keys}))`;
    actorClauses.push(
      `${col('actor1')} IN (${names}) OR ${col('actor2')} IN (${names})`,
      `${col('actor1_id')} IN ${ids} OR ${col('actor2_id')} IN ${ids}`,
      `${col('actor1_id')} IN (${names}) OR ${col('actor2_id')} IN (${names})`,
    );
  }
  if (filter.actorIds?.length) {
    const ids = params.list(filter.actorIds);
    actorClauses.push(`${col('actor1_id')} IN (${ids}) OR ${col('actor2_id')} IN (${ids})`);
  }
  if (actorClauses.length) clauses.push(`(${actorClauses.join(' OR ')})`);
  return clauses.length ? clauses.join(' AND ') : 'TRUE';
}
