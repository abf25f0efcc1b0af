import { existsSync, readFileSync } from 'node:fs';
import { aliasKey } from '../../resolve/alias-key.ts';

/** A boundary polygon reduced to what adjacency needs: its name, rings and bounding box. */
export interface Area {
  name: string;
  /** Outer and inner rings as [lon, lat] pairs. */
  rings: [number, number][][];
  bbox: [number, number, number, number];
}

export const DEFAULT_BOUNDARIES = {
  admin2: 'data/gazetteer/pakistan-districts.geojson',
  admin1: 'data/gazetteer/pakistan-provinces.geojson',
} as const;
export const DEFAULT_ADMIN_ALIASES = 'data/gazetteer/admin-aliases.json';

const NAME_PROPERTIES = [
  'districts',
  'district_agency',
  'province_territory',
  'name',
  'NAME_2',
  'NAME_1',
  'shapeName',
];

/** Reads a GeoJSON FeatureCollection of (Multi)Polygons; names come from the first known name property. */
export function loadAreas(path: string): Area[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read boundaries ${path}: ${(error as Error).message}`, { cause: error });
  }
  const features = (parsed as { features?: unknown[] }).features;
  if (!Array.isArray(features)) throw new Error(`${path}: not a GeoJSON FeatureCollection`);
  const areas: Area[] = [];
  features.forEach((feature, i) => {
    const f = feature as {
      properties?: Record<string, unknown>;
      geometry?: { type: string; coordinates: unknown };
    };
    const property = NAME_PROPERTIES.find((p) => typeof f.properties?.[p] === 'string');
    if (!property || !f.geometry) throw new Error(`${path}: feature ${i} has no name or geometry`);
    const polygons =
      f.geometry.type === 'Polygon'
        ? [f.geometry.coordinates as [number, number][][]]
        : f.geometry.type === 'MultiPolygon'
          ? (f.geometry.coordinates as [number, number][][][])
          : [];
    const rings = polygons.flat();
    const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const ring of rings)
      for (const [x, y] of ring) {
        bbox[0] = Math.min(bbox[0], x);
        bbox[1] = Math.min(bbox[1], y);
        bbox[2] = Math.max(bbox[2], x);
        bbox[3] = Math.max(bbox[3], y);
      }
    areas.push({ name: String(f.properties?.[property]), rings, bbox });
  });
  return areas;
}

/**
 * Pairs of areas that touch: bounding boxes that meet (with `tolerance` degrees of slack) refined by a
 * shared vertex within `tolerance`, found through a grid hash of one area's vertices.
 */
export function adjacentAreas(areas: readonly Area[], tolerance = 0.005): Set<string> {
  const pairs = new Set<string>();
  const cell = (x: number) => Math.floor(x / tolerance);
  const grids = areas.map((area) => {
    const grid = new Set<string>();
    for (const ring of area.rings) for (const [x, y] of ring) grid.add(`${cell(x)}:${cell(y)}`);
    return grid;
  });
  for (let i = 0; i < areas.length; i++) {
    for (let j = i + 1; j < areas.length; j++) {
      const a = areas[i]!.bbox;
      const b = areas[j]!.bbox;
      if (
        a[0] > b[2] + tolerance ||
        b[0] > a[2] + tolerance ||
        a[1] > b[3] + tolerance ||
        b[1] > a[3] + tolerance
      )
        continue;
      const grid = grids[i]!;
      let touch = false;
      outer: for (const ring of areas[j]!.rings) {
        for (const [x, y] of ring) {
          const cx = cell(x);
          const cy = cell(y);
          for (let dx = -1; dx <= 1; dx++)
            for (let dy = -1; dy <= 1; dy++)
              if (grid.has(`${cx + dx}:${cy + dy}`)) {
                touch = true;
                break outer;
              }
        }
      }
      if (touch)
        pairs.add(`${areas[i]!.name}\u0000${areas[j]!.name}`).add(`${areas[j]!.name}\u0000${areas[i]!.name}`);
    }
  }
  return pairs;
}

/** Even-odd ray casting over all rings: true when the point lies inside the area. */
export function containsPoint(area: Area, lon: number, lat: number): boolean {
  const [w, s, e, n] = area.bbox;
  if (lon < w || lon > e || lat < s || lat > n) return false;
  let inside = false;
  for (const ring of area.rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Other names of an area (aliases, successor districts) from the gazetteer's admin-aliases.json. */
export function loadAreaAliases(path: string): Map<string, string> {
  const aliases = new Map<string, string>();
  if (!existsSync(path)) return aliases;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as {
    admin1?: { name: string; aliases?: string[]; successors?: string[] }[];
    admin2?: { name: string; polygon?: string; aliases?: string[]; successors?: string[] }[];
  };
  for (const entry of [...(parsed.admin1 ?? []), ...(parsed.admin2 ?? [])]) {
    const polygon = 'polygon' in entry && typeof entry.polygon === 'string' ? entry.polygon : entry.name;
    for (const name of [entry.name, ...(entry.aliases ?? []), ...(entry.successors ?? [])]) {
      const key = aliasKey(name);
      if (key && !aliases.has(key)) aliases.set(key, polygon);
    }
  }
  return aliases;
}

export interface UnitPlace {
  name: string;
  /** Mean position of the unit's events, used when its name matches no area. */
  latitude: number | null;
  longitude: number | null;
}

/**
 * Neighbours of each unit (indices into `units`): units whose areas touch, or that fall in the same
 * area (a district carved out of an older one). A unit is matched to an area by name or alias, then by
 * the position of its events.
 */
export function unitNeighbours(
  units: readonly UnitPlace[],
  areas: readonly Area[],
  aliases: ReadonlyMap<string, string> = new Map(),
): number[][] {
  const byKey = new Map(areas.map((a) => [aliasKey(a.name).replace(/\s+/g, ''), a]));
  const areaOf = units.map((unit) => {
    const key = aliasKey(unit.name);
    const named =
      byKey.get(key.replace(/\s+/g, '')) ?? byKey.get(aliasKey(aliases.get(key) ?? '').replace(/\s+/g, ''));
    if (named) return named.name;
    if (unit.latitude === null || unit.longitude === null) return null;
    return areas.find((a) => containsPoint(a, unit.longitude!, unit.latitude!))?.name ?? null;
  });
  const touching = adjacentAreas(areas.filter((a) => areaOf.includes(a.name)));
  return units.map((_, i) =>
    units.flatMap((__, j) => {
      const a = areaOf[i];
      const b = areaOf[j];
      if (i === j || !a || !b) return [];
      return a === b || touching.has(`${a}\u0000${b}`) ? [j] : [];
    }),
  );
}
