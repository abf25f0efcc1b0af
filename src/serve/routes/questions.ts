import { createRoute, z } from '@hono/zod-openapi';
import { CoverageSchema } from '../../analyse/coverage.ts';
import { resolveFilter } from '../../analyse/filter.ts';
import { network } from '../../analyse/network.ts';
import { PERIODS } from '../../analyse/periods.ts';
import { spread } from '../../analyse/spread.ts';
import { TREND_BANDS, TREND_DIMENSIONS, trend } from '../../analyse/trend.ts';
import type { Api, RouteDeps } from '../app.ts';
import { errorResponses, FILTER_QUERY, filterFromQuery, intParam, pickFilter } from '../query.ts';

const Coverage = CoverageSchema;

const TrendResponse = z
  .object({
    by: z.enum(TREND_DIMENSIONS),
    period: z.enum(PERIODS),
    baselinePeriods: z.number().int(),
    periods: z.array(z.string()),
    coverage: Coverage,
    outsideCoverage: z
      .object({
        events: z.number(),
        fatalities: z.number(),
        first: z.string().nullable(),
        last: z.string().nullable(),
      })
      .openapi({
        description:
          "events matched that lie in no period: read from news text, dated outside the data sets' coverage",
      }),
    series: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        events: z.number(),
        fatalities: z.number(),
        points: z.array(
          z.object({
            period: z.string(),
            events: z.number(),
            fatalities: z.number(),
            changePrevPct: z.number().nullable(),
            baselineMean: z.number().nullable(),
            changeMeanPct: z.number().nullable(),
            band: z.enum(TREND_BANDS).nullable(),
            partial: z.boolean(),
          }),
        ),
      }),
    ),
  })
  .loose()
  .openapi('Trend');

const SpreadEvent = z.object({
  id: z.string(),
  date: z.string(),
  admin1: z.string().nullable(),
  admin2: z.string().nullable(),
  location: z.string().nullable(),
  actor: z.string().nullable(),
  eventType: z.string().nullable(),
  fatalities: z.number(),
  fatalitiesKnown: z.boolean().openapi({ description: 'false: the source states no toll (fatalities 0)' }),
});

const SpreadResponse = z
  .object({
    window: z.object({ from: z.string(), to: z.string() }),
    baseline: z.object({ from: z.string(), to: z.string(), months: z.number() }),
    coverage: Coverage,
    newDistricts: z.array(
      z.object({
        admin1: z.string().nullable(),
        admin2: z.string(),
        windowEvents: z.number(),
        windowFatalities: z.number(),
        windowEventsWithToll: z
          .number()
          .openapi({ description: 'window events whose toll is stated; 0: windowFatalities is unknown' }),
        baselineEvents: z.number(),
        firstEvent: z
          .object({
            id: z.string(),
            date: z.string(),
            location: z.string().nullable(),
            actor: z.string().nullable(),
            eventType: z.string().nullable(),
          })
          .nullable(),
      }),
    ),
    newProvinces: z.array(z.object({ admin1: z.string(), windowEvents: z.number(), firstDate: z.string() })),
    districtsInWindow: z.number(),
    districtsInBaseline: z.number(),
    districtsKnown: z.number(),
    diffusionIndex: z.number(),
    diffusionBaseline: z.number(),
    home: z.object({
      admin1: z.array(z.string()),
      basis: z.enum(['given', 'group', 'busiest province', 'none']),
    }),
    outsideHome: z.object({
      events: z.number(),
      fatalities: z.number(),
      eventsWithToll: z
        .number()
        .openapi({ description: 'events whose toll is stated; 0: fatalities is unknown' }),
      byAdmin1: z.array(z.object({ admin1: z.string(), events: z.number() })),
      latest: z.array(SpreadEvent),
    }),
    caveats: z.array(z.string()),
  })
  .openapi('Spread');

const NetworkResponse = z
  .object({
    nodes: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        events: z.number(),
        fatalities: z.number(),
        asPrimary: z.number(),
        first: z.string(),
        last: z.string(),
      }),
    ),
    edges: z.array(
      z.object({
        source: z.string(),
        target: z.string(),
        kind: z.enum(['opposed', 'allied']),
        events: z.number(),
        fatalities: z.number(),
        first: z.string(),
        last: z.string(),
        evidence: z.array(z.string()),
      }),
    ),
    relations: z.array(
      z.object({
        kind: z.string(),
        source: z.string().openapi({ description: 'canonical actor id (the name when no actor is known)' }),
        target: z.string(),
        sourceName: z.string().optional().openapi({ description: 'the source actor as the text wrote it' }),
        targetName: z.string().optional(),
        date: z.string().nullable(),
        evidence: z.string().nullable(),
        origin: z.string().nullable(),
      }),
    ),
  })
  .openapi('Network');

export function registerQuestionRoutes(app: Api, { store }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/trend',
      summary: 'Events and fatalities per group per period, with change and Trendfinder-style bands',
      request: {
        query: z
          .object({
            ...FILTER_QUERY,
            by: z.enum(TREND_DIMENSIONS).optional().openapi({ description: 'grouping (default actor)' }),
            period: z.enum(PERIODS).optional().openapi({ description: 'default year' }),
            baseline: intParam(
              1,
              24,
              'N for the change against the mean of the previous N periods (default 3)',
            ),
            limit: intParam(1, 500, 'series with most events to keep (default 20)'),
          })
          .strict(),
      },
      responses: {
        200: { content: { 'application/json': { schema: TrendResponse } }, description: 'trend' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { filter } = await resolveFilter(store, filterFromQuery(pickFilter(q)));
      const result = await trend(store, {
        by: q.by ?? 'actor',
        period: q.period ?? 'year',
        filter,
        ...(q.baseline ? { baselinePeriods: q.baseline } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/spread',
      summary:
        'Districts and provinces newly hit in a window against a baseline; diffusion; events outside home',
      request: {
        query: z
          .object({
            ...FILTER_QUERY,
            baseline_months: intParam(1, 240, 'months before `from` that count as the baseline (default 24)'),
            home: z
              .union([z.string().max(400), z.array(z.string().max(200)).max(20)])
              .optional()
              .openapi({
                description: "the actor's home province(s); default: its group's, else its busiest",
              }),
          })
          .strict(),
      },
      responses: {
        200: { content: { 'application/json': { schema: SpreadResponse } }, description: 'spread' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { filter, groups } = await resolveFilter(store, filterFromQuery(pickFilter(q)));
      const given =
        q.home === undefined
          ? []
          : (Array.isArray(q.home) ? q.home : q.home.split(',')).map((s) => s.trim()).filter(Boolean);
      const groupHome = groups.flatMap((g) => g.homeAdmin1);
      const result = await spread(store, {
        filter,
        ...(q.baseline_months ? { baselineMonths: q.baseline_months } : {}),
        ...(given.length
          ? { home: { admin1: given, basis: 'given' as const } }
          : groupHome.length
            ? { home: { admin1: [...new Set(groupHome)], basis: 'group' as const } }
            : {}),
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/network',
      summary: 'Actors as nodes, shared events as dated edges with evidence, and dated relations',
      request: {
        query: z
          .object({
            ...FILTER_QUERY,
            limit: intParam(1, 500, 'most active actors to keep (default 50)'),
            min_events: intParam(1, 100_000, 'drop edges seen in fewer events (default 1)'),
          })
          .strict(),
      },
      responses: {
        200: { content: { 'application/json': { schema: NetworkResponse } }, description: 'network' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { filter } = await resolveFilter(store, filterFromQuery(pickFilter(q)));
      const result = await network(store, {
        filter,
        ...(q.limit ? { limit: q.limit } : {}),
        ...(q.min_events ? { minEvents: q.min_events } : {}),
      });
      return c.json(result, 200);
    },
  );
}
