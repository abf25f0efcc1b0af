import { createRoute, z } from '@hono/zod-openapi';
import { ExposureAnswer, exposureAnswer } from '../../analyse/exposure-answer.ts';
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

// The analysis's own schema, named for the OpenAPI document (the openapi() extension lives on this zod's objects).
const ExposureResponse = z.object(ExposureAnswer.shape).openapi('Exposure');

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
              description:
                'day "recent" counts back from (default: the filter\'s `to`, else the latest report, news text included)',
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
      const answer = await exposureAnswer(store, {
        site,
        geometry,
        filter,
        ...(q.radius_km !== undefined ? { radiusKm: q.radius_km } : {}),
        ...(q.as_of ? { asOf: q.as_of } : {}),
        ...(q.recent_months ? { recentMonths: q.recent_months } : {}),
      });
      return c.json(answer, 200);
    },
  );
}
