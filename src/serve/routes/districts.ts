import { createRoute, z } from '@hono/zod-openapi';
import { resolveFilter } from '../../analyse/filter.ts';
import { type BoundaryFeature, readAdminAliases, readBoundaries } from '../../extract/places/data-files.ts';
import { aliasKey } from '../../resolve/alias-key.ts';
import type { EventFilter } from '../../schema/index.ts';
import type { Queryable } from '../../store/contract.ts';
import { filterSql, Params } from '../../store/filter-sql.ts';
import { placeMonthsWhere } from '../../store/place-months.ts';
import type { Api, RouteDeps } from '../app.ts';
import { errorResponses, FILTER_QUERY, filterFromQuery, pickFilter } from '../query.ts';

const DistrictsResponse = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string(),
        geometry: z.object({ type: z.string(), coordinates: z.unknown() }).nullable(),
        properties: z.object({
          name: z.string(),
          admin1: z.string().nullable(),
          events: z.number().int(),
          fatalities: z.number().int(),
          /** District names in the events counted under this polygon (new districts fall in their parent's). */
          names: z.array(z.string()),
        }),
      }),
    ),
    /** admin2 names in the events that no polygon matches, with their counts. */
    unmatched: z.array(
      z.object({
        admin2: z.string(),
        admin1: z.string().nullable(),
        events: z.number(),
        fatalities: z.number(),
      }),
    ),
    maxEvents: z.number().int(),
  })
  .openapi('Districts');
export type DistrictsResponse = z.infer<typeof DistrictsResponse>;

interface Polygons {
  features: BoundaryFeature[];
  /** aliasKey(admin1 + admin2) and aliasKey(admin2) → polygon name. */
  byKey: Map<string, string>;
}

let polygons: Polygons | null | undefined;

/** District polygons from data/gazetteer with the alias table that maps event district names onto them. */
function loadPolygons(): Polygons | null {
  if (polygons !== undefined) return polygons;
  try {
    const features = readBoundaries('pakistan-districts.geojson');
    const byKey = new Map<string, string>();
    for (const f of features) {
      const name = String(f.properties.districts ?? f.properties.name ?? '');
      if (name) byKey.set(aliasKey(name), name);
    }
    for (const entry of readAdminAliases().admin2) {
      for (const name of [entry.name, ...entry.aliases, ...(entry.successors ?? [])]) {
        byKey.set(aliasKey(`${entry.admin1} ${name}`), entry.polygon);
        if (!byKey.has(aliasKey(name))) byKey.set(aliasKey(name), entry.polygon);
      }
    }
    polygons = { features, byKey };
  } catch {
    polygons = null;
  }
  return polygons;
}

/** Events and fatalities per district polygon, as GeoJSON ready to shade; counts grouped in SQL. */
export async function districtChoropleth(db: Queryable, filter: EventFilter): Promise<DistrictsResponse> {
  const params = new Params();
  // Places, types, sources and whole months are summed from place_months (store/place-months.ts).
  const monthly = placeMonthsWhere(filter, params);
  const rows = await db.query<{ admin1: string | null; admin2: string; events: number; fatalities: number }>(
    monthly
      ? `SELECT m.admin1, m.admin2, SUM(m.events) AS events, COALESCE(SUM(m.fatalities), 0) AS fatalities
         FROM place_months m WHERE ${monthly} AND m.admin2 IS NOT NULL GROUP BY m.admin1, m.admin2`
      : `SELECT e.admin1, e.admin2, COUNT(*) AS events, COALESCE(SUM(e.fatalities_best), 0) AS fatalities
         FROM events e WHERE ${filterSql(filter, params)} AND e.admin2 IS NOT NULL GROUP BY e.admin1, e.admin2`,
    params.values,
  );
  const loaded = loadPolygons();
  const counts = new Map<string, { events: number; fatalities: number; names: string[] }>();
  const unmatched: DistrictsResponse['unmatched'] = [];
  for (const r of rows) {
    const polygon =
      loaded?.byKey.get(aliasKey(`${r.admin1 ?? ''} ${r.admin2}`)) ??
      loaded?.byKey.get(aliasKey(r.admin2)) ??
      null;
    const events = Number(r.events);
    const fatalities = Number(r.fatalities);
    if (!polygon) {
      unmatched.push({ admin2: r.admin2, admin1: r.admin1, events, fatalities });
      continue;
    }
    const c = counts.get(polygon) ?? { events: 0, fatalities: 0, names: [] };
    c.events += events;
    c.fatalities += fatalities;
    c.names.push(r.admin2);
    counts.set(polygon, c);
  }
  const features = (loaded?.features ?? []).map((f) => {
    const name = String(f.properties.districts ?? f.properties.name ?? '');
    const c = counts.get(name) ?? { events: 0, fatalities: 0, names: [] };
    return {
      type: 'Feature' as const,
      id: name,
      geometry: f.geometry as { type: string; coordinates: unknown },
      properties: {
        name,
        admin1: typeof f.properties.province_territory === 'string' ? f.properties.province_territory : null,
        events: c.events,
        fatalities: c.fatalities,
        names: c.names.sort(),
      },
    };
  });
  return {
    type: 'FeatureCollection',
    features,
    // Ties by name: the rows come in the engine's hash order, which differs between runs.
    unmatched: unmatched.sort((a, b) => b.events - a.events || a.admin2.localeCompare(b.admin2)),
    maxEvents: Math.max(0, ...features.map((f) => f.properties.events)),
  };
}

export function registerDistrictRoutes(app: Api, { store }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/districts',
      summary: 'District polygons (GeoJSON) with events and fatalities per district, for a choropleth',
      request: { query: z.object(FILTER_QUERY).strict() },
      responses: {
        200: { content: { 'application/json': { schema: DistrictsResponse } }, description: 'districts' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { filter } = await resolveFilter(store, filterFromQuery(pickFilter(c.req.valid('query'))));
      return c.json(await districtChoropleth(store, filter), 200);
    },
  );
}
