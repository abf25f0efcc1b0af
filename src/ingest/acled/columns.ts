/** Columns every ACLED export has, the shared research extract included. */
export const REQUIRED = [
  'event_date',
  'event_type',
  'sub_event_type',
  'actor1',
  'actor2',
  'admin1',
  'fatalities',
];

/** Columns only the official export has; read when present. */
export const OPTIONAL = [
  'event_id_cnty',
  'time_precision',
  'geo_precision',
  'assoc_actor_1',
  'assoc_actor_2',
  'inter1',
  'inter2',
  'interaction',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'country',
  'source',
  'source_scale',
  'civilian_targeting',
  'notes',
  'tags',
];

/** True when a CSV header is an ACLED export's. */
export function matchesHeader(columns: readonly string[]): boolean {
  const have = new Set(columns.map((c) => c.trim().toLowerCase()));
  return REQUIRED.every((c) => have.has(c));
}
