import { z } from 'zod';
import { canonicalAdmin1, canonicalAdmin2 } from '../extract/places/admin-names.ts';

/**
 * A province or district filter: each name as given and its canonical name (Pakistani events are stored
 * under canonical names, so `--admin1 Baluchistan` and `admin1=NWFP` find them; another country's
 * "Capital" or "Punjab" is still matched as written).
 */
const adminNames = (max: number, canonical: (name: string) => string | null) =>
  z
    .array(z.string().min(1).max(200))
    // Counted as places, not spellings, so a filter parsed again after its expansion still passes.
    .refine((names) => new Set(names.map((name) => canonical(name) ?? name)).size <= max, {
      message: `at most ${max} places`,
    })
    .transform((names) => [...new Set(names.flatMap((name) => [name, canonical(name) ?? name]))]);

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/**
 * The filters every question accepts (CLI flags, HTTP query, dashboard URL all parse into this).
 * Actor filters match the canonical actor id or the actor as written, on either side of the event.
 */
export const EventFilter = z
  .object({
    actors: z.array(z.string().min(1).max(200)).max(50).optional(),
    /** Canonical actor ids of an actor group, expanded by the caller from the group's name. */
    actorIds: z.array(z.string().min(1).max(200)).max(500).optional(),
    eventTypes: z.array(z.string().min(1).max(100)).max(20).optional(),
    subEventTypes: z.array(z.string().min(1).max(100)).max(40).optional(),
    admin1: adminNames(50, canonicalAdmin1).optional(),
    admin2: adminNames(200, (name) => canonicalAdmin2(name)).optional(),
    sources: z.array(z.string().min(1).max(100)).max(20).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** [west, south, east, north] in degrees. */
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  })
  .strict();
export type EventFilter = z.infer<typeof EventFilter>;

export const STAT_FIELDS = [
  'actor',
  'admin1',
  'admin2',
  'event_type',
  'sub_event_type',
  'year',
  'month',
  'week',
  'source',
  /** How precisely the event's date is known: day, week, month or year. */
  'precision',
] as const;
export const StatField = z.enum(STAT_FIELDS);
export type StatField = z.infer<typeof StatField>;

export interface StatRow {
  /** One value per requested field, in the order asked. */
  keys: Record<string, string | number | null>;
  events: number;
  fatalities: number;
}
