import type { Params } from '../store/filter-sql.ts';
import { EARTH_RADIUS_KM, lineSegments, type SiteGeometry } from './geo.ts';

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
 * A SELECT over `source` (columns `latitude`, `longitude` and `k` = cos(latitude), among others, all
 * passed through) adding `d`, the distance in km to a point or a line; null for areas and for lines too
 * long to write out: those are measured in JavaScript. For a line, `d` is the least distance to its
 * segments, each as `pointToSegmentKm`: the closest point on the segment in the event's equirectangular
 * frame (offsets cx east, cy north of the event), then the great-circle distance to it. Each step is a
 * column of its own subquery: written as one expression, every use of a step repeats the steps before
 * it, and the engines spend more time planning that than running it.
 */
export function distanceSql(geometry: SiteGeometry, source: string, params: Params): string | null {
  // Typed, so that the engine does not fall back to slow generic arithmetic on untyped parameters.
  const num = (value: number) => `CAST(${params.add(value)} AS DOUBLE PRECISION)`;
  if (geometry.type === 'Point') {
    const [plon = 0, plat = 0] = geometry.coordinates;
    const lat = num(plat);
    const d = haversineSql(`(${lat} - s.latitude)`, `(${num(plon)} - s.longitude)`, 's.k', lat);
    return `SELECT s.*, ${d} AS d FROM (${source}) s`;
  }
  if (geometry.type !== 'LineString' && geometry.type !== 'MultiLineString') return null;
  const lines = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
  const segments = lines.flatMap((line) => line.slice(1).map((b, i) => [line[i] ?? b, b] as const));
  if (!segments.length || segments.length > MAX_SEGMENTS) return null;
  const steps: string[][] = [[], [], [], []];
  segments.forEach(([a, b], i) => {
    const [a0 = 0, a1 = 0] = a;
    const [b0 = 0, b1 = 0] = b;
    const dy = num(b1 - a1);
    steps[0]?.push(
      `(${num(a0)} - s.longitude) * s.k AS ax${i}`,
      `${num(a1)} - s.latitude AS ay${i}`,
      `${num(b0 - a0)} * s.k AS dx${i}`,
    );
    const len2 = `(s.dx${i} * s.dx${i} + ${dy} * ${dy})`;
    steps[1]?.push(
      `CASE WHEN ${len2} = 0 THEN 0.0 ELSE GREATEST(0.0, LEAST(1.0, -(s.ax${i} * s.dx${i} + s.ay${i} * ${dy}) / ${len2})) END AS t${i}`,
    );
    steps[2]?.push(`s.ax${i} + s.t${i} * s.dx${i} AS cx${i}`, `s.ay${i} + s.t${i} * ${dy} AS cy${i}`);
    steps[3]?.push(
      haversineSql(
        `s.cy${i}`,
        `CASE WHEN s.k = 0 THEN 0.0 ELSE s.cx${i} / s.k END`,
        's.k',
        `s.latitude + s.cy${i}`,
      ),
    );
  });
  const [first = [], second = [], third = [], last = []] = steps;
  const d = last.length === 1 ? last[0] : `LEAST(${last.join(', ')})`;
  let select = `SELECT s.*, ${first.join(', ')} FROM (${source}) s`;
  for (const step of [second, third]) select = `SELECT s.*, ${step.join(', ')} FROM (${select}) s`;
  return `SELECT s.*, ${d} AS d FROM (${select}) s`;
}

/**
 * A cheap SQL test that an event (columns `e.latitude`, `e.longitude`) between latitudes `south` and
 * `north` may lie within `km` of a line: within the slack of some segment's infinite line, in the event's
 * equirectangular frame. Conservative: the exact distance to the segment's closest point is at least 95 %
 * of its planar distance (at least the planar distance to the line) while tan(latitude) × the slack in
 * radians stays under 0.1; beyond that, or for other geometries, it is TRUE and the distance decides
 * alone. The frame's cos(latitude) is bounded over [south, north] rather than computed: engines evaluate
 * a filter without sharing sub-expressions, and a cosine per use per row cost more than the test saves.
 */
export function nearLineSql(
  geometry: SiteGeometry,
  km: number,
  south: number,
  north: number,
  params: Params,
): string {
  const slackKm = km * 1.1 + 1;
  const slackRad = slackKm / EARTH_RADIUS_KM;
  const segments = lineSegments(geometry);
  const maxAbsLat = Math.max(Math.abs(south), Math.abs(north));
  if (!segments.length || segments.length > MAX_SEGMENTS || maxAbsLat >= 89) return 'TRUE';
  if (Math.tan((maxAbsLat * Math.PI) / 180) * slackRad > 0.1) return 'TRUE';
  const minAbsLat = south <= 0 && north >= 0 ? 0 : Math.min(Math.abs(south), Math.abs(north));
  const kMin = Math.cos((maxAbsLat * Math.PI) / 180);
  const kMax = Math.cos((minAbsLat * Math.PI) / 180);
  const slackDeg = (slackRad * 180) / Math.PI;
  const num = (value: number) => `CAST(${params.add(value)} AS DOUBLE PRECISION)`;
  // With X = (a0 - lon)·dy - (a1 - lat)·dx, the distance to the line is k·|X| / √(k²dx² + dy²):
  // keep the event unless kMin·|X| exceeds the slack times √(kMax²dx² + dy²).
  return `(${segments
    .map(([[a0 = 0, a1 = 0], [b0 = 0, b1 = 0]]) => {
      const dx = b0 - a0;
      const dy = b1 - a1;
      const x = `((${num(a0)} - e.longitude) * ${num(dy)} - (${num(a1)} - e.latitude) * ${num(dx)})`;
      const bound = ((slackDeg * Math.sqrt(kMax * kMax * dx * dx + dy * dy)) / kMin) * 1.000001;
      return `ABS(${x}) <= ${num(bound)}`;
    })
    .join(' OR ')})`;
}
