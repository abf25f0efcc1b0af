import { ACLED_STABLE_ID_COLUMNS } from './to-event.ts';

/**
 * ACLED rows → event columns in DuckDB SQL, for the fast path (`src/ingest/stage-csv-sql.ts`). It mirrors
 * `toEvent` in ./to-event.ts for the rows it calls clean; every other row (a date like "30 June 2024", a
 * number with stray marks, a value zod would refuse, …) is handed to `toEvent` itself, so rejects and
 * their reasons come from one place.
 *
 * The SQL is layered so each cell is trimmed and parsed once: the caller selects every column of
 * `TEXT_COLUMNS` as `t_<column>` (trimmed as `text()` trims, NULL when empty or absent), then `PARSED`
 * over those, then `DERIVED` over those, then `columns` and `clean` over all three.
 */

/** Source columns `toEvent` reads as text. */
export const TEXT_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'time_precision',
  'event_type',
  'sub_event_type',
  'actor1',
  'actor2',
  'assoc_actor_1',
  'assoc_actor_2',
  'inter1',
  'inter2',
  'interaction',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'fatalities',
  'civilian_targeting',
  'notes',
  'source',
] as const;

const STABLE_ID_COLUMNS = ACLED_STABLE_ID_COLUMNS;

const ISO_DATE = `'^(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[T ].*)?$'`;
/** Plain decimals only: what JavaScript's Number() and DuckDB's cast read alike; the rest go to toEvent. */
const PLAIN_DECIMAL = `'[+-]?(\\d+(\\.\\d+)?|\\.\\d+)'`;

const decimal = (column: string) =>
  `CASE WHEN regexp_full_match(t_${column}, ${PLAIN_DECIMAL}) THEN TRY_CAST(t_${column} AS DOUBLE) END`;
const whole = (column: string) =>
  `CASE WHEN regexp_full_match(t_${column}, '\\d{1,9}') THEN TRY_CAST(t_${column} AS INTEGER) END`;

/** Second layer: parsed values, over the `t_` columns. */
export const PARSED: Record<string, string> = {
  p_date_parts: `regexp_extract(t_event_date, ${ISO_DATE}, ['y', 'm', 'd'])`,
  p_latitude: decimal('latitude'),
  p_longitude: decimal('longitude'),
  p_geo_precision: whole('geo_precision'),
  p_fatalities: whole('fatalities'),
  p_time_precision: `CASE WHEN t_time_precision IS NULL THEN 'day' WHEN t_time_precision = '1' THEN 'day' WHEN t_time_precision = '2' THEN 'week' WHEN t_time_precision = '3' THEN 'month' END`,
};

/**
 * Third layer, over the second: values built from parsed parts. The date is read both by CLEAN (a filter)
 * and by the event's columns (a projection): as a column of its own it is built once a row, not twice
 * (~0.2 s CPU per million rows).
 */
export const DERIVED: Record<string, string> = {
  p_event_date: `TRY_CAST(p_date_parts.y || '-' || lpad(p_date_parts.m, 2, '0') || '-' || lpad(p_date_parts.d, 2, '0') AS DATE)`,
};
const stableId = `'h' || substr(sha1(to_json([${STABLE_ID_COLUMNS.map((c) => `t_${c}`).join(', ')}])), 1, 20)`;
const sourceId = `CASE WHEN t_event_id_cnty IS NOT NULL THEN t_event_id_cnty ELSE ${stableId} END`;
const within = (column: string, limit: number) =>
  `(t_${column} IS NULL OR (abs(p_${column}) <= ${limit} AND (abs(p_${column}) >= 1e-6 OR p_${column} = 0)))`;
const wholeWithin = (column: string, min: number, max: number) =>
  `(t_${column} IS NULL OR p_${column} BETWEEN ${min} AND ${max})`;

/** True for rows whose columns equal what `toEvent` makes of them (and that zod accepts). */
export const CLEAN = `COALESCE(${[
  // EventRecord's identifier rule: no control characters (RE2 reads the \x escapes).
  `(t_event_id_cnty IS NULL OR NOT regexp_matches(t_event_id_cnty, '[\\x00-\\x1f\\x7f]'))`,
  `p_date_parts.y >= '1000'`,
  'p_event_date IS NOT NULL',
  'p_time_precision IS NOT NULL',
  within('latitude', 90),
  within('longitude', 180),
  wholeWithin('geo_precision', 1, 5),
  wholeWithin('fatalities', 0, 999_999_999),
].join(' AND ')}, false)`;

/**
 * Third layer: every events column but batch_id and raw. `actor1_id`/`actor2_id` come from the caller's
 * actor table, joined as `a1`/`a2`; `hasTargeting` says whether the file has `civilian_targeting`.
 */
export function acledColumns(hasTargeting: boolean): Record<string, string> {
  const nullOf = (type: string) => `CAST(NULL AS ${type})`;
  return {
    id: `'acled:' || (${sourceId})`,
    source: `'acled'`,
    source_id: sourceId,
    event_date: 'p_event_date',
    end_date: nullOf('DATE'),
    time_precision: 'p_time_precision',
    event_type: 't_event_type',
    sub_event_type: 't_sub_event_type',
    attack_type: nullOf('VARCHAR'),
    target_type: nullOf('VARCHAR'),
    weapon_type: nullOf('VARCHAR'),
    suicide: `CASE WHEN t_sub_event_type = 'Suicide bomb' THEN true END`,
    claimed: nullOf('BOOLEAN'),
    actor1: 't_actor1',
    actor2: 't_actor2',
    assoc_actor1: 't_assoc_actor_1',
    assoc_actor2: 't_assoc_actor_2',
    actor1_id: 'a1.id',
    actor2_id: 'a2.id',
    interaction: 't_interaction',
    country: 't_country',
    admin1: 't_admin1',
    admin2: 't_admin2',
    admin3: 't_admin3',
    location: 't_location',
    latitude: 'p_latitude',
    longitude: 'p_longitude',
    geo_precision: 'p_geo_precision',
    fatalities_low: nullOf('INTEGER'),
    fatalities_best: 'p_fatalities',
    fatalities_high: nullOf('INTEGER'),
    injured_low: nullOf('INTEGER'),
    injured_best: nullOf('INTEGER'),
    injured_high: nullOf('INTEGER'),
    held_low: nullOf('INTEGER'),
    held_best: nullOf('INTEGER'),
    held_high: nullOf('INTEGER'),
    // ACLED fills the column only for events that target civilians: blank means no.
    civilian_targeting: hasTargeting ? '(t_civilian_targeting IS NOT NULL)' : nullOf('BOOLEAN'),
    notes: 't_notes',
    source_refs: 't_source',
  };
}
