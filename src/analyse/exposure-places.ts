import type { EventFilter } from '../schema/index.ts';
import type { Queryable } from '../store/contract.ts';
import { Params } from '../store/filter-sql.ts';
import { type NearRow, type Tally, type Windows, windowOf } from './exposure-tally.ts';
import { type Bbox, distanceToGeometryKm, type SiteGeometry } from './geo.ts';

/**
 * Exposure from `event_places` (src/store/event-places.ts): the events summed per exact position by month
 * and by actor. Every event at a position is at the position's distance, measured here with the
 * JavaScript distance, so the sums within the radius are exactly the events path's; only the events that
 * can be among the nearest recent ones, and those of a month that a window boundary cuts, are read from
 * `events`, by position.
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

/** The first day after the month starting on `month`. */
function nextMonth(month: string): string {
  const [y = 0, m = 1] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

/** `(VALUES (lat, lon, n), …) AS v(lat, lon, n)` for the positions, `n` from `number`. */
function positionsSql(positions: readonly Position[], number: (p: Position, i: number) => number, params: Params) {
  const rows = positions.map(
    (p, i) =>
      `(CAST(${params.add(p.lat)} AS DOUBLE PRECISION), CAST(${params.add(p.lon)} AS DOUBLE PRECISION), CAST(${params.add(number(p, i))} AS INTEGER))`,
  );
  return `(VALUES ${rows.join(', ')}) AS v(lat, lon, n)`;
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
  boxes: readonly Bbox[],
  w: Windows,
  tally: Tally,
): Promise<(NearRow & { distanceKm: number })[] | null> {
  const [west, south, east, north] = box;
  const found = new Params();
  // Typed: compared with untyped parameters, DuckDB evaluates the OR of boxes below ten times slower.
  const inBox = (p: Params, [w_, s, e, n]: Bbox) => {
    const num = (v: number) => `CAST(${p.add(v)} AS DOUBLE PRECISION)`;
    return `p.latitude BETWEEN ${num(s)} AND ${num(n)} AND p.longitude BETWEEN ${num(w_)} AND ${num(e)}`;
  };
  // One box: an OR of the corridor's boxes, pushed into DuckDB's scan, cost more than the distances it
  // saves (there are far fewer positions than events).
  const candidates = await db.query<{ latitude: number; longitude: number }>(
    `SELECT DISTINCT p.latitude, p.longitude FROM event_places p WHERE ${inBox(found, [west, south, east, north])}`,
    found.values,
  );
  const near: Position[] = [];
  for (const c of candidates) {
    const lat = Number(c.latitude);
    const lon = Number(c.longitude);
    const d = distanceToGeometryKm(lat, lon, geometry);
    if (d <= radiusKm) near.push({ lat, lon, d });
  }
  if (near.length > MAX_POSITIONS) return null;
  if (!near.length) return [];

  // Sums by year and by actor, and by position and month over the two windows.
  const windows = !!(w.asOf && w.recentFrom && w.previousFrom);
  const p = new Params();
  const values = positionsSql(near, (_, i) => i, p);
  const windowRange = windows
    ? `month >= CAST(${p.add(`${(w.previousFrom as string).slice(0, 7)}-01`)} AS DATE) AND month <= CAST(${p.add(`${(w.asOf as string).slice(0, 7)}-01`)} AS DATE)`
    : 'FALSE';
  const rows = await db.query<{
    part: 'year' | 'actor' | 'window';
    n: number | null;
    month: string | null;
    actor: string | null;
    events: number;
    fatalities: number;
  }>(
    `WITH near AS MATERIALIZED (
       SELECT v.n, p.month, p.actor, p.events, p.fatalities
       FROM event_places p JOIN ${values} ON p.latitude = v.lat AND p.longitude = v.lon
       WHERE ${inBox(p, [west, south, east, north])}
     )
     SELECT 'year' AS part, CAST(EXTRACT(YEAR FROM month) AS INTEGER) AS n, CAST(NULL AS DATE) AS month,
            CAST(NULL AS TEXT) AS actor, SUM(events) AS events, SUM(fatalities) AS fatalities
       FROM near WHERE month IS NOT NULL GROUP BY 2
     UNION ALL
     SELECT 'actor', NULL, NULL, actor, SUM(events), SUM(fatalities) FROM near WHERE month IS NULL GROUP BY actor
     UNION ALL
     SELECT 'window', n, month, NULL, SUM(events), SUM(fatalities) FROM near
      WHERE month IS NOT NULL AND ${windowRange} GROUP BY n, month`,
    p.values,
  );
  const recentAt = new Array<number>(near.length).fill(0);
  const cut = new Set<number>();
  const cutMonths = new Set<string>();
  for (const r of rows) {
    const events = Number(r.events);
    const fatalities = Number(r.fatalities);
    // A key whose signed rows cancel out holds no event (see event-places.ts).
    if (events === 0) continue;
    if (r.part === 'year') tally.addYear(Number(r.n), events, fatalities);
    else if (r.part === 'actor') tally.addActor(r.actor, events, fatalities);
    else {
      const month = r.month as string;
      const first = windowOf(month, w);
      const last = monthEnd(month);
      // A month whose first and last days fall in the same window falls in it whole (windows are
      // intervals, each over a month long, so a month cannot span one from outside to outside).
      if (first === windowOf(last, w)) {
        tally.addToWindow(first, events, fatalities);
        if (first === 'recent') recentAt[Number(r.n)] = (recentAt[Number(r.n)] ?? 0) + events;
      } else {
        cut.add(Number(r.n));
        cutMonths.add(month);
      }
    }
  }

  // Months a window boundary cuts (at most three): their events at these positions, one by one.
  if (cut.size) {
    const q = new Params();
    const at = [...cut].map((i) => near[i] as Position);
    const index = [...cut];
    const dates = [...cutMonths]
      .map(
        (m) => `(e.event_date >= CAST(${q.add(m)} AS DATE) AND e.event_date < CAST(${q.add(nextMonth(m))} AS DATE))`,
      )
      .join(' OR ');
    for (const e of await db.query<{ n: number; event_date: string; f: number }>(
      `SELECT v.n, e.event_date, COALESCE(e.fatalities_best, 0) AS f
       FROM events e JOIN ${positionsSql(at, (_, i) => index[i] as number, q)}
         ON e.latitude = v.lat AND e.longitude = v.lon
       WHERE ${dates}`,
      q.values,
    )) {
      const window = windowOf(e.event_date, w);
      tally.addToWindow(window, 1, Number(e.f));
      if (window === 'recent') recentAt[Number(e.n)] = (recentAt[Number(e.n)] ?? 0) + 1;
    }
  }
  return nearestRecent(db, near, recentAt, w);
}

/**
 * The recent events that can be among the ten nearest: those at the nearest positions holding ten of
 * them (and at any as near as the farthest of those), read from `events` by position and date, and cut
 * at the tenth by (position, date) so a city centre's thousand events do not all come back.
 */
async function nearestRecent(
  db: Queryable,
  near: readonly Position[],
  recentAt: readonly number[],
  w: Windows,
): Promise<(NearRow & { distanceKm: number })[]> {
  if (!w.asOf || !w.recentFrom) return [];
  const order = near
    .map((p, i) => ({ ...p, recent: recentAt[i] ?? 0 }))
    .filter((p) => p.recent > 0)
    .sort((a, b) => a.d - b.d);
  let reached = Number.POSITIVE_INFINITY;
  let count = 0;
  for (const p of order) {
    count += p.recent;
    if (count >= NEAREST) {
      reached = p.d;
      break;
    }
  }
  const chosen = order.filter((p) => p.d <= reached);
  if (!chosen.length) return [];
  // Positions at the same distance share a rank: their events are then ordered by date, as in exposure.
  const ranks = new Map<number, number>();
  for (const p of chosen) if (!ranks.has(p.d)) ranks.set(p.d, ranks.size);
  const q = new Params();
  const values = positionsSql(chosen, (p) => ranks.get(p.d) ?? 0, q);
  const rows = await db.query<NearRow & { n: number }>(
    `WITH c AS MATERIALIZED (
       SELECT e.id, e.event_date, e.latitude, e.longitude, COALESCE(e.fatalities_best, 0) AS f,
              COALESCE(e.actor1_id, e.actor1) AS actor, v.n
       FROM events e JOIN ${values} ON e.latitude = v.lat AND e.longitude = v.lon
       WHERE e.event_date >= CAST(${q.add(w.recentFrom)} AS DATE) AND e.event_date <= CAST(${q.add(w.asOf)} AS DATE)
     ),
     tenth AS (SELECT n, event_date FROM c ORDER BY n, event_date DESC LIMIT 1 OFFSET ${NEAREST - 1})
     SELECT c.id, c.event_date, c.latitude, c.longitude, c.f, c.actor, c.n FROM c LEFT JOIN tenth t ON TRUE
     WHERE t.n IS NULL OR c.n < t.n OR (c.n = t.n AND c.event_date >= t.event_date)`,
    q.values,
  );
  const distance = new Map(chosen.map((p) => [ranks.get(p.d), p.d]));
  return rows.map((r) => ({
    id: r.id,
    event_date: r.event_date,
    latitude: Number(r.latitude),
    longitude: Number(r.longitude),
    f: Number(r.f),
    actor: r.actor,
    distanceKm: distance.get(Number(r.n)) ?? 0,
  }));
}
