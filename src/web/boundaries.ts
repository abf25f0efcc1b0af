import type { Geometry } from 'geojson';
import { type BoundaryFeature, readBoundaries } from '../extract/places/data-files.ts';
import { rewindForD3, roundGeometry } from './svg/geo.ts';

/** A named polygon: a district (parent = its province) or a province (parent = null). */
export interface Boundary {
  name: string;
  parent: string | null;
  geometry: Geometry;
}

export interface Boundaries {
  districts: Boundary[];
  provinces: Boundary[];
}

const NAME_KEYS = ['districts', 'district', 'admin2', 'name'];
const PROVINCE_KEYS = ['province_territory', 'province', 'admin1', 'name'];

function pick(properties: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const v = properties[key];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return null;
}

/** Polygons ready for d3-geo: named, wound the way d3 expects, rounded to ~100 m so they ship small. */
export function toBoundaries(
  features: readonly BoundaryFeature[],
  nameKeys: readonly string[],
  parentKeys: readonly string[] | null,
): Boundary[] {
  const out: Boundary[] = [];
  for (const f of features) {
    const name = pick(f.properties, nameKeys);
    if (!name) continue;
    out.push({
      name,
      parent: parentKeys ? pick(f.properties, parentKeys) : null,
      geometry: roundGeometry(rewindForD3(f.geometry as Geometry), 3),
    });
  }
  return out;
}

let cached: Boundaries | undefined;

/** District and province polygons the project ships in data/gazetteer (no tiles, no network), read once. */
export function defaultBoundaries(): Boundaries {
  cached ??= {
    districts: toBoundaries(readBoundaries('pakistan-districts.geojson'), NAME_KEYS, PROVINCE_KEYS),
    provinces: toBoundaries(readBoundaries('pakistan-provinces.geojson'), PROVINCE_KEYS, null),
  };
  return cached;
}
