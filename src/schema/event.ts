import { z } from 'zod';

/**
 * The Sitrep event model: a superset of ACLED, GTD and UCDP GED so that nothing a source says is lost.
 * Every layer (store, API, dashboard) takes its types from here.
 */

export const TIME_PRECISIONS = ['day', 'week', 'month', 'year'] as const;
export const TimePrecision = z.enum(TIME_PRECISIONS);
export type TimePrecision = z.infer<typeof TimePrecision>;

/** ACLED's six event types and their 25 sub-event types (ACLED codebook, 2023+). */
export const ACLED_TAXONOMY = {
  Battles: ['Armed clash', 'Government regains territory', 'Non-state actor overtakes territory'],
  'Explosions/Remote violence': [
    'Chemical weapon',
    'Air/drone strike',
    'Suicide bomb',
    'Shelling/artillery/missile attack',
    'Remote explosive/landmine/IED',
    'Grenade',
  ],
  'Violence against civilians': ['Sexual violence', 'Attack', 'Abduction/forced disappearance'],
  Protests: ['Peaceful protest', 'Protest with intervention', 'Excessive force against protesters'],
  Riots: ['Violent demonstration', 'Mob violence'],
  'Strategic developments': [
    'Agreement',
    'Arrests',
    'Change to group/activity',
    'Disrupted weapons use',
    'Headquarters or base established',
    'Looting/property destruction',
    'Non-violent transfer of territory',
    'Other',
  ],
} as const satisfies Record<string, readonly string[]>;

export type AcledEventType = keyof typeof ACLED_TAXONOMY;
export const ACLED_EVENT_TYPES = Object.keys(ACLED_TAXONOMY) as AcledEventType[];

/** GTD attack types (GTD codebook `attacktype1_txt`). */
export const GTD_ATTACK_TYPES = [
  'Assassination',
  'Armed Assault',
  'Bombing/Explosion',
  'Hijacking',
  'Hostage Taking (Barricade Incident)',
  'Hostage Taking (Kidnapping)',
  'Facility/Infrastructure Attack',
  'Unarmed Assault',
  'Unknown',
] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const count = z.number().int().nonnegative().nullable();

/** A count that sources disagree on or give as a range: the lowest credible, the best, the highest. */
export const CountRange = z.object({ low: count, best: count, high: count });
export type CountRange = z.infer<typeof CountRange>;

const isControlCharacter = (c: string) => {
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
};

/**
 * An identifier: printable text. Control characters in an id are never meant, break terminals, and are
 * the separators of exposure's per-position event lists (src/store/event-places.ts).
 */
const identifier = z
  .string()
  .min(1)
  .refine((id) => ![...id].some(isControlCharacter), 'holds a control character');

export const EventRecord = z.object({
  // identity and provenance
  id: identifier,
  source: z.string().min(1),
  sourceId: identifier,
  batchId: z.string().nullable(),
  raw: z.record(z.string(), z.unknown()).nullable(),

  // when
  eventDate: isoDate,
  endDate: isoDate.nullable(),
  timePrecision: TimePrecision,

  // what
  eventType: z.string().nullable(),
  subEventType: z.string().nullable(),
  attackType: z.string().nullable(),
  targetType: z.string().nullable(),
  weaponType: z.string().nullable(),
  suicide: z.boolean().nullable(),
  claimed: z.boolean().nullable(),

  // who, as written and as canonical actor ids
  actor1: z.string().nullable(),
  actor2: z.string().nullable(),
  assocActor1: z.string().nullable(),
  assocActor2: z.string().nullable(),
  actor1Id: z.string().nullable(),
  actor2Id: z.string().nullable(),
  interaction: z.string().nullable(),

  // where
  country: z.string().nullable(),
  admin1: z.string().nullable(),
  admin2: z.string().nullable(),
  admin3: z.string().nullable(),
  location: z.string().nullable(),
  latitude: z.number().min(-90).max(90).nullable(),
  longitude: z.number().min(-180).max(180).nullable(),
  /** 1 = the place itself, 2 = near it / part of a district, 3 = only the province (ACLED convention). */
  geoPrecision: z.number().int().min(1).max(5).nullable(),

  // how many
  fatalities: CountRange,
  injured: CountRange,
  held: CountRange,
  civilianTargeting: z.boolean().nullable(),

  // text
  notes: z.string().nullable(),
  sourceRefs: z.string().nullable(),
});
export type EventRecord = z.infer<typeof EventRecord>;

export const EMPTY_COUNT: CountRange = Object.freeze({ low: null, best: null, high: null });

/** A record with every optional field empty, so importers only set what their source knows. */
export function blankEvent(
  fields: Pick<EventRecord, 'id' | 'source' | 'sourceId' | 'eventDate'> & Partial<EventRecord>,
): EventRecord {
  return {
    batchId: null,
    raw: null,
    endDate: null,
    timePrecision: 'day',
    eventType: null,
    subEventType: null,
    attackType: null,
    targetType: null,
    weaponType: null,
    suicide: null,
    claimed: null,
    actor1: null,
    actor2: null,
    assocActor1: null,
    assocActor2: null,
    actor1Id: null,
    actor2Id: null,
    interaction: null,
    country: null,
    admin1: null,
    admin2: null,
    admin3: null,
    location: null,
    latitude: null,
    longitude: null,
    geoPrecision: null,
    fatalities: EMPTY_COUNT,
    injured: EMPTY_COUNT,
    held: EMPTY_COUNT,
    civilianTargeting: null,
    notes: null,
    sourceRefs: null,
    ...fields,
  };
}

export const ImportBatch = z.object({
  id: z.string(),
  file: z.string(),
  sha256: z.string(),
  format: z.string(),
  rowsRead: z.number().int(),
  rowsStored: z.number().int(),
  rowsRejected: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportBatch = z.infer<typeof ImportBatch>;

export const Actor = z.object({
  id: z.string(),
  name: z.string(),
  /** e.g. rebel group, state forces, identity militia, civilians, unidentified (ACLED inter codes by name). */
  kind: z.string().nullable(),
  aliases: z.array(z.string()),
});
export type Actor = z.infer<typeof Actor>;
