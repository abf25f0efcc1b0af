import { createRoute, z } from '@hono/zod-openapi';
import type { JSONValue } from 'hono/utils/types';
import { resolveFilter } from '../../analyse/filter.ts';
import { anyTollStated } from '../../analyse/tolls.ts';
import { type EventRecord, STAT_FIELDS } from '../../schema/index.ts';
import type { Api, RouteDeps } from '../app.ts';
import {
  BadRequest,
  ErrorBody,
  errorResponses,
  FILTER_QUERY,
  filterFromQuery,
  intParam,
  pickFilter,
} from '../query.ts';
import { unknownActorWarnings } from './unknown-actors.ts';

const Count = z.object({
  low: z.number().nullable(),
  best: z.number().nullable(),
  high: z.number().nullable(),
});

/** The event as the API returns it (EventRecord; `raw` only when asked for). */
export const EventBody = z
  .object({
    id: z.string(),
    source: z.string(),
    sourceId: z.string(),
    eventDate: z.string(),
    eventType: z.string().nullable(),
    subEventType: z.string().nullable(),
    actor1: z.string().nullable(),
    actor2: z.string().nullable(),
    actor1Id: z.string().nullable(),
    actor2Id: z.string().nullable(),
    admin1: z.string().nullable(),
    admin2: z.string().nullable(),
    location: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    fatalities: Count,
    notes: z.string().nullable(),
  })
  .loose()
  .openapi('Event');

const EventsPage = z
  .object({ events: z.array(EventBody), nextCursor: z.string().nullable() })
  .openapi('EventsPage');

const GeoJsonPage = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string(),
        geometry: z.object({ type: z.literal('Point'), coordinates: z.array(z.number()) }).nullable(),
        properties: z.record(z.string(), z.unknown()),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('EventsGeoJson');

const UpdatedSince = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?)?$/,
    'expected an ISO date or timestamp (UTC)',
  )
  .refine((s) => !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s)), 'not a real date/time');

const EventsQuery = z
  .object({
    ...FILTER_QUERY,
    limit: intParam(1, 5000, 'events per page (default 100)'),
    cursor: z.string().max(500).optional().openapi({ description: 'nextCursor of the previous page' }),
    updated_since: UpdatedSince.optional().openapi({
      description: 'only events stored or changed since then (UTC)',
    }),
    format: z
      .enum(['json', 'geojson'])
      .optional()
      .openapi({ description: 'geojson: a FeatureCollection of points' }),
    include_raw: z
      .enum(['true', 'false'])
      .optional()
      .openapi({ description: 'include the source row as read' }),
  })
  .strict();

function withoutRaw(event: EventRecord): Omit<EventRecord, 'raw'> & { raw?: EventRecord['raw'] } {
  const { raw: _raw, ...rest } = event;
  return rest;
}

function feature(event: ReturnType<typeof withoutRaw>) {
  const { latitude, longitude, id, ...rest } = event;
  // Event fields are JSON values already (the raw source row is parsed JSON).
  const properties = { id, ...rest } as unknown as Record<string, JSONValue>;
  return {
    type: 'Feature' as const,
    id,
    geometry:
      latitude === null || longitude === null
        ? null
        : { type: 'Point' as const, coordinates: [longitude, latitude] },
    properties,
  };
}

const StatsQuery = z
  .object({
    ...FILTER_QUERY,
    by: z
      .string()
      .max(200)
      .optional()
      .openapi({ description: `comma-separated: ${STAT_FIELDS.join(', ')} (none: totals)` }),
  })
  .strict();

const StatsResponse = z
  .object({
    by: z.array(z.enum(STAT_FIELDS)),
    rows: z.array(
      z.object({
        keys: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
        events: z.number().int(),
        fatalities: z.number().int(),
      }),
    ),
    tollUnknown: z.boolean().optional().openapi({
      description:
        'with no `by`: true when no matching event states its toll, so `fatalities` 0 means unknown, not none',
    }),
  })
  .openapi('Stats');

export function registerEventRoutes(app: Api, { store }: RouteDeps): void {
  // before every question route (events, stats and those registered after these): see unknown-actors.ts
  app.use('/api/*', unknownActorWarnings(store));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events',
      summary: 'Events matching the filters, newest first, paged by cursor; JSON or GeoJSON',
      request: { query: EventsQuery },
      responses: {
        200: {
          content: {
            'application/json': { schema: EventsPage },
            'application/geo+json': { schema: GeoJsonPage },
          },
          description: 'one page of events',
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { filter } = await resolveFilter(store, filterFromQuery(pickFilter(q)));
      const page = await store.events(filter, {
        limit: q.limit ?? 100,
        after: q.cursor ?? null,
        ...(q.updated_since ? { updatedSince: q.updated_since } : {}),
      });
      const events = page.events.map((e) => (q.include_raw === 'true' ? e : withoutRaw(e)));
      if (q.format === 'geojson') {
        return c.json(
          { type: 'FeatureCollection' as const, features: events.map(feature), nextCursor: page.nextCursor },
          200,
          { 'content-type': 'application/geo+json' },
        );
      }
      // `raw` holds parsed JSON, which the response type cannot see through.
      return c.json(
        { events: events as unknown as z.infer<typeof EventsPage>['events'], nextCursor: page.nextCursor },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}',
      summary: 'One event by id',
      request: {
        params: z.object({
          id: z
            .string()
            .min(1)
            .max(300)
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
        query: z.object({}).strict(),
      },
      responses: {
        200: { content: { 'application/json': { schema: EventBody } }, description: 'the event' },
        404: { content: { 'application/json': { schema: ErrorBody } }, description: 'no such event' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const event = await store.eventById(id);
      if (!event) return c.json({ error: `no event with id ${id}`, details: [] }, 404);
      return c.json(event, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/stats',
      summary: 'Events and fatalities grouped by fields',
      request: { query: StatsQuery },
      responses: {
        200: { content: { 'application/json': { schema: StatsResponse } }, description: 'counts' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const by = (q.by ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = by.filter((f) => !(STAT_FIELDS as readonly string[]).includes(f));
      if (bad.length || by.length > 4) {
        throw new BadRequest('invalid by', [
          { path: 'by', message: bad.length ? `unknown field(s): ${bad.join(', ')}` : 'at most 4 fields' },
        ]);
      }
      const fields = by as (typeof STAT_FIELDS)[number][];
      const { filter } = await resolveFilter(store, filterFromQuery(pickFilter(q)));
      const rows = await store.stats(fields, filter);
      const total = fields.length === 0 ? rows[0] : undefined;
      // Only a zero toll over some events needs the question (a positive sum already states one).
      if (total && total.events > 0 && total.fatalities === 0)
        return c.json({ by: fields, rows, tollUnknown: !(await anyTollStated(store, filter)) }, 200);
      return c.json({ by: fields, rows, ...(total ? { tollUnknown: false } : {}) }, 200);
    },
  );
}
