import type { ActorRegistry } from '../../resolve/actor-registry.ts';
import { blankEvent, type EventRecord, type TimePrecision } from '../../schema/index.ts';
import { count, date, float, range, stableId, text } from '../cells.ts';
import { type Importer, RowError, type SourceRow } from '../importer.ts';

/** The columns whose values make an ACLED row's id when the export has no `event_id_cnty`, in order. */
export const ACLED_STABLE_ID_COLUMNS = [
  'event_date',
  'event_type',
  'sub_event_type',
  'actor1',
  'actor2',
  'admin1',
  'admin2',
  'location',
  'latitude',
  'longitude',
  'notes',
] as const;

/** ACLED `inter1`/`inter2` codes (codebook) as actor kinds. */
const INTER_KINDS: Record<string, string> = {
  '1': 'state forces',
  '2': 'rebel group',
  '3': 'political militia',
  '4': 'identity militia',
  '5': 'rioters',
  '6': 'protesters',
  '7': 'civilians',
  '8': 'external/other forces',
};

const TIME_PRECISION: Record<string, TimePrecision> = { '1': 'day', '2': 'week', '3': 'month' };

/**
 * The kinds of actor1 and actor2, from `inter1`/`inter2` codes when the export has them, else from a
 * text interaction like "Rebel group only" or "Rebel group-Civilians" (ACLED sorts that pair by code,
 * not by actor, so a pair of two different kinds is only used when it names one kind).
 */
export function actorKinds(row: SourceRow): [string | null, string | null] {
  const inter1 = text(row, 'inter1');
  const inter2 = text(row, 'inter2');
  if (inter1 || inter2) {
    return [
      INTER_KINDS[inter1 ?? ''] ?? inter1?.toLowerCase() ?? null,
      INTER_KINDS[inter2 ?? ''] ?? inter2?.toLowerCase() ?? null,
    ];
  }
  const interaction = text(row, 'interaction')?.toLowerCase() ?? '';
  const only = /^(.+) only$/.exec(interaction);
  if (only?.[1]) return [only[1], null];
  const [a, b, ...rest] = interaction.split('-');
  if (a && a === b && rest.length === 0) return [a, b];
  return [null, null];
}

/** The shared research extract has no event id: hash what makes a row one event. */
function sourceIdOf(row: SourceRow): string {
  return text(row, 'event_id_cnty') ?? stableId(ACLED_STABLE_ID_COLUMNS.map((c) => text(row, c)));
}

function precision(row: SourceRow): TimePrecision {
  const code = text(row, 'time_precision');
  if (code === null) return 'day';
  const value = TIME_PRECISION[code];
  if (!value) throw new RowError('time_precision', `expected 1, 2 or 3, got ${JSON.stringify(code)}`);
  return value;
}

/** One ACLED row → an event; actors resolved (and learned) through the registry. */
export function toEvent(row: SourceRow, actors: ActorRegistry): EventRecord {
  const sourceId = sourceIdOf(row);
  const actor1 = text(row, 'actor1');
  const actor2 = text(row, 'actor2');
  const [kind1, kind2] = actorKinds(row);
  const civilianTargeting = text(row, 'civilian_targeting');
  const hasTargetingColumn = 'civilian_targeting' in row;
  return blankEvent({
    id: `acled:${sourceId}`,
    source: 'acled',
    sourceId,
    raw: row,
    eventDate: date(row, 'event_date'),
    timePrecision: precision(row),
    eventType: text(row, 'event_type'),
    subEventType: text(row, 'sub_event_type'),
    suicide: text(row, 'sub_event_type') === 'Suicide bomb' ? true : null,
    actor1,
    actor2,
    assocActor1: text(row, 'assoc_actor_1'),
    assocActor2: text(row, 'assoc_actor_2'),
    actor1Id: actor1 ? actors.resolveOrLearn(actor1, kind1).id : null,
    actor2Id: actor2 ? actors.resolveOrLearn(actor2, kind2).id : null,
    interaction: text(row, 'interaction'),
    country: text(row, 'country'),
    admin1: text(row, 'admin1'),
    admin2: text(row, 'admin2'),
    admin3: text(row, 'admin3'),
    location: text(row, 'location'),
    latitude: float(row, 'latitude'),
    longitude: float(row, 'longitude'),
    geoPrecision: count(row, 'geo_precision'),
    fatalities: range(null, count(row, 'fatalities'), null),
    // ACLED fills the column only for events that target civilians: blank means no.
    civilianTargeting: civilianTargeting ? true : hasTargetingColumn ? false : null,
    notes: text(row, 'notes'),
    sourceRefs: text(row, 'source'),
  });
}

export const acled: Importer = { format: 'acled', source: 'acled', encoding: 'utf-8', toEvent };
