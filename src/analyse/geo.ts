import { z } from 'zod';

/** Distances on the sphere, computed here rather than by a database extension so both stores agree. */

export const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

const Position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number());
const Ring = z.array(Position).min(4).max(100_000);

/** The GeoJSON geometries a site may have: a point, a line (rail, road, pipeline) or an area. */
export const SiteGeometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: Position }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(Position).min(2).max(100_000) }),
  z.object({
    type: z.literal('MultiLineString'),
    coordinates: z.array(z.array(Position).min(2)).min(1).max(10_000),
  }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1).max(1000) }),
  z.object({
    type: z.literal('MultiPolygon'),
    coordinates: z.array(z.array(Ring).min(1)).min(1).max(10_000),
  }),
]);
export type SiteGeometry = z.infer<typeof SiteGeometry>;

type Pos = readonly number[];

/**
 * Great-circle distance between two points in kilometres.
 *
 * @example haversineKm(24.86, 67.01, 25.12, 62.33) // Karachi → Gwadar ≈ 472 km
 */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Distance from a point to a segment [a, b] (GeoJSON [lon, lat] positions), in km. The closest point on
 * the segment is found in a local equirectangular plane centred on the point (accurate to well under 1 %
 * at the few-hundred-km scale that exposure works at); the distance to it is then a great-circle one.
 */
export function pointToSegmentKm(lat: number, lon: number, a: Pos, b: Pos): number {
  const k = Math.cos(rad(lat));
  const ax = ((a[0] ?? 0) - lon) * k;
  const ay = (a[1] ?? 0) - lat;
  const bx = ((b[0] ?? 0) - lon) * k;
  const by = (b[1] ?? 0) - lat;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  const cx = ax + t * dx;
  const cy = ay + t * dy;
  return haversineKm(lat, lon, lat + cy, lon + (k === 0 ? 0 : cx / k));
}

function lineDistanceKm(lat: number, lon: number, line: readonly Pos[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1];
    const b = line[i];
    if (a && b) best = Math.min(best, pointToSegmentKm(lat, lon, a, b));
  }
  return best;
}

/** Ray casting on one ring; the ring's closing point may or may not repeat the first. */
function insideRing(lat: number, lon: number, ring: readonly Pos[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? [];
    const [xj = 0, yj = 0] = ring[j] ?? [];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** True when the point is inside the polygon's outer ring and outside all its holes. */
export function insidePolygon(lat: number, lon: number, polygon: readonly (readonly Pos[])[]): boolean {
  const [outer, ...holes] = polygon;
  return !!outer && insideRing(lat, lon, outer) && !holes.some((h) => insideRing(lat, lon, h));
}

function polygonDistanceKm(lat: number, lon: number, polygon: readonly (readonly Pos[])[]): number {
  if (insidePolygon(lat, lon, polygon)) return 0;
  return Math.min(...polygon.map((ring) => lineDistanceKm(lat, lon, ring)));
}

/** Distance from a point to a geometry in km: 0 inside an area, else to its nearest edge, line or point. */
export function distanceToGeometryKm(lat: number, lon: number, geometry: SiteGeometry): number {
  switch (geometry.type) {
    case 'Point':
      return haversineKm(lat, lon, geometry.coordinates[1], geometry.coordinates[0]);
    case 'LineString':
      return lineDistanceKm(lat, lon, geometry.coordinates);
    case 'MultiLineString':
      return Math.min(...geometry.coordinates.map((line) => lineDistanceKm(lat, lon, line)));
    case 'Polygon':
      return polygonDistanceKm(lat, lon, geometry.coordinates);
    case 'MultiPolygon':
      return Math.min(...geometry.coordinates.map((polygon) => polygonDistanceKm(lat, lon, polygon)));
  }
}

export type Bbox = [west: number, south: number, east: number, north: number];

function positions(geometry: SiteGeometry): Pos[] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates];
    case 'LineString':
      return geometry.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates.flat();
    case 'MultiPolygon':
      return geometry.coordinates.flat(2);
  }
}

/** The segments of a line or multi-line as [a, b] position pairs; none for points and areas. */
export function lineSegments(
  geometry: SiteGeometry,
): (readonly [z.infer<typeof Position>, z.infer<typeof Position>])[] {
  const lines =
    geometry.type === 'LineString'
      ? [geometry.coordinates]
      : geometry.type === 'MultiLineString'
        ? geometry.coordinates
        : [];
  return lines.flatMap((line) => line.slice(1).map((b, i) => [line[i] ?? b, b] as const));
}

export function geometryBbox(geometry: SiteGeometry): Bbox {
  const box: Bbox = [180, 90, -180, -90];
  for (const [lon = 0, lat = 0] of positions(geometry)) {
    box[0] = Math.min(box[0], lon);
    box[1] = Math.min(box[1], lat);
    box[2] = Math.max(box[2], lon);
    box[3] = Math.max(box[3], lat);
  }
  return box;
}

/** Grows a box by `km` on every side: a cheap prefilter before exact distances. */
export function expandBbox([west, south, east, north]: Bbox, km: number): Bbox {
  const dLat = km / 110.574;
  const maxLat = Math.min(89.9, Math.max(Math.abs(south), Math.abs(north)) + dLat);
  const dLon = km / (111.32 * Math.cos(rad(maxLat)));
  return [
    Math.max(-180, west - dLon),
    Math.max(-90, south - dLat),
    Math.min(180, east + dLon),
    Math.min(90, north + dLat),
  ];
}

/**
 * Boxes that together cover everything within `km` of a geometry: one per run of segments of a line or
 * ring, so a long diagonal railway is a corridor of small boxes rather than one box over the whole region.
 * At most `maxBoxes` boxes (runs of consecutive segments are merged to stay under it).
 */
export function coveringBoxes(geometry: SiteGeometry, km: number, maxBoxes = 32): Bbox[] {
  const paths: (readonly Pos[])[] =
    geometry.type === 'Point'
      ? [[geometry.coordinates]]
      : geometry.type === 'LineString'
        ? [geometry.coordinates]
        : geometry.type === 'MultiLineString'
          ? geometry.coordinates
          : geometry.type === 'Polygon'
            ? [geometry.coordinates[0] ?? []]
            : geometry.coordinates.map((polygon) => polygon[0] ?? []);
  // Areas also cover their inside: one box over each outer ring.
  if (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') {
    return paths
      .slice(0, maxBoxes)
      .map((ring) =>
        expandBbox(geometryBbox({ type: 'LineString', coordinates: ring as [number, number][] }), km),
      );
  }
  const segments = paths.reduce((n, p) => n + Math.max(1, p.length - 1), 0);
  const perBox = Math.max(1, Math.ceil(segments / maxBoxes));
  const boxes: Bbox[] = [];
  for (const path of paths) {
    for (let i = 0; i < Math.max(1, path.length - 1); i += perBox) {
      const run = path.slice(i, Math.min(path.length, i + perBox + 1)) as [number, number][];
      boxes.push(
        expandBbox(
          geometryBbox(
            run.length > 1
              ? { type: 'LineString', coordinates: run }
              : { type: 'Point', coordinates: run[0] ?? [0, 0] },
          ),
          km,
        ),
      );
    }
  }
  return boxes;
}
