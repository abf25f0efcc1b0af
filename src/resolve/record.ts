import type { CountRange, TimePrecision } from '../schema/index.ts';
import type { SqlRow, Store } from '../store/contract.ts';
import { ActorRegistry } from './actor-registry.ts';
import { aliasKey } from './alias-key.ts';
import { minhash } from './minhash.ts';
import { admin1Key, admin2Key, dayNumber } from './place.ts';

/** What resolution needs of a stored record, reduced to comparison keys (the text only as a MinHash sketch). */
export interface ResolutionRecord {
  id: string;
  source: string;
  /** First and last day the record may describe (day numbers), from its date, end date and precision. */
  day: number;
  endDay: number;
  precision: TimePrecision;
  kind: EventKind | null;
  form: string | null;
  suicide: boolean | null;
  /** Alias keys of the named actors; unknown/unidentified actors are left out. */
  actors: string[];
  /** The first actor (who acted) is a state force: a military or police operation, never a suicide attack. */
  stateInitiated: boolean;
  admin1: string | null;
  admin2: string | null;
  /** Words of the place name, for name agreement. */
  placeWords: string[];
  latitude: number | null;
  longitude: number | null;
  geoPrecision: number | null;
  fatalities: CountRange;
  injured: CountRange;
  held: CountRange;
  /** Counts a text gave only as a vague amount ("killed many"): a conventional reading, not a figure. */
  vagueCounts: ReadonlyArray<'killed' | 'injured' | 'held'>;
  signature: Uint32Array | null;
}

/** What resolution knows beside the rows: the actors that are state forces, and text records' vague counts. */
export interface RecordContext {
  stateActorIds: ReadonlySet<string>;
  vagueCounts: ReadonlyMap<string, ReadonlyArray<'killed' | 'injured' | 'held'>>;
}

const ROLES = new Set(['killed', 'injured', 'held']);

/**
 * Reads the RecordContext once per run: actor kinds from the seed and the store's actors, and the
 * `vague_counts` that text extraction leaves in `raw` (only text records carry them; the filter on
 * `source` keeps the data sets' raw records unread).
 */
export async function loadRecordContext(store: Store): Promise<RecordContext> {
  const [registry, rows] = await Promise.all([
    ActorRegistry.fromStore(store),
    store.query(`SELECT id, raw FROM events WHERE source = 'text' AND raw LIKE '%vague_counts%'`),
  ]);
  const stateActorIds = new Set(
    registry
      .all()
      .filter((a) => a.kind === 'state forces')
      .map((a) => a.id),
  );
  const vagueCounts = new Map<string, Array<'killed' | 'injured' | 'held'>>();
  for (const row of rows) {
    const raw: unknown = typeof row.raw === 'string' ? JSON.parse(row.raw) : row.raw;
    const roles = (raw as { vague_counts?: unknown } | null)?.vague_counts;
    if (!Array.isArray(roles)) continue;
    vagueCounts.set(
      String(row.id),
      roles.filter((r): r is 'killed' | 'injured' | 'held' => typeof r === 'string' && ROLES.has(r)),
    );
  }
  return { stateActorIds, vagueCounts };
}

export type EventKind = 'violent' | 'demonstration' | 'strategic';

/** The columns resolution reads, in the order `recordFromRow` expects them. */
export const RESOLUTION_COLUMNS = [
  'id',
  'source',
  'event_date',
  'end_date',
  'time_precision',
  'event_type',
  'sub_event_type',
  'attack_type',
  'suicide',
  'actor1',
  'actor2',
  'actor1_id',
  'actor2_id',
  'admin1',
  'admin2',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'fatalities_low',
  'fatalities_best',
  'fatalities_high',
  'injured_low',
  'injured_best',
  'injured_high',
  'held_low',
  'held_best',
  'held_high',
  'notes',
] as const;

const KIND_OF_EVENT_TYPE: Record<string, EventKind> = {
  battles: 'violent',
  'explosions remote violence': 'violent',
  'violence against civilians': 'violent',
  protests: 'demonstration',
  riots: 'demonstration',
  'strategic developments': 'strategic',
};

/** A coarse kind of incident: records of different kinds never describe the same incident. */
export function eventKind(eventType: string | null, attackType: string | null): EventKind | null {
  if (eventType) {
    const kind = KIND_OF_EVENT_TYPE[aliasKey(eventType)];
    if (kind) return kind;
  }
  return attackType ? 'violent' : null;
}

/** The form of violence (explosion, armed attack, abduction, …), comparable across ACLED and GTD codings. */
export function eventForm(
  eventType: string | null,
  subEventType: string | null,
  attackType: string | null,
  suicide: boolean | null,
): string | null {
  const text = aliasKey([subEventType, attackType, eventType].filter(Boolean).join(' '));
  if (suicide) return 'explosion';
  // Strikes from the air are their own form: no ground attack (a suicide bombing, an IED) is one.
  if (/\bdrone|air strike|airstrike/.test(text)) return 'air strike';
  if (/suicide|explosive|bomb|grenade|shelling|drone|air strike|explosion/.test(text)) return 'explosion';
  if (/kidnap|abduction|hostage|hijack/.test(text)) return 'abduction';
  if (/armed|attack|assassination|clash/.test(text)) return 'armed attack';
  if (/protest|demonstration|mob/.test(text)) return 'demonstration';
  return null;
}

const UNKNOWN_ACTOR = /\b(unknown|unidentified|civilians|other)\b/;

function actorKeys(row: SqlRow): string[] {
  const keys = new Set<string>();
  for (const column of ['actor1', 'actor2', 'actor1_id', 'actor2_id']) {
    const value = row[column];
    if (typeof value !== 'string') continue;
    const key = aliasKey(value);
    if (key && !UNKNOWN_ACTOR.test(key)) keys.add(key);
  }
  return [...keys];
}

const PERIOD_DAYS: Record<TimePrecision, number> = { day: 0, week: 6, month: 30, year: 365 };

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : Boolean(v));
const range = (row: SqlRow, prefix: string): CountRange => ({
  low: num(row[`${prefix}_low`]),
  best: num(row[`${prefix}_best`]),
  high: num(row[`${prefix}_high`]),
});

const PLACE_STOP_WORDS = new Set([
  'district',
  'agency',
  'city',
  'area',
  'near',
  'the',
  'of',
  'tehsil',
  'town',
]);

/** Reduces a row of `events` (RESOLUTION_COLUMNS) to a ResolutionRecord. */
export function recordFromRow(row: SqlRow, context?: RecordContext): ResolutionRecord {
  const precision = (str(row.time_precision) ?? 'day') as TimePrecision;
  const day = dayNumber(String(row.event_date));
  const end = str(row.end_date);
  const endDay = Math.max(day, end ? dayNumber(end) : day + (PERIOD_DAYS[precision] ?? 0));
  const eventType = str(row.event_type);
  const attackType = str(row.attack_type);
  const suicide = bool(row.suicide);
  const location = str(row.location);
  return {
    id: String(row.id),
    source: String(row.source),
    day,
    endDay,
    precision,
    kind: eventKind(eventType, attackType),
    form: eventForm(eventType, str(row.sub_event_type), attackType, suicide),
    suicide,
    actors: actorKeys(row),
    stateInitiated: context?.stateActorIds.has(str(row.actor1_id) ?? '') ?? false,
    admin1: admin1Key(str(row.admin1)),
    admin2: admin2Key(str(row.admin2)),
    placeWords: location
      ? aliasKey(location)
          .split(' ')
          .filter((w) => w.length > 2 && !PLACE_STOP_WORDS.has(w))
      : [],
    latitude: num(row.latitude),
    longitude: num(row.longitude),
    geoPrecision: num(row.geo_precision),
    fatalities: range(row, 'fatalities'),
    injured: range(row, 'injured'),
    held: range(row, 'held'),
    vagueCounts: context?.vagueCounts.get(String(row.id)) ?? [],
    signature: minhash(str(row.notes)),
  };
}
