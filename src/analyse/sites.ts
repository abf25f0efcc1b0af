import { createHash } from 'node:crypto';
import { type ZodError, z } from 'zod';
import { aliasKey } from '../resolve/alias-key.ts';
import type { Queryable } from '../store/contract.ts';
import { isoUtc } from '../store/timestamps.ts';
import { geometryBbox, SiteGeometry } from './geo.ts';

export const SITE_KINDS = [
  'mine',
  'port',
  'rail',
  'road',
  'pipeline',
  'airport',
  'base',
  'city',
  'border',
  'other',
] as const;

export const NewSite = z
  .object({
    name: z.string().trim().min(1).max(200),
    kind: z.string().trim().min(1).max(50).nullable().default(null),
    geometry: SiteGeometry,
  })
  .strict();
export type NewSite = z.infer<typeof NewSite>;

export interface Site extends NewSite {
  id: string;
  bbox: [number, number, number, number];
  createdAt: string;
}

/**
 * `Reko Diq mine` → `reko-diq-mine`. A name with no letters or digits (`!!!`) gets an id from its hash:
 * one shared id made each such site replace the last.
 */
export function siteId(name: string): string {
  return (
    aliasKey(name).replaceAll(' ', '-') ||
    `site-${createHash('sha256').update(name.trim()).digest('hex').slice(0, 8)}`
  );
}

/** Zod issues as one line a person reads: `feature 2: geometry.coordinates: Too small: …`. */
export function describeSiteIssues(error: ZodError, where = ''): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.join('.');
      return `${where}${path ? `${path}: ` : ''}${issue.message}`;
    })
    .join('; ');
}

/** A site as written, checked; the error says which field is wrong, in words. */
export function parseNewSite(value: unknown, where = ''): NewSite {
  const parsed = NewSite.safeParse(value);
  if (!parsed.success) throw new Error(describeSiteIssues(parsed.error, where), { cause: parsed.error });
  return parsed.data;
}

/**
 * Adds a site, or replaces the one with the same name.
 *
 * @example await addSite(store, { name: 'Reko Diq', kind: 'mine', geometry: { type: 'Point', coordinates: [62.2, 29.0] } })
 */
export async function addSite(
  store: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  site: NewSite,
  now: Date = new Date(),
): Promise<Site> {
  const id = siteId(site.name);
  const bbox = geometryBbox(site.geometry);
  await store.transaction(async (tx) => {
    await tx.query('DELETE FROM sites WHERE id = $1 OR name = $2', [id, site.name]);
    await tx.query(
      `INSERT INTO sites (id, name, kind, geometry, min_lon, min_lat, max_lon, max_lat, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CAST($9 AS TIMESTAMP))`,
      [id, site.name, site.kind, JSON.stringify(site.geometry), ...bbox, now.toISOString()],
    );
  });
  return { ...site, id, bbox, createdAt: now.toISOString() };
}

interface SiteRow {
  id: string;
  name: string;
  kind: string | null;
  geometry: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  created_at: string;
  [key: string]: string | number | boolean | null;
}

function siteFromRow(row: SiteRow): Site {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    geometry: SiteGeometry.parse(JSON.parse(row.geometry)),
    bbox: [row.min_lon, row.min_lat, row.max_lon, row.max_lat],
    createdAt: isoUtc(row.created_at),
  };
}

const SITE_COLUMNS =
  'id, name, kind, geometry, min_lon, min_lat, max_lon, max_lat, CAST(created_at AS TEXT) AS created_at';

export async function listSites(db: Queryable): Promise<Site[]> {
  return (await db.query<SiteRow>(`SELECT ${SITE_COLUMNS} FROM sites ORDER BY name`)).map(siteFromRow);
}

/** A site by id or by name (ignoring case and punctuation). */
export async function findSite(db: Queryable, idOrName: string): Promise<Site | null> {
  const rows = await db.query<SiteRow>(
    `SELECT ${SITE_COLUMNS} FROM sites WHERE id = $1 OR id = $2 OR name = $3`,
    [idOrName, siteId(idOrName), idOrName],
  );
  return rows[0] ? siteFromRow(rows[0]) : null;
}

export async function removeSite(
  store: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  idOrName: string,
): Promise<boolean> {
  return store.transaction(async (tx) => {
    const rows = await tx.query('SELECT id FROM sites WHERE id = $1 OR name = $2', [
      siteId(idOrName),
      idOrName,
    ]);
    await tx.query('DELETE FROM sites WHERE id = $1 OR name = $2', [siteId(idOrName), idOrName]);
    return rows.length > 0;
  });
}

/**
 * Sites from a GeoJSON FeatureCollection, Feature or bare geometry; each feature's `name` (or `title`)
 * property names it, `kind` its kind.
 */
export function sitesFromGeoJson(value: unknown, fallbackName: string, kind: string | null): NewSite[] {
  const parsedDoc = z
    .union([
      z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()).max(10_000) }),
      z.object({ type: z.literal('Feature') }).passthrough(),
      z.object({ type: z.string() }).passthrough(),
    ])
    .safeParse(value);
  if (!parsedDoc.success) {
    throw new Error(
      'not GeoJSON: expected a geometry, a Feature or a FeatureCollection (an object with "type")',
      { cause: parsedDoc.error },
    );
  }
  const doc = parsedDoc.data;
  const features = doc.type === 'FeatureCollection' ? (doc as { features: unknown[] }).features : [doc];
  return features.map((feature, i) => {
    const where = doc.type === 'FeatureCollection' ? `feature ${i + 1}: ` : '';
    const f = z
      .object({
        geometry: z.unknown().optional(),
        properties: z.record(z.string(), z.unknown()).nullable().optional(),
      })
      .passthrough()
      .safeParse(feature);
    if (!f.success) throw new Error(describeSiteIssues(f.error, where), { cause: f.error });
    const isFeature = (feature as { type?: string }).type === 'Feature';
    const props = f.data.properties ?? {};
    const name =
      typeof props.name === 'string' ? props.name : typeof props.title === 'string' ? props.title : null;
    // a bare geometry's fields are the site's geometry's: name them as the file does (coordinates.0)
    const site = {
      name: name ?? (features.length > 1 ? `${fallbackName} ${i + 1}` : fallbackName),
      kind: typeof props.kind === 'string' ? props.kind : kind,
      geometry: isFeature ? f.data.geometry : feature,
    };
    const parsed = NewSite.safeParse(site);
    if (parsed.success) return parsed.data;
    if (isFeature) throw new Error(describeSiteIssues(parsed.error, where), { cause: parsed.error });
    const geometryOnly = SiteGeometry.safeParse(feature);
    throw new Error(describeSiteIssues(geometryOnly.success ? parsed.error : geometryOnly.error, where), {
      cause: parsed.error,
    });
  });
}
