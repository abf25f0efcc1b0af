import { z } from 'zod';
import type { EventFilter } from '../schema/index.ts';
import { placeLine } from '../schema/place-name.ts';
import type { Queryable } from '../store/contract.ts';
import { CoverageSchema } from './coverage.ts';
import { type ExposureResult, exposure, type NearbyEvent } from './exposure.ts';
import { placedCoarsely } from './exposure-tally.ts';
import { plural } from './format.ts';
import type { SiteGeometry } from './geo.ts';
import { TREND_BANDS } from './trend.ts';

const Nearby = z.object({
  id: z.string(),
  date: z.string(),
  distanceKm: z.number(),
  actor: z.string().nullable(),
  eventType: z.string().nullable(),
  location: z.string().nullable(),
  admin2: z.string().nullable(),
  geoPrecision: z
    .number()
    .int()
    .nullable()
    .describe(
      "the source's geo precision; 3 and coarser: placed only at its district's or province's centre",
    ),
  fatalities: z.number(),
});

/**
 * The answer to an exposure question, the same from `sitrep exposure --json` and `GET /api/exposure`: the
 * site asked about, what lies within the radius (exposure.ts), and — when nothing does — how far the
 * nearest events are (`beyond`), which the CLI's text prints as its hint.
 */
export const ExposureAnswer = z.object({
  site: z.object({
    id: z.string().nullable().describe('the stored site, null for a point given by lat/lon'),
    name: z.string().nullable(),
    geometry: z.enum(['Point', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']),
  }),
  radiusKm: z.number(),
  asOf: z.string().nullable(),
  recent: z
    .object({
      from: z.string(),
      to: z.string(),
      endsAt: z.enum(['as_of', 'filter', 'latest report', 'data end']),
      why: z.string(),
    })
    .nullable(),
  coverage: CoverageSchema,
  events: z.number(),
  fatalities: z.number(),
  byYear: z.array(z.object({ year: z.number(), events: z.number(), fatalities: z.number() })),
  byActor: z.array(z.object({ actor: z.string(), events: z.number(), fatalities: z.number() })),
  nearestRecent: z.array(Nearby),
  trend: z.object({
    recentEvents: z.number(),
    previousEvents: z.number(),
    changePct: z.number().nullable(),
    band: z.enum(TREND_BANDS),
  }),
  risk: z.object({
    score: z.number(),
    level: z.enum(['low', 'elevated', 'high', 'severe']),
    parts: z.array(
      z.object({
        name: z.enum(['intensity', 'lethality', 'proximity', 'trend']),
        measured: z.number().nullable(),
        unit: z.string(),
        score: z.number(),
        weight: z.number(),
        points: z.number(),
        why: z.string(),
      }),
    ),
  }),
  beyond: z
    .object({
      radiusKm: z.number().nullable().describe('the wider radius that found events; null when none did'),
      events: z.number(),
      nearestRecent: Nearby.nullable(),
      suggestedRadiusKm: z.number().nullable(),
      message: z.string(),
    })
    .nullable()
    .describe('only when no event lies within the radius: how far the violence is'),
});
export type ExposureAnswer = z.infer<typeof ExposureAnswer>;

/** Radii tried, in turn, when nothing lies within the one asked for. */
const WIDER_KM = [200, 1000];

export interface ExposureQuestion {
  site: { id: string | null; name: string | null };
  geometry: SiteGeometry;
  filter: EventFilter;
  radiusKm?: number;
  asOf?: string;
  recentMonths?: number;
}

/**
 * When no event lies within the radius: the nearest recent event within a wider one (or how many events lie
 * there, when none is recent), and the radius that would take it in.
 */
async function nearestBeyond(
  db: Queryable,
  question: ExposureQuestion,
  radiusKm: number,
): Promise<NonNullable<ExposureAnswer['beyond']>> {
  for (const wider of WIDER_KM.filter((km) => km > radiusKm)) {
    const result: ExposureResult = await exposure(db, { ...question, radiusKm: wider });
    if (result.events === 0) continue;
    const nearest: NearbyEvent | null = result.nearestRecent[0] ?? null;
    const suggestedRadiusKm = Math.ceil(nearest?.distanceKm ?? wider);
    const how = `widen the radius to ${suggestedRadiusKm} km (--radius-km ${suggestedRadiusKm}, over HTTP radius_km=${suggestedRadiusKm})`;
    const where = nearest
      ? (placeLine([nearest.location, nearest.admin2]) || 'place unknown') +
        (placedCoarsely(nearest) ? ", placed only at its area's centre" : '')
      : '';
    return {
      radiusKm: wider,
      events: result.events,
      nearestRecent: nearest,
      suggestedRadiusKm,
      message: nearest
        ? `No events within ${radiusKm} km. The nearest recent event is ${nearest.distanceKm} km away (${nearest.date}, ${where}): ${how}.`
        : `No events within ${radiusKm} km; ${plural(result.events, 'event')} within ${wider} km, none of them recent (${result.recent?.from ?? '?'} … ${result.recent?.to ?? '?'}): ${how}.`,
    };
  }
  return {
    radiusKm: null,
    events: 0,
    nearestRecent: null,
    suggestedRadiusKm: null,
    message: `No events within ${radiusKm} km, nor within ${Math.max(radiusKm, ...WIDER_KM)} km: check the site's coordinates (latitude first, then longitude) and the filters.`,
  };
}

/**
 * Exposure of a site or point, with the site named and, when the radius holds nothing, how far the nearest
 * events lie: the one shape the CLI's `--json` and the API return.
 *
 * @example await exposureAnswer(store, { site: { id: null, name: null }, geometry: { type: 'Point', coordinates: [64.4, 28.9] }, filter: {} })
 */
export async function exposureAnswer(db: Queryable, question: ExposureQuestion): Promise<ExposureAnswer> {
  const result = await exposure(db, question);
  const beyond = result.events === 0 ? await nearestBeyond(db, question, result.radiusKm) : null;
  return { site: { ...question.site, geometry: question.geometry.type }, ...result, beyond };
}
