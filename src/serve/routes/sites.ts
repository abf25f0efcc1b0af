import { createRoute, z } from '@hono/zod-openapi';
import { exposure } from '../../analyse/exposure.ts';
import { resolveFilter } from '../../analyse/filter.ts';
import type { SiteGeometry } from '../../analyse/geo.ts';
import { addSite, findSite, listSites, NewSite, removeSite } from '../../analyse/sites.ts';
import type { Api, RouteDeps } from '../app.ts';
import {
  BadRequest,
  ErrorBody,
  errorResponses,
  FILTER_QUERY,
  filterFromQuery,
  IsoDate,
  intParam,
  pickFilter,
} from '../query.ts';

const SiteBody = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string().nullable(),
    geometry: z.object({ type: z.string(), coordinates: z.array(z.unknown()) }),
    bbox: z.array(z.number()),
    createdAt: z.string(),
  })
  .openapi('Site');

const ExposureResponse = z
  .object({
    site: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
    radiusKm: z.number(),
    asOf: z.string().nullable(),
    events: z.number(),
    fatalities: z.number(),
    byYear: z.array(z.object({ year: z.number(), events: z.number(), fatalities: z.number() })),
    byActor: z.array(z.object({ actor: z.string(), events: z.number(), fatalities: z.number() })),
    nearestRecent: z.array(z.object({ id: z.string(), date: z.string(), distanceKm: z.number() }).loose()),
    trend: z.object({
      recentEvents: z.number(),
      previousEvents: z.number(),
      changePct: z.number().nullable(),
      band: z.string(),
    }),
    risk: z.object({
      score: z.number(),
      level: z.string(),
      parts: z.array(
        z.object({
          name: z.string(),
          measured: z.number().nullable(),
          unit: z.string(),
          score: z.number(),
          weight: z.number(),
          points: z.number(),
          why: z.string(),
        }),
      ),
    }),
  })
  .loose()
  .openapi('Exposure');

const bearer = [{ bearer: [] as string[] }];

const num = (min: number, max: number, description: string) =>
  z.coerce.number().min(min).max(max).optional().openapi({ description, type: 'number' });

export function registerSiteRoutes(app: Api, { store, requireToken }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/sites',
      summary: 'Sites of interest (points, lines, areas)',
      request: { query: z.object({}).strict() },
      responses: {
        200: {
          content: { 'application/json': { schema: z.object({ sites: z.array(SiteBody) }) } },
          description: 'sites',
        },
        ...errorResponses,
      },
    }),
    async (c) => c.json({ sites: await listSites(store) }, 200),
  );

  app.use('/api/sites', async (c, next) => (c.req.method === 'POST' ? requireToken(c, next) : next()));
  app.use('/api/sites/*', async (c, next) => (c.req.method === 'DELETE' ? requireToken(c, next) : next()));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/sites',
      summary:
        'Add or replace a site: {name, kind, geometry (GeoJSON Point, LineString, Polygon, …)} (needs the token)',
      security: bearer,
      request: { body: { content: { 'application/json': { schema: NewSite } }, required: true } },
      responses: {
        201: { content: { 'application/json': { schema: SiteBody } }, description: 'saved' },
        ...errorResponses,
      },
    }),
    async (c) => c.json(await addSite(store, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/sites/{id}',
      summary: 'Remove a site (needs the token)',
      security: bearer,
      request: { params: z.object({ id: z.string().min(1).max(300) }) },
      responses: {
        200: {
          content: { 'application/json': { schema: z.object({ removed: z.string() }) } },
          description: 'removed',
        },
        404: { content: { 'application/json': { schema: ErrorBody } }, description: 'no such site' },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await removeSite(store, id))) return c.json({ error: `no site ${id}`, details: [] }, 404);
      return c.json({ removed: id }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/exposure',
      summary:
        'Events near a site or point: by year and actor, nearest recent, trend, risk score with its parts',
      request: {
        query: z
          .object({
            ...FILTER_QUERY,
            site: z.string().max(300).optional().openapi({ description: 'site id or name' }),
            lat: num(-90, 90, 'latitude of a point (instead of a site)'),
            lon: num(-180, 180, 'longitude of a point (instead of a site)'),
            radius_km: num(0, 2000, 'default 50'),
            as_of: IsoDate.optional().openapi({
              description: 'day "recent" counts back from (default: end of data)',
            }),
            recent_months: intParam(1, 120, 'default 12'),
          })
          .strict(),
      },
      responses: {
        200: { content: { 'application/json': { schema: ExposureResponse } }, description: 'exposure' },
        404: { content: { 'application/json': { schema: ErrorBody } }, description: 'no such site' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      let geometry: SiteGeometry;
      let site: { id: string | null; name: string | null } = { id: null, name: null };
      if (q.site !== undefined) {
        const found = await findSite(store, q.site);
        if (!found)
          return c.json(
            { error: `no site ${q.site}`, details: [{ path: 'site', message: 'unknown site' }] },
            404,
          );
        geometry = found.geometry;
        site = { id: found.id, name: found.name };
      } else if (q.lat !== undefined && q.lon !== undefined) {
        geometry = { type: 'Point', coordinates: [q.lon, q.lat] };
      } else {
        throw new BadRequest('give a site, or lat and lon', [
          { path: 'site', message: 'required unless lat and lon are given' },
        ]);
      }
      const { filter } = await resolveFilter(store, filterFromQuery(pickFilter(q)));
      const result = await exposure(store, {
        geometry,
        filter,
        ...(q.radius_km !== undefined ? { radiusKm: q.radius_km } : {}),
        ...(q.as_of ? { asOf: q.as_of } : {}),
        ...(q.recent_months ? { recentMonths: q.recent_months } : {}),
      });
      return c.json({ site, ...result }, 200);
    },
  );
}
