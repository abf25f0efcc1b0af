import { createRoute, z } from '@hono/zod-openapi';
import { resolveFilter } from '../../analyse/filter.ts';
import { type ForecastResult, forecastFromStore, InsufficientDataError } from '../../analyse/forecast/run.ts';
import type { Queryable } from '../../store/contract.ts';
import type { Api, RouteDeps } from '../app.ts';
import { BadRequest, errorResponses, FILTER_QUERY, filterFromQuery, intParam, pickFilter } from '../query.ts';

const Interval = z.tuple([z.number().int(), z.number().int()]);
const Prediction = z.object({
  mean: z.number(),
  alpha: z.number(),
  median: z.number().int(),
  intervals: z.object({ 50: Interval, 80: Interval, 95: Interval }),
});

const ForecastResponse = z
  .object({
    level: z.enum(['admin1', 'admin2']),
    origin: z.string(),
    horizon: z.number().int(),
    units: z.number().int(),
    unitsWithNeighbours: z.number().int(),
    model: z.object({ family: z.string(), features: z.array(z.string()), ridge: z.number() }),
    forecasts: z.array(
      z.object({
        unit: z.string(),
        month: z.string(),
        horizon: z.number().int(),
        events: Prediction,
        fatalities: Prediction,
      }),
    ),
    totals: z
      .array(
        z.object({
          month: z.string(),
          horizon: z.number().int(),
          events: Prediction,
          fatalities: Prediction,
        }),
      )
      .openapi({
        description:
          'per month, all units together: the sum of their means, with the median and intervals of the sum’s own distribution (not the sum of the units’ intervals)',
      }),
  })
  .openapi('Forecast');

const ForecastQuery = z
  .object({
    ...FILTER_QUERY,
    level: z.enum(['admin1', 'admin2']).default('admin2').openapi({ description: 'unit of the forecast' }),
    horizon: intParam(1, 24, 'months ahead (default 6)'),
    until: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM')
      .optional()
      .openapi({ description: 'last observed month (default: the last month with data)' }),
  })
  .strict();

/** Forecasts are retrained only when the events change: keyed by the question and the store's state. */
const cache = new Map<string, ForecastResult>();
const CACHE_LIMIT = 32;

async function storeState(db: Queryable): Promise<string> {
  const [row] = await db.query('SELECT COUNT(*) AS n, CAST(MAX(updated_at) AS TEXT) AS at FROM events');
  return `${row?.n}|${row?.at}`;
}

/**
 * `GET /api/forecast`: expected events and fatalities per unit for the next months with 50/80/95 %
 * intervals (boosted trees over a smoothed level, negative binomial intervals; see docs/forecast.md),
 * and per month the total over the units with its own intervals (`totals`).
 */
export function registerForecastRoutes(app: Api, { store }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/forecast',
      summary: 'Expected events and fatalities per district or province for the next months, with intervals',
      request: { query: ForecastQuery },
      responses: {
        200: { content: { 'application/json': { schema: ForecastResponse } }, description: 'forecasts' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { filter } = await resolveFilter(store, filterFromQuery(pickFilter(query)));
      const key = JSON.stringify([
        query.level,
        query.horizon ?? 6,
        query.until ?? null,
        filter,
        await storeState(store),
      ]);
      let result = cache.get(key);
      if (!result) {
        try {
          result = await forecastFromStore(store, {
            level: query.level,
            horizon: query.horizon ?? 6,
            filter,
            ...(query.until ? { until: query.until } : {}),
          });
        } catch (error) {
          if (error instanceof InsufficientDataError) throw new BadRequest(error.message);
          throw error;
        }
        if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
        cache.set(key, result);
      }
      return c.json(result as z.infer<typeof ForecastResponse>, 200);
    },
  );
}
