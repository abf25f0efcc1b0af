import type { Params } from '../store/filter-sql.ts';
import { EARTH_RADIUS_KM, type SiteGeometry } from './geo.ts';

/**
 * `distanceToGeometryKm` (geo.ts) written in SQL, for points and lines, so that the store can tally the
 * events within a radius instead of handing every corridor event to JavaScript. The arithmetic is the
 * same, step for step; only the engines' sine, cosine and arcsine may differ from V8's in the last bits.
 * Callers therefore trust it only away from the radius (see DISTANCE_SLACK_KM) and settle the few events
 * within the slack of the edge with the JavaScript function, so every store gives the same answer.
 */

/** Far more than the engines' libm can differ by on distances under 20 000 km, far less than matters. */
export const DISTANCE_SLACK_KM = 1e-6;

/** Lines with more segments are left to JavaScript: the expression grows with each one. */
const MAX_SEGMENTS = 64;

type Pos = readonly number[];

/** Degrees to radians as geo.ts does it, `(deg * π) / 180`. */
const rad = (deg: string) => `((${deg}) * PI() / 180.0)`;

/**
 * Great-circle distance in km across a step of (dLat, dLon) degrees from latitude `lat1` to `lat2`, as
 * `haversineKm`; written with each input once or twice, for the engines inline every sub-expression.
 */
function haversineSql(dLat: string, dLon: string, cosLat1: string, lat2: string): string {
  // Squares as products: the engines share the repeated sub-expression, and POWER is a slow call.
  const sq = (x: string) => `(${x} * ${x})`;
  const h = `(${sq(`SIN(${rad(dLat)} / 2.0)`)} + ${cosLat1} * COS(${rad(lat2)}) * ${sq(`SIN(${rad(dLon)} / 2.0)`)})`;
  return `(2.0 * ${EARTH_RADIUS_KM} * ASIN(LEAST(1.0, SQRT(${h}))))`;
}

/**
 * Distance from the event (columns `lat`, `lon`; `k` = cos(lat) computed once per row) to the segment
 * [a, b], as `pointToSegmentKm`: the closest point on the segment in the event's equirectangular frame
 * (offsets cx east, cy north), then the great-circle distance to it.
 */
function segmentSql(lat: string, lon: string, k: string, a: Pos, b: Pos, num: (n: number) => string): string {
  const [a0 = 0, a1 = 0] = a;
  const [b0 = 0, b1 = 0] = b;
  const ax = `((${num(a0)} - ${lon}) * ${k})`;
  const ay = `(${num(a1)} - ${lat})`;
  const dx = `(${num(b0 - a0)} * ${k})`;
  const dy = num(b1 - a1);
  const len2 = `(${dx} * ${dx} + ${dy} * ${dy})`;
  const t = `(CASE WHEN ${len2} = 0 THEN 0.0 ELSE GREATEST(0.0, LEAST(1.0, -(${ax} * ${dx} + ${ay} * ${dy}) / ${len2})) END)`;
  const cx = `(${ax} + ${t} * ${dx})`;
  const cy = `(${ay} + ${t} * ${dy})`;
  return haversineSql(cy, `(CASE WHEN ${k} = 0 THEN 0.0 ELSE ${cx} / ${k} END)`, k, `(${lat} + ${cy})`);
}

/**
 * The SQL distance in km from each row (`lat`, `lon`, `k` columns) to a point or a line, or null for
 * areas and for lines too long to write out: those are measured in JavaScript.
 */
export function distanceSql(
  geometry: SiteGeometry,
  columns: { lat: string; lon: string; k: string },
  params: Params,
): string | null {
  // Typed, so that the engine does not fall back to slow generic arithmetic on untyped parameters.
  const num = (value: number) => `CAST(${params.add(value)} AS DOUBLE PRECISION)`;
  const { lat, lon, k } = columns;
  if (geometry.type === 'Point') {
    const [plon = 0, plat = 0] = geometry.coordinates;
    return haversineSql(`(${num(plat)} - ${lat})`, `(${num(plon)} - ${lon})`, k, num(plat));
  }
  if (geometry.type !== 'LineString' && geometry.type !== 'MultiLineString') return null;
  const lines = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
  const segments = lines.flatMap((line) => line.slice(1).map((b, i) => [line[i] ?? b, b] as const));
  if (!segments.length || segments.length > MAX_SEGMENTS) return null;
  const parts = segments.map(([a, b]) => segmentSql(lat, lon, k, a, b, num));
  return parts.length === 1 ? (parts[0] as string) : `LEAST(${parts.join(', ')})`;
}
