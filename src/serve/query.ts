import { z } from '@hono/zod-openapi';
import { QuestionFilter } from '../analyse/filter.ts';

/** Request parsing shared by every route: filters from the query string, real dates, lists. */

/** A calendar date that exists (2024-02-30 is refused). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => {
    // a value that is not YYYY-MM-DD at all is told so once, by the pattern above
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return true;
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');

/** A query parameter given once, repeated, or (where names cannot contain commas) comma-separated. */
const list = (description: string) =>
  z
    .union([z.string().max(4000), z.array(z.string().max(400)).max(200)])
    .optional()
    .openapi({ description, type: 'array', items: { type: 'string' } });

export const FILTER_QUERY = {
  actor: list('actor name, alias or canonical id (repeat for several; either side of the event)'),
  group: list('actor group name, e.g. "Baloch separatist groups" (repeat for several)'),
  type: list('event type (repeat or comma-separate)'),
  sub_type: list('sub-event type (repeat or comma-separate)'),
  admin1: list('province / state (repeat or comma-separate)'),
  admin2: list('district (repeat or comma-separate)'),
  source: list('data set: acled, gtd, … (repeat or comma-separate)'),
  from: IsoDate.optional().openapi({ description: 'first day, YYYY-MM-DD' }),
  to: IsoDate.optional().openapi({ description: 'last day, YYYY-MM-DD' }),
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'expected west,south,east,north in degrees')
    .optional()
    .openapi({ description: 'west,south,east,north in degrees' }),
};

export const FilterQuery = z.object(FILTER_QUERY).strict();
type FilterQueryInput = z.infer<typeof FilterQuery>;

const asList = (value: string | string[] | undefined, splitCommas: boolean): string[] | undefined => {
  if (value === undefined) return undefined;
  const values = (Array.isArray(value) ? value : [value]).flatMap((v) => (splitCommas ? v.split(',') : [v]));
  const trimmed = values.map((v) => v.trim()).filter(Boolean);
  return trimmed.length ? trimmed : undefined;
};

export class BadRequest extends Error {
  constructor(
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** The validated QuestionFilter a request's filter parameters describe; 400 with details when invalid. */
export function filterFromQuery(query: Partial<FilterQueryInput>): QuestionFilter {
  const bbox = query.bbox?.split(',').map(Number);
  if (bbox) {
    // a box inside out or off the globe matched nothing, and the empty answer read as "no events there"
    const [west = 0, south = 0, east = 0, north = 0] = bbox;
    const problem =
      [west, east].some((lon) => lon < -180 || lon > 180) ||
      [south, north].some((lat) => lat < -90 || lat > 90)
        ? 'longitudes run from -180 to 180, latitudes from -90 to 90'
        : south > north
          ? `south ${south} is north of north ${north}: the order is west,south,east,north`
          : west > east
            ? `west ${west} is east of east ${east}: the order is west,south,east,north (a box across the 180th meridian is not supported)`
            : null;
    if (problem) throw new BadRequest('invalid filter', [{ path: 'bbox', message: problem }]);
  }
  const candidate = {
    actors: asList(query.actor, false),
    groups: asList(query.group, false),
    eventTypes: asList(query.type, true),
    subEventTypes: asList(query.sub_type, true),
    admin1: asList(query.admin1, true),
    admin2: asList(query.admin2, true),
    sources: asList(query.source, true),
    from: query.from,
    to: query.to,
    bbox,
  };
  const parsed = QuestionFilter.safeParse(
    Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)),
  );
  if (!parsed.success) {
    throw new BadRequest(
      'invalid filter',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  if (parsed.data.from && parsed.data.to && parsed.data.from > parsed.data.to) {
    throw new BadRequest('invalid filter', [
      { path: 'from', message: `from ${parsed.data.from} is after to ${parsed.data.to}` },
    ]);
  }
  return parsed.data;
}

/** Picks the filter parameters out of a wider query object. */
export function pickFilter<T extends Partial<FilterQueryInput>>(query: T): Partial<FilterQueryInput> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(FILTER_QUERY)) {
    const value = (query as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as Partial<FilterQueryInput>;
}

export const ErrorBody = z
  .object({
    error: z.string().openapi({ example: 'invalid request' }),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .openapi('Error');

export const errorResponses = {
  400: {
    content: { 'application/json': { schema: ErrorBody } },
    description: 'the request was invalid; details say what',
  },
} as const;

/** An integer query parameter with bounds. */
export const intParam = (min: number, max: number, description: string) =>
  z.coerce.number().int().min(min).max(max).optional().openapi({ description, type: 'integer' });
