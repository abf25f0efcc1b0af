import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { aliasKey } from '../resolve/alias-key.ts';
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
  /** Where the polygons came from, for the dashboard's footer and the report's sources. */
  sources: string[];
}

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NAME_KEYS = ['district', 'districts', 'admin2', 'ADM2_EN', 'NAME_2', 'shapeName', 'name', 'NAME'];
const PARENT_KEYS = ['province_territory', 'province', 'admin1', 'ADM1_EN', 'NAME_1'];
const PROVINCE_KEYS = [
  'province_territory',
  'province',
  'admin1',
  'ADM1_EN',
  'NAME_1',
  'shapeName',
  'name',
  'NAME',
];

function pick(properties: Record<string, unknown> | null, keys: readonly string[]): string | null {
  for (const key of keys) {
    const v = properties?.[key];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return null;
}

/** Directories searched for `*-districts.geojson` / `*-provinces.geojson`, first match wins per file name. */
export function boundaryDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = [join(REPO, 'data/gazetteer')];
  if (env.SITREP_BOUNDARIES) dirs.unshift(env.SITREP_BOUNDARIES);
  dirs.push(join(env.SITREP_SHARED_DATA ?? join(REPO, '../shared/data'), 'boundaries'));
  return dirs.filter((d) => existsSync(d));
}

function readCollection(path: string): FeatureCollection {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as FeatureCollection;
  if (parsed.type !== 'FeatureCollection' || !Array.isArray(parsed.features)) {
    throw new Error(`${path}: expected a GeoJSON FeatureCollection`);
  }
  return parsed;
}

function toBoundary(
  feature: Feature,
  nameKeys: readonly string[],
  parentKeys: readonly string[] | null,
): Boundary | null {
  const props = feature.properties as Record<string, unknown> | null;
  const name = pick(props, nameKeys);
  if (!name || !feature.geometry) return null;
  return {
    name,
    parent: parentKeys ? pick(props, parentKeys) : null,
    geometry: roundGeometry(rewindForD3(feature.geometry), 3),
  };
}

let cached: Boundaries | undefined;

/**
 * District and province polygons the project ships (data/gazetteer), else the shared reference copy.
 * Any country's boundaries work: drop `<country>-districts.geojson` and `<country>-provinces.geojson` in.
 */
export function loadBoundaries(dirs: readonly string[] = boundaryDirs()): Boundaries {
  const seen = new Set<string>();
  const out: Boundaries = { districts: [], provinces: [], sources: [] };
  for (const dir of dirs) {
    for (const file of readdirSync(dir).sort()) {
      const kind = /-districts\.geojson$/.test(file)
        ? 'district'
        : /-provinces\.geojson$/.test(file)
          ? 'province'
          : null;
      if (!kind || seen.has(file)) continue;
      seen.add(file);
      const path = join(dir, file);
      for (const f of readCollection(path).features) {
        const b =
          kind === 'district' ? toBoundary(f, NAME_KEYS, PARENT_KEYS) : toBoundary(f, PROVINCE_KEYS, null);
        if (b) (kind === 'district' ? out.districts : out.provinces).push(b);
      }
      out.sources.push(path);
    }
  }
  return out;
}

/** The boundaries from the default places, read once per process. */
export function defaultBoundaries(): Boundaries {
  cached ??= loadBoundaries();
  return cached;
}

/**
 * Maps district names as the data writes them onto polygon names, through the gazetteer's aliases and
 * successor districts (carved out later, they fall inside their parent's polygon) when it ships them.
 */
export function districtMatcher(
  boundaries: Boundaries,
  dirs: readonly string[] = boundaryDirs(),
): (name: string) => string | null {
  const byKey = new Map<string, string>();
  for (const d of boundaries.districts) byKey.set(aliasKey(d.name), d.name);
  for (const dir of dirs) {
    const path = join(dir, 'admin-aliases.json');
    if (!existsSync(path)) continue;
    const data = JSON.parse(readFileSync(path, 'utf8')) as {
      admin2?: { name: string; polygon?: string; aliases?: string[]; successors?: string[] }[];
    };
    for (const entry of data.admin2 ?? []) {
      const polygon = entry.polygon ?? entry.name;
      if (!byKey.has(aliasKey(polygon))) continue;
      const target = byKey.get(aliasKey(polygon))!;
      for (const alias of [entry.name, ...(entry.aliases ?? []), ...(entry.successors ?? [])]) {
        const key = aliasKey(alias);
        if (!byKey.has(key)) byKey.set(key, target);
      }
    }
  }
  return (name) => byKey.get(aliasKey(name)) ?? null;
}
