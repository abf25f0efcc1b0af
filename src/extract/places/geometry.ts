/** Plane geometry over lon/lat degrees: enough for "which district is this point in" and distances. */

export type Ring = Array<[number, number]>;
/** One polygon: the outer ring first, then holes. */
export type PolygonRings = Ring[];

export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

export interface GeoJsonGeometry {
  type: string;
  coordinates: unknown;
}

/** A Polygon or MultiPolygon as a list of polygons; other geometry types give an empty list. */
export function polygonsOf(geometry: GeoJsonGeometry): PolygonRings[] {
  if (geometry.type === 'Polygon') return [geometry.coordinates as PolygonRings];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates as PolygonRings[];
  return [];
}

export function bboxOf(polygons: readonly PolygonRings[]): BBox {
  const box = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0] ?? []) {
      if (lon < box.minLon) box.minLon = lon;
      if (lon > box.maxLon) box.maxLon = lon;
      if (lat < box.minLat) box.minLat = lat;
      if (lat > box.maxLat) box.maxLat = lat;
    }
  }
  return box;
}

export function inBBox(box: BBox, lon: number, lat: number): boolean {
  return lon >= box.minLon && lon <= box.maxLon && lat >= box.minLat && lat <= box.maxLat;
}

/** Even-odd ray casting; a point exactly on an edge may fall either way. */
function inRing(ring: Ring, lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Whether a point lies in any of the polygons: inside an outer ring and outside all its holes.
 *
 * @example pointInPolygons([[[[0,0],[10,0],[10,10],[0,10],[0,0]]]], 5, 5) // true
 */
export function pointInPolygons(polygons: readonly PolygonRings[], lon: number, lat: number): boolean {
  for (const polygon of polygons) {
    const [outer, ...holes] = polygon;
    if (!outer || !inRing(outer, lon, lat)) continue;
    if (!holes.some((hole) => inRing(hole, lon, lat))) return true;
  }
  return false;
}

function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    sum += xj * yi - xi * yj;
  }
  return sum / 2;
}

/**
 * A point inside the largest polygon, near its middle: the area centroid when that falls inside
 * (it does not for crescent shapes), else the midpoint of the widest inside run of the row through it.
 */
export function interiorPoint(polygons: readonly PolygonRings[]): [number, number] {
  let best: PolygonRings | undefined;
  let bestArea = -1;
  for (const polygon of polygons) {
    const area = Math.abs(ringArea(polygon[0] ?? []));
    if (area > bestArea) {
      bestArea = area;
      best = polygon;
    }
  }
  const outer = best?.[0] ?? [];
  let cx = 0;
  let cy = 0;
  let a = 0;
  for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
    const [xi, yi] = outer[i] as [number, number];
    const [xj, yj] = outer[j] as [number, number];
    const f = xj * yi - xi * yj;
    cx += (xi + xj) * f;
    cy += (yi + yj) * f;
    a += f;
  }
  if (a !== 0 && best) {
    const centroid: [number, number] = [cx / (3 * a), cy / (3 * a)];
    if (pointInPolygons([best], centroid[0], centroid[1])) return centroid;
  }
  const box = bboxOf(best ? [best] : []);
  const lat = (box.minLat + box.maxLat) / 2;
  const steps = 200;
  let runStart: number | null = null;
  let widest: [number, number] = [box.minLon, box.maxLon];
  let widestLength = -1;
  for (let k = 0; k <= steps; k++) {
    const lon = box.minLon + ((box.maxLon - box.minLon) * k) / steps;
    const inside = best ? pointInPolygons([best], lon, lat) : false;
    if (inside && runStart === null) runStart = lon;
    if ((!inside || k === steps) && runStart !== null) {
      if (lon - runStart > widestLength) {
        widestLength = lon - runStart;
        widest = [runStart, lon];
      }
      runStart = null;
    }
  }
  return [(widest[0] + widest[1]) / 2, lat];
}

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface Region<T> {
  value: T;
  polygons: PolygonRings[];
  bbox: BBox;
}

/** Regions with a bbox prefilter: `find` tests the polygons only of regions whose box holds the point. */
export class RegionIndex<T> {
  readonly regions: Region<T>[];

  constructor(items: Iterable<{ value: T; geometry: GeoJsonGeometry }>) {
    this.regions = [];
    for (const { value, geometry } of items) {
      const polygons = polygonsOf(geometry);
      if (polygons.length > 0) this.regions.push({ value, polygons, bbox: bboxOf(polygons) });
    }
  }

  find(lon: number, lat: number): T | null {
    for (const region of this.regions) {
      if (inBBox(region.bbox, lon, lat) && pointInPolygons(region.polygons, lon, lat)) return region.value;
    }
    return null;
  }

  /**
   * The region containing the point, else the one whose border is nearest within `maxKm` (simplified
   * coastlines leave harbour towns a few km out at sea), else null.
   */
  findNear(lon: number, lat: number, maxKm: number): T | null {
    const inside = this.find(lon, lat);
    if (inside !== null) return inside;
    const margin = maxKm / 100;
    let best: T | null = null;
    let bestKm = maxKm;
    for (const region of this.regions) {
      const b = region.bbox;
      if (
        lon < b.minLon - margin ||
        lon > b.maxLon + margin ||
        lat < b.minLat - margin ||
        lat > b.maxLat + margin
      )
        continue;
      const km = distanceToBorderKm(region.polygons, lon, lat);
      if (km < bestKm) {
        bestKm = km;
        best = region.value;
      }
    }
    return best;
  }
}

/** Shortest distance from a point to the polygons' rings, in km (equirectangular: fine at these scales). */
export function distanceToBorderKm(polygons: readonly PolygonRings[], lon: number, lat: number): number {
  const kx = 111.32 * Math.cos((lat * Math.PI) / 180);
  const ky = 110.57;
  let best = Infinity;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 1; i < ring.length; i++) {
        const [ax, ay] = ring[i - 1] as [number, number];
        const [bx, by] = ring[i] as [number, number];
        const x1 = (ax - lon) * kx;
        const y1 = (ay - lat) * ky;
        const dx = (bx - ax) * kx;
        const dy = (by - ay) * ky;
        const len = dx * dx + dy * dy;
        const t = len === 0 ? 0 : Math.max(0, Math.min(1, -(x1 * dx + y1 * dy) / len));
        const d = Math.hypot(x1 + t * dx, y1 + t * dy);
        if (d < best) best = d;
      }
    }
  }
  return best;
}
