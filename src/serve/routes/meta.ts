import { createRoute, z } from '@hono/zod-openapi';
import { listActorGroups } from '../../analyse/actor-groups.ts';
import { memoised } from '../../analyse/memo.ts';
import { TIME_PRECISIONS, type TimePrecision } from '../../schema/event.ts';
import type { Queryable } from '../../store/contract.ts';
import { isoUtc } from '../../store/timestamps.ts';
import type { Api, RouteDeps } from '../app.ts';

const Named = z.object({ name: z.string(), events: z.number().int() });

export const MetaResponse = z
  .object({
    events: z.number().int(),
    fatalities: z.number().int(),
    firstDate: z.string().nullable(),
    lastDate: z.string().nullable(),
    /**
     * How precisely the first and last dates are known: the finest precision of the events on that day
     * (an event "in March 2013" is stored as 2013-03-01 at month precision), so a range reads "Mar 2013 – 2016".
     */
    firstDatePrecision: z.enum(TIME_PRECISIONS).nullable(),
    lastDatePrecision: z.enum(TIME_PRECISIONS).nullable(),
    lastUpdated: z
      .string()
      .nullable()
      .openapi({ description: 'newest event write, ISO 8601 UTC (e.g. 2026-11-27T03:42:16.354Z)' }),
    sources: z.array(Named),
    admin1: z.array(Named),
    admin2: z.array(Named.extend({ admin1: z.string().nullable() })),
    eventTypes: z.array(Named.extend({ subEventTypes: z.array(Named) })),
    actors: z.array(z.object({ id: z.string(), name: z.string(), events: z.number().int() })),
    groups: z.array(z.object({ name: z.string(), members: z.array(z.string()), builtin: z.boolean() })),
    years: z.array(z.number().int()),
  })
  .openapi('Meta');
export type MetaResponse = z.infer<typeof MetaResponse>;

/**
 * Names joined into meta's actor list come from `actors`, a small table: its state (a digest of ids and
 * names, ≈1 ms) joins the events' version in the cache key, so a renamed actor is not served stale.
 */
const ACTORS_STATE_SQL = `SELECT COUNT(*) AS n, md5(COALESCE(string_agg(id || ':' || name, '|' ORDER BY id), '')) AS h
  FROM actors`;

/**
 * Everything a filter UI needs to offer choices: date range, places, types, actors, groups. The seven
 * scans of the events are remembered until the events (or the actors' names) change; the groups, a small
 * table, are read every time.
 */
export async function meta(db: Queryable): Promise<MetaResponse> {
  const [[actorsState], groups] = await Promise.all([
    db.query<{ n: number; h: string }>(ACTORS_STATE_SQL),
    listActorGroups(db),
  ]);
  const overview = await memoised(db, `meta:${actorsState?.n}:${actorsState?.h}`, () => eventsOverview(db));
  return {
    ...overview,
    groups: groups.map((g) => ({ name: g.name, members: g.members, builtin: g.builtin })),
  };
}

/** The finest precision among the events on the first (MIN) or last (MAX) day: a stored day may stand for a month. */
function precisionOn(end: 'MIN' | 'MAX'): string {
  const precision = "COALESCE(time_precision, 'day')";
  return `(SELECT ${precision} FROM events WHERE event_date = (SELECT ${end}(event_date) FROM events)
     ORDER BY CASE ${precision} WHEN 'day' THEN 0 WHEN 'week' THEN 1 WHEN 'month' THEN 2 ELSE 3 END LIMIT 1)`;
}

/** Meta's figures drawn from the events (with actor names): seven scans of the whole table. */
async function eventsOverview(db: Queryable): Promise<Omit<MetaResponse, 'groups'>> {
  const grouped = (column: string) =>
    db.query<{ name: string; events: number }>(
      `SELECT ${column} AS name, COUNT(*) AS events FROM events WHERE ${column} IS NOT NULL GROUP BY ${column} ORDER BY 2 DESC, 1`,
    );
  // Independent scans: issued together, they run side by side on the store's connections.
  const [[totals], [precisions], sources, admin1, admin2, types, actors, years] = await Promise.all([
    db.query<{ n: number; f: number; first: string | null; last: string | null; updated: string | null }>(
      `SELECT COUNT(*) AS n, COALESCE(SUM(fatalities_best), 0) AS f, MIN(event_date) AS first, MAX(event_date) AS last,
              CAST(MAX(updated_at) AS TEXT) AS updated FROM events`,
    ),
    db.query<{ first: TimePrecision | null; last: TimePrecision | null }>(
      `SELECT ${precisionOn('MIN')} AS first, ${precisionOn('MAX')} AS last`,
    ),
    grouped('source'),
    grouped('admin1'),
    db.query<{ name: string; admin1: string | null; events: number }>(
      `SELECT admin2 AS name, MIN(admin1) AS admin1, COUNT(*) AS events FROM events WHERE admin2 IS NOT NULL
       GROUP BY admin2 ORDER BY 3 DESC, 1`,
    ),
    db.query<{ t: string; s: string | null; events: number }>(
      `SELECT event_type AS t, sub_event_type AS s, COUNT(*) AS events FROM events WHERE event_type IS NOT NULL
       GROUP BY event_type, sub_event_type ORDER BY 1, 3 DESC`,
    ),
    db.query<{ id: string; name: string; events: number }>(
      `SELECT COALESCE(e.actor1_id, e.actor1) AS id, MIN(COALESCE(a.name, e.actor1)) AS name, COUNT(*) AS events
       FROM events e LEFT JOIN actors a ON a.id = e.actor1_id WHERE COALESCE(e.actor1_id, e.actor1) IS NOT NULL
       GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT 500`,
    ),
    db.query<{ y: number }>(
      'SELECT DISTINCT CAST(EXTRACT(YEAR FROM event_date) AS INTEGER) AS y FROM events ORDER BY 1',
    ),
  ]);
  const eventTypes = new Map<
    string,
    { name: string; events: number; subEventTypes: { name: string; events: number }[] }
  >();
  for (const row of types) {
    const entry = eventTypes.get(row.t) ?? { name: row.t, events: 0, subEventTypes: [] };
    entry.events += Number(row.events);
    if (row.s) entry.subEventTypes.push({ name: row.s, events: Number(row.events) });
    eventTypes.set(row.t, entry);
  }
  const num = <T extends { events: number }>(rows: T[]) =>
    rows.map((r) => ({ ...r, events: Number(r.events) }));
  return {
    events: Number(totals?.n ?? 0),
    fatalities: Number(totals?.f ?? 0),
    firstDate: totals?.first ?? null,
    lastDate: totals?.last ?? null,
    firstDatePrecision: precisions?.first ?? null,
    lastDatePrecision: precisions?.last ?? null,
    lastUpdated: totals?.updated ? isoUtc(totals.updated) : null,
    sources: num(sources),
    admin1: num(admin1),
    admin2: num(admin2),
    eventTypes: [...eventTypes.values()].sort((a, b) => b.events - a.events),
    actors: num(actors),
    years: years.map((r) => Number(r.y)),
  };
}

export function registerMetaRoutes(app: Api, { store }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/meta',
      summary: 'What the store holds: date range, counts, provinces, districts, event types, actors, groups',
      request: { query: z.object({}).strict() },
      responses: {
        200: { content: { 'application/json': { schema: MetaResponse } }, description: 'store overview' },
      },
    }),
    async (c) => c.json(await meta(store), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/health',
      summary: 'Liveness',
      responses: {
        200: {
          content: { 'application/json': { schema: z.object({ ok: z.boolean(), store: z.string() }) } },
          description: 'up',
        },
      },
    }),
    (c) => c.json({ ok: true, store: store.dialect }, 200),
  );
}
