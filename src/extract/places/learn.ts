import type { EventRecord } from '../../schema/index.ts';
import type { Queryable, Store } from '../../store/contract.ts';
import { jsonRowSource } from '../../store/json-rows.ts';
import { canonicalAdmin1, canonicalAdmin2 } from './admin-names.ts';
import { placeKey } from './normalise.ts';

/** A place structured records taught Sitrep: a named location with coordinates, and how often it was seen. */
export interface LearnedPlace {
  name: string;
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  latitude: number;
  longitude: number;
  seen: number;
}

export interface LearnSummary {
  /** Distinct places now in `places` from events. */
  places: number;
  /** Event rows they were learned from. */
  events: number;
}

/** Events precise to the named place or near it (ACLED 1–2, GTD specificity 1–2), or with no precision given. */
const MAX_PRECISION = 2;
const ADMIN_UNIT_RE = / (district|districts|agency|division|province|tehsil|region)$/;
const PRECISE_ENOUGH = `(geo_precision IS NULL OR geo_precision <= ${MAX_PRECISION})`;
const ORIGIN = 'events';
const COLUMNS = [
  'id',
  'name_key',
  'name',
  'country',
  'admin1',
  'admin2',
  'latitude',
  'longitude',
  'seen',
  'origin',
  'updated_at',
];
const ROWS_PER_INSERT = 5000;

/** One location as records give it, and how many records give it so. */
type SightingCount = {
  location: string;
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  latitude: number;
  longitude: number;
  n: number;
};

interface Group {
  id: string;
  key: string;
  names: Map<string, number>;
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  latSum: number;
  lonSum: number;
  seen: number;
}

/** Groups sightings by name key, country and canonical district; coordinates are the sightings' mean. */
export function aggregateSightings(
  rows: readonly SightingCount[],
): Array<LearnedPlace & { id: string; key: string }> {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const key = placeKey(row.location);
    // "Swat district" names an administrative unit the base data has already, not a point to learn.
    if (!key || ADMIN_UNIT_RE.test(key)) continue;
    const admin1 = canonicalAdmin1(row.admin1);
    const admin2 = canonicalAdmin2(row.admin2, admin1);
    const country = row.country?.trim() || null;
    const id = [key, country ?? '', admin1 ?? '', admin2 ?? ''].join('|');
    let group = groups.get(id);
    if (!group) {
      group = { id, key, names: new Map(), country, admin1, admin2, latSum: 0, lonSum: 0, seen: 0 };
      groups.set(id, group);
    }
    group.names.set(row.location.trim(), (group.names.get(row.location.trim()) ?? 0) + row.n);
    group.latSum += row.latitude * row.n;
    group.lonSum += row.longitude * row.n;
    group.seen += row.n;
  }
  return [...groups.values()].map((g) => ({
    id: g.id,
    key: g.key,
    name: [...g.names.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? g.key,
    country: g.country,
    admin1: g.admin1,
    admin2: g.admin2,
    latitude: Math.round((g.latSum / g.seen) * 1e5) / 1e5,
    longitude: Math.round((g.lonSum / g.seen) * 1e5) / 1e5,
    seen: g.seen,
  }));
}

/** What `placesFromEvents` needs of a record. */
export type Sighting = Pick<
  EventRecord,
  'location' | 'country' | 'admin1' | 'admin2' | 'latitude' | 'longitude' | 'geoPrecision'
>;

/**
 * The places a list of records teaches, by the same rules as `learnPlaces` but without a store — for
 * in-memory use such as cross-validation (`gazetteer.withLearned(placesFromEvents(trainingFold))`).
 */
export function placesFromEvents(events: readonly Sighting[]): LearnedPlace[] {
  const rows = [];
  for (const e of events) {
    if (!e.location?.trim() || e.latitude === null || e.longitude === null) continue;
    if (e.geoPrecision !== null && e.geoPrecision > MAX_PRECISION) continue;
    rows.push({
      location: e.location,
      country: e.country,
      admin1: e.admin1,
      admin2: e.admin2,
      latitude: e.latitude,
      longitude: e.longitude,
      n: 1,
    });
  }
  return aggregateSightings(rows).map(({ id: _id, key: _key, ...place }) => place);
}

/**
 * Teaches the gazetteer every named location with coordinates in the stored events: rebuilds the
 * `places` rows that come from events in one transaction, so running it twice changes nothing.
 *
 * @example await learnPlaces(store) // { places: 151, events: 1341 }
 */
export async function learnPlaces(store: Store, now: () => Date = () => new Date()): Promise<LearnSummary> {
  // Summed by location as written in SQL, not by position too: every group of aggregateSightings is a
  // union of these (its key is a function of location, country, admin1, admin2), and it weighs coordinates
  // by count, so a mean and its count teach the same. A file with a position per row would otherwise bring
  // every event row to JavaScript (1M synthetic ACLED rows: ~1M rows, 5–6 s CPU, for 9,970 places).
  const rows = await store.query<SightingCount>(
    `SELECT location, country, admin1, admin2, AVG(latitude) AS latitude, AVG(longitude) AS longitude,
            COUNT(*) AS n
     FROM events
     WHERE location IS NOT NULL AND TRIM(location) <> '' AND latitude IS NOT NULL AND longitude IS NOT NULL
       AND ${PRECISE_ENOUGH}
     GROUP BY location, country, admin1, admin2`,
  );
  const places = aggregateSightings(
    rows.map((r) => ({ ...r, latitude: Number(r.latitude), longitude: Number(r.longitude), n: Number(r.n) })),
  );
  const stamp = now().toISOString();
  await store.transaction(async (tx) => {
    await tx.query('DELETE FROM places WHERE origin = $1', [ORIGIN]);
    for (let i = 0; i < places.length; i += ROWS_PER_INSERT) {
      await insertPlaces(tx, places.slice(i, i + ROWS_PER_INSERT), stamp);
    }
  });
  return { places: places.length, events: places.reduce((sum, p) => sum + p.seen, 0) };
}

/** The places' own columns (the rest, origin and updated_at, are the same for every row), as JSON fields. */
const PLACE_FIELDS = [
  { name: 'id', type: 'TEXT' },
  { name: 'name_key', type: 'TEXT' },
  { name: 'name', type: 'TEXT' },
  { name: 'country', type: 'TEXT' },
  { name: 'admin1', type: 'TEXT' },
  { name: 'admin2', type: 'TEXT' },
  { name: 'latitude', type: 'DOUBLE PRECISION' },
  { name: 'longitude', type: 'DOUBLE PRECISION' },
  { name: 'seen', type: 'INTEGER' },
] as const;

async function insertPlaces(
  tx: Queryable,
  places: ReadonlyArray<LearnedPlace & { id: string; key: string }>,
  stamp: string,
): Promise<void> {
  if (places.length === 0) return;
  const rows = places.map((p) => ({
    id: p.id,
    name_key: p.key,
    name: p.name,
    country: p.country,
    admin1: p.admin1,
    admin2: p.admin2,
    latitude: p.latitude,
    longitude: p.longitude,
    seen: p.seen,
  }));
  await tx.query(
    `INSERT INTO places (${COLUMNS.join(', ')})
     SELECT ${PLACE_FIELDS.map((c) => `p.${c.name}`).join(', ')}, $2, CAST($3 AS TIMESTAMP)
     FROM ${jsonRowSource(tx.dialect, PLACE_FIELDS, 'p')}
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude,
       seen = EXCLUDED.seen, origin = EXCLUDED.origin, updated_at = EXCLUDED.updated_at`,
    [JSON.stringify(rows), ORIGIN, stamp],
  );
}

/** The learned places in a store, most seen first. */
export async function readLearnedPlaces(store: Queryable): Promise<LearnedPlace[]> {
  const rows = await store.query<{ [K in keyof LearnedPlace]: LearnedPlace[K] }>(
    'SELECT name, country, admin1, admin2, latitude, longitude, seen FROM places ORDER BY seen DESC, id',
  );
  return rows.map((r) => ({
    ...r,
    latitude: Number(r.latitude),
    longitude: Number(r.longitude),
    seen: Number(r.seen),
  }));
}
