import { z } from 'zod';
import { CountRange } from './event.ts';

/**
 * What `extractDocument` returns. Field names are snake_case because this is the JSON that
 * `sitrep extract --json` prints and that analysts read; `toEventRecord` maps it onto EventRecord.
 */

/** A half-open character range `[start, end)` of the source text; `text.slice(start, end)` is the evidence. */
export const Span = z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() });
export type Span = z.infer<typeof Span>;

export const DatePrecision = z.enum(['day', 'week', 'month', 'year']);
export type DatePrecision = z.infer<typeof DatePrecision>;

/** Evidence for each field of an event that came from the text; absent when the field is null. */
export const EventEvidence = z.record(z.string(), Span);
export type EventEvidence = z.infer<typeof EventEvidence>;

export const ExtractedEvent = z.object({
  /** The part of the text the event was read from. */
  span: Span,
  event_type: z.string().nullable(),
  sub_event_type: z.string().nullable(),
  attack_type: z.string().nullable(),
  date: z.string().nullable(),
  date_precision: DatePrecision.nullable(),
  actor1: z.string().nullable(),
  actor1_text: z.string().nullable(),
  actor1_id: z.string().nullable(),
  actor2: z.string().nullable(),
  actor2_text: z.string().nullable(),
  actor2_id: z.string().nullable(),
  target: z.string().nullable(),
  location: z.string().nullable(),
  admin2: z.string().nullable(),
  admin1: z.string().nullable(),
  country: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  geo_precision: z.number().int().min(1).max(3).nullable(),
  fatalities: CountRange.nullable(),
  injured: CountRange.nullable(),
  held: CountRange.nullable(),
  /**
   * The counts ("killed", "injured", "held") the text gives only as a vague amount ("killed many",
   * "dozens injured"): their low and best are the coders' conventional reading, not a reported figure.
   */
  vague_counts: z.array(z.enum(['killed', 'injured', 'held'])),
  evidence: EventEvidence,
});
export type ExtractedEvent = z.infer<typeof ExtractedEvent>;

export const RELATION_KINDS = ['merger', 'collaboration', 'split', 'rivalry'] as const;
export const Relation = z.object({
  kind: z.enum(RELATION_KINDS),
  /** Canonical names where the actor registry knows the actor, else the phrase the text uses. */
  actors: z.array(z.string()),
  /** Each of `actors` as the text first writes it in the evidence ("BLA" for "Baloch Liberation Army"). */
  actors_text: z.array(z.string()),
  /** For a merger: the name of the group the others become. */
  new_name: z.string().nullable(),
  date: z.string().nullable(),
  date_precision: DatePrecision.nullable(),
  evidence: Span,
});
export type Relation = z.infer<typeof Relation>;

export const Claim = z.object({
  metric: z.string(),
  actors: z.array(z.string()),
  from: z.string().nullable(),
  to: z.string().nullable(),
  change_pct: z.number(),
  source: z.string().nullable(),
  evidence: Span,
});
export type Claim = z.infer<typeof Claim>;

export const SITE_KINDS = [
  'mine',
  'port',
  'rail line',
  'railway station',
  'airport',
  'dam',
  'pipeline',
  'gas field',
  'oil field',
  'power plant',
  'highway',
  'base',
  'project',
] as const;
export const Site = z.object({
  name: z.string(),
  kind: z.enum(SITE_KINDS),
  place: z.string().nullable(),
  admin1: z.string().nullable(),
  evidence: Span,
});
export type Site = z.infer<typeof Site>;

export const ExtractionResult = z.object({
  events: z.array(ExtractedEvent),
  relations: z.array(Relation),
  claims: z.array(Claim),
  sites: z.array(Site),
});
export type ExtractionResult = z.infer<typeof ExtractionResult>;
