import type { EventFilter } from '../schema/index.ts';
import type { Queryable } from '../store/contract.ts';
import {
  CELL_KEY,
  CELLS_PER_DEGREE,
  cellKey,
  ENTRY_END,
  ENTRY_FIELD,
  PLACE_KIND,
} from '../store/event-places.ts';
import { Params } from '../store/filter-sql.ts';
import {
  DETAILS_COLUMNS,
  type DetailsRow,
  detailsOf,
  type Nearby,
  type NearRow,
  nearestFirst,
  type Tally,
  type Windows,
  windowOf,
} from './exposure-tally.ts';
import { type Bbox, distanceToGeometryKm, type SiteGeometry } from './geo.ts';

/**
 * Exposure from `event_places` (src/store/event-places.ts): the events summed per exact position by month
 * and by actor. Every event at a position is at the position's distance, measured here with the
 * JavaScript distance, so the sums within the radius are exactly the events path's. The events of a month
 * that a window boundary cuts, and those that can be among the nearest recent ones, come from the month
 * rows' entries; only the ten nearest are read from `events`, by id.
 */

/** Past this many positions within the radius the events path is used (the lists below grow with them). */
const MAX_POSITIONS = 5000;
/** How many nearest recent events exposure shows. */
const NEAREST = 10;

/** Whether the filter keeps every event: the sums by position carry no other dimension. */
export function keepsEveryEvent(filter: EventFilter): boolean {
  return Object.values(filter).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
}

type Position = { lat: number; lon: number; d: number };

/** The last day of the month starting on `month` (YYYY-MM-01). */
function monthEnd(month: string): string {
  const [y = 0, m = 1] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The columns the sums are read from (not the entries). */
const NEEDED = 'p.kind, p.latitude, p.longitude, p.month, p.actor, p.events, p.fatalities';

/** The table's cell of a coordinate (`lat_cell`, `lon_cell`). */
const cell = (degrees: number) => Math.floor(degrees * CELLS_PER_DEGREE);

/** The cells of these positions, as a cheap filter to apply before comparing coordinates. */
function inCells(positions: readonly Position[], params: Params): string {
  const list = (values: number[]) =>
    [...new Set(values)].map((v) => `CAST(${params.add(v)} AS INTEGER)`).join(', ');
  return `p.lat_cell IN (${list(positions.map((p) => cell(p.lat)))})
     AND p.lon_cell IN (${list(positions.map((p) => cell(p.lon)))})`;
}

/**
 * The range of cells these positions span, for DuckDB: its zone maps serve a range as well as two lists of
 * cells, and it plans four bounds faster than two lists of a cast parameter each (a 20 km corridor along a
 * 700 km line, 22 cells a side: the statement 12.7 → 9.6 ms CPU at a million events). PostgreSQL keeps the
 * lists, which its cell index answers probe by probe instead of over the whole rectangle.
 */
function cellRange(positions: readonly Position[], params: Params): string {
  const lats = positions.map((p) => cell(p.lat));
  const lons = positions.map((p) => cell(p.lon));
  const bound = (v: number) => `CAST(${params.add(v)} AS INTEGER)`;
  return `p.lat_cell BETWEEN ${bound(Math.min(...lats))} AND ${bound(Math.max(...lats))}
     AND p.lon_cell BETWEEN ${bound(Math.min(...lons))} AND ${bound(Math.max(...lons))}`;
}

/**
 * Tallies the events within `radiusKm` of the geometry from the sums by position, into `tally`, and
 * returns the candidates for the nearest recent events (all of the ten nearest, with ties); null, with
 * nothing tallied, when too many positions are within the radius.
 */
export async function tallyFromPlaces(
  db: Queryable,
  geometry: SiteGeometry,
  radiusKm: number,
  box: Bbox,
  w: Windows,
  tally: Tally,
): Promise<Nearby[] | null> {
  const [west, south, east, north] = box;
  const found = new Params();
  // Cells, not coordinates: DuckDB filters two INTEGER columns several times faster than two DOUBLE ones.
  // One box: an OR of the corridor's boxes costs more than the distances it saves.
  const positions = await db.query<{ latitude: number; longitude: number }>(
    `SELECT p.latitude, p.longitude FROM event_places p
     WHERE p.kind = ${PLACE_KIND.position}
       AND p.lat_cell BETWEEN CAST(${found.add(cell(south))} AS INTEGER) AND CAST(${found.add(cell(north))} AS INTEGER)
       AND p.lon_cell BETWEEN CAST(${found.add(cell(west))} AS INTEGER) AND CAST(${found.add(cell(east))} AS INTEGER)`,
    found.values,
  );
  // A position may have several rows (see event-places.ts).
  const candidates = new Map(positions.map((r) => [`${r.latitude} ${r.longitude}`, r]));
  const near: Position[] = [];
  for (const c of candidates.values()) {
    const lat = Number(c.latitude);
    const lon = Number(c.longitude);
    const d = distanceToGeometryKm(lat, lon, geometry);
    if (d <= radiusKm) near.push({ lat, lon, d });
  }
  if (near.length > MAX_POSITIONS) return null;
  if (!near.length) return [];

  // Sums by year and by actor, and by position and month over the two windows. The positions are picked
  // by their cells (one integer key per cell: a hash join, even with a handful of positions, cost DuckDB
  // more than the rest of the question); that is exact unless a position outside the radius shares a
  // cell with one inside, and then the positions are joined one by one.
  const at = new Map(near.map((p, i) => [`${p.lat} ${p.lon}`, i]));
  const cellOf = (lat: number, lon: number) => cellKey(cell(lat), cell(lon));
  const nearCells = new Set(near.map((p) => cellOf(p.lat, p.lon)));
  const shared = [...candidates.values()].some(
    (c) =>
      !at.has(`${c.latitude} ${c.longitude}`) &&
      nearCells.has(cellOf(Number(c.latitude), Number(c.longitude))),
  );
  const windows = !!(w.asOf && w.recentFrom && w.previousFrom);
  const p = new Params();
  const picked = shared
    ? `SELECT ${NEEDED} FROM event_places p
       JOIN (VALUES ${near.map((x) => `(CAST(${p.add(x.lat)} AS DOUBLE PRECISION), CAST(${p.add(x.lon)} AS DOUBLE PRECISION))`).join(', ')}) AS v(lat, lon)
         ON p.latitude = v.lat AND p.longitude = v.lon
       WHERE ${inCells(near, p)}`
    : `SELECT ${NEEDED} FROM event_places p
       WHERE ${db.dialect === 'duckdb' ? cellRange(near, p) : inCells(near, p)} AND p.lat_cell * CAST(${CELL_KEY} AS BIGINT) + p.lon_cell IN (${[...nearCells].map((k) => `CAST(${p.add(k)} AS BIGINT)`).join(', ')})`;
  const windowRange = windows
    ? `p.month >= CAST(${p.add(`${(w.previousFrom as string).slice(0, 7)}-01`)} AS DATE) AND p.month <= CAST(${p.add(`${(w.asOf as string).slice(0, 7)}-01`)} AS DATE)`
    : 'FALSE';
  const rows = await db.query<{
    part: 'year' | 'actor' | 'window';
    year: number | null;
    latitude: number | null;
    longitude: number | null;
    month: string | null;
    actor: string | null;
    events: number;
    fatalities: number;
  }>(
    // Picked once (a scan each costs more than the sums), without the entries.
    `WITH near AS MATERIALIZED (${picked})
     SELECT 'year' AS part, CAST(EXTRACT(YEAR FROM p.month) AS INTEGER) AS year,
            CAST(NULL AS DOUBLE PRECISION) AS latitude, CAST(NULL AS DOUBLE PRECISION) AS longitude,
            CAST(NULL AS DATE) AS month, CAST(NULL AS TEXT) AS actor, SUM(p.events) AS events,
            SUM(p.fatalities) AS fatalities
       FROM near p WHERE p.kind = ${PLACE_KIND.month} GROUP BY 2
     UNION ALL
     SELECT 'actor', NULL, NULL, NULL, NULL, p.actor, SUM(p.events), SUM(p.fatalities)
       FROM near p WHERE p.kind = ${PLACE_KIND.actor} GROUP BY p.actor
     UNION ALL
     SELECT 'window', NULL, p.latitude, p.longitude, p.month, NULL, p.events, p.fatalities
       FROM near p WHERE p.kind = ${PLACE_KIND.month} AND ${windowRange}`,
    p.values,
  );
  // A position's month may have several rows (see event-places.ts): summed here.
  const byMonth = new Map<string, { n: number; month: string; events: number; fatalities: number }>();
  for (const r of rows) {
    if (r.part !== 'window') continue;
    const n = at.get(`${r.latitude} ${r.longitude}`);
    if (n === undefined) continue;
    const key = `${n} ${r.month}`;
    const sum = byMonth.get(key) ?? { n, month: r.month as string, events: 0, fatalities: 0 };
    sum.events += Number(r.events);
    sum.fatalities += Number(r.fatalities);
    byMonth.set(key, sum);
  }
  // Recent events per position and month, for the nearest; months a window boundary cuts are settled
  // from their entries.
  const recentIn = new Map<string, { n: number; month: string; events: number }>();
  const cut: { n: number; month: string }[] = [];
  for (const r of rows) {
    const events = Number(r.events);
    const fatalities = Number(r.fatalities);
    // A key whose signed rows cancel out holds no event (see event-places.ts).
    if (r.part === 'year' && events !== 0) tally.addYear(Number(r.year), events, fatalities);
    if (r.part === 'actor' && events !== 0) tally.addActor(r.actor, events, fatalities);
  }
  for (const { n, month, events, fatalities } of byMonth.values()) {
    const first = windowOf(month, w);
    // A month whose first and last days fall in the same window falls in it whole (windows are
    // intervals, each over a month long, so a month cannot span one from outside to outside).
    if (first === windowOf(monthEnd(month), w)) {
      tally.addToWindow(first, events, fatalities);
      if (first === 'recent' && events > 0) recentIn.set(`${n} ${month}`, { n, month, events });
    } else cut.push({ n, month });
  }
  const entries = new Map<string, Entry[]>();
  if (cut.length) {
    for (const [key, list] of await readEntries(db, near, cut)) {
      entries.set(key, list);
      const [n = 0, month = ''] = key.split(' ');
      let recent = 0;
      for (const e of list) {
        const window = windowOf(e.date, w);
        tally.addToWindow(window, 1, e.f);
        if (window === 'recent') recent++;
      }
      if (recent) recentIn.set(key, { n: Number(n), month, events: recent });
    }
  }
  return nearestRecent(db, near, recentIn, entries, w);
}

/** One event as listed in a month row of `event_places`. */
type Entry = { date: string; f: number; id: string };

/**
 * The events listed for these (position, month) pairs, keyed `n month`: each entry as many times as it
 * was added less the times it was removed.
 */
async function readEntries(
  db: Queryable,
  near: readonly Position[],
  pairs: readonly { n: number; month: string }[],
): Promise<Map<string, Entry[]>> {
  // Cells and months pushed into the scan (a join, or a filter on the coordinates, reads the long lists of
  // every row it looks at); the exact pairs are picked here.
  const q = new Params();
  const wanted = new Map(
    pairs.map((pair) => {
      const p = near[pair.n] as Position;
      return [`${p.lat} ${p.lon} ${pair.month}`, pair.n];
    }),
  );
  const months = [...new Set(pairs.map((pair) => pair.month))];
  const listed = await db.query<{
    latitude: number;
    longitude: number;
    month: string;
    added: string | null;
    removed: string | null;
  }>(
    `SELECT p.latitude, p.longitude, p.month, p.added, p.removed FROM event_places p
     WHERE p.kind = ${PLACE_KIND.month} AND p.month IN (${months.map((m) => `CAST(${q.add(m)} AS DATE)`).join(', ')})
       AND ${inCells(
         pairs.map((pair) => near[pair.n] as Position),
         q,
       )}`,
    q.values,
  );
  const counts = new Map<string, Map<string, number>>();
  for (const r of listed) {
    const n = wanted.get(`${r.latitude} ${r.longitude} ${r.month}`);
    if (n === undefined) continue;
    const key = `${n} ${r.month}`;
    const count = counts.get(key) ?? new Map<string, number>();
    counts.set(key, count);
    for (const e of r.added ? r.added.split(ENTRY_END) : []) count.set(e, (count.get(e) ?? 0) + 1);
    for (const e of r.removed ? r.removed.split(ENTRY_END) : []) count.set(e, (count.get(e) ?? 0) - 1);
  }
  const result = new Map<string, Entry[]>();
  for (const [key, count] of counts) {
    const list: Entry[] = [];
    for (const [entry, times] of count) {
      const [date = '', f = '0', ...id] = entry.split(ENTRY_FIELD);
      for (let i = 0; i < times; i++) list.push({ date, f: Number(f), id: id.join(ENTRY_FIELD) });
    }
    result.set(key, list);
  }
  return result;
}

/**
 * The ten nearest recent events: the (position, month) pairs that hold them are known from the sums
 * (nearest positions first, latest months first, until ten, with ties); their entries give each event's
 * date and id, so only the ten are read from `events`, by id.
 */
async function nearestRecent(
  db: Queryable,
  near: readonly Position[],
  recentIn: ReadonlyMap<string, { n: number; month: string; events: number }>,
  known: Map<string, Entry[]>,
  w: Windows,
): Promise<Nearby[]> {
  if (!w.asOf || !w.recentFrom) return [];
  const pairs = [...recentIn.values()]
    .map((p) => ({ ...p, d: (near[p.n] as Position).d }))
    .sort((a, b) => a.d - b.d || b.month.localeCompare(a.month));
  let count = 0;
  let last: { d: number; month: string } | undefined;
  for (const p of pairs) {
    count += p.events;
    if (count >= NEAREST) {
      last = p;
      break;
    }
  }
  // Everything before the pair that reaches ten, and every pair as near and as late as it (ties).
  const chosen = last
    ? pairs.filter((p) => p.d < (last?.d ?? 0) || (p.d === last?.d && p.month >= last.month))
    : pairs;
  const missing = chosen.filter((p) => !known.has(`${p.n} ${p.month}`));
  if (missing.length) for (const [key, list] of await readEntries(db, near, missing)) known.set(key, list);
  const candidates = chosen.flatMap((p) =>
    (known.get(`${p.n} ${p.month}`) ?? [])
      .filter((e) => windowOf(e.date, w) === 'recent')
      .map((e) => ({ ...e, event_date: e.date, distanceKm: p.d, n: p.n })),
  );
  const top = candidates.sort(nearestFirst).slice(0, NEAREST);
  if (!top.length) return [];
  const q = new Params();
  // By primary key: the engines look a short list up in the index.
  const rows = await db.query<NearRow & DetailsRow>(
    `SELECT e.id, e.event_date, e.latitude, e.longitude, COALESCE(e.fatalities_best, 0) AS f,
            COALESCE(e.actor1_id, e.actor1) AS actor, ${DETAILS_COLUMNS}
     FROM events e LEFT JOIN actors a ON a.id = e.actor1_id WHERE e.id IN (${q.list(top.map((e) => e.id))})`,
    q.values,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return top.map((e) => {
    const r = byId.get(e.id);
    const p = near[e.n] as Position;
    if (!r || r.event_date !== e.date || Number(r.latitude) !== p.lat || Number(r.longitude) !== p.lon)
      throw new Error(
        `event_places lists event ${e.id} on ${e.date} at ${p.lat}, ${p.lon}, which events does not hold: the table is out of date (rebuildEventPlaces)`,
      );
    return {
      id: r.id,
      event_date: r.event_date,
      latitude: p.lat,
      longitude: p.lon,
      f: Number(r.f),
      actor: r.actor,
      distanceKm: e.distanceKm,
      details: detailsOf(r),
    };
  });
}
