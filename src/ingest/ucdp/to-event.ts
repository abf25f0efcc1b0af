import type { ActorRegistry } from '../../resolve/actor-registry.ts';
import { blankEvent, type EventRecord, type TimePrecision } from '../../schema/index.ts';
import { count, date, float, range, text } from '../cells.ts';
import { type Importer, RowError, type SourceRow } from '../importer.ts';

/** GED `date_prec`: 1 exact day, 2 within 2–6 days, 3 within a week, 4 within a month, 5 within a year. */
const DATE_PRECISION: Record<string, TimePrecision> = {
  '1': 'day',
  '2': 'week',
  '3': 'week',
  '4': 'month',
  '5': 'year',
};

/**
 * GED `where_prec` (1 exact place … 7 international waters) on Sitrep's 1–5 scale:
 * 1 the place, 2 near it / a district, 3 a province, 4 the country, 5 not known.
 */
const WHERE_PRECISION: Record<string, number> = { '1': 1, '2': 2, '3': 2, '4': 3, '5': 3, '6': 4, '7': 5 };

const VIOLENCE: Record<string, string> = {
  '1': 'State-based conflict',
  '2': 'Non-state conflict',
  '3': 'One-sided violence',
};

/** GED writes "Balochistan province", "Kech district"; other sources write the bare name. */
function adminName(row: SourceRow, column: string): string | null {
  return text(row, column)?.replace(/\s+(province|district|state|region|division)$/i, '') ?? null;
}

function actor(name: string | null, actors: ActorRegistry): string | null {
  // GED's state side is "Government of <country>".
  if (!name) return null;
  const state = /^Government of (.+)$/.exec(name);
  return actors.resolveOrLearn(state ? `Military Forces of ${state[1]}` : name, state ? 'state forces' : null)
    .id;
}

/**
 * ACLED's event type for GED's `type_of_violence`: state-based (1) and non-state (2) conflict are armed
 * clashes, one-sided violence (3) is violence against civilians.
 */
export const ACLED_TYPE_OF_VIOLENCE: Record<string, [string, string]> = {
  '1': ['Battles', 'Armed clash'],
  '2': ['Battles', 'Armed clash'],
  '3': ['Violence against civilians', 'Attack'],
};

/** One UCDP GED row → an event. */
export function toEvent(row: SourceRow, actors: ActorRegistry): EventRecord {
  const sourceId = text(row, 'id');
  if (!sourceId) throw new RowError('id', 'missing id');
  const eventDate = date(row, 'date_start');
  const end = text(row, 'date_end') ? date(row, 'date_end') : null;
  const precisionCode = text(row, 'date_prec');
  const timePrecision = precisionCode === null ? 'day' : DATE_PRECISION[precisionCode];
  if (!timePrecision) throw new RowError('date_prec', `expected 1–5, got ${JSON.stringify(precisionCode)}`);
  const whereCode = text(row, 'where_prec');
  const violence = text(row, 'type_of_violence');
  const sideA = text(row, 'side_a');
  const sideB = text(row, 'side_b');
  return blankEvent({
    id: `ucdp:${sourceId}`,
    source: 'ucdp',
    sourceId,
    raw: row,
    eventDate,
    endDate: end && end !== eventDate ? end : null,
    timePrecision,
    eventType: violence === null ? null : (ACLED_TYPE_OF_VIOLENCE[violence]?.[0] ?? null),
    subEventType: violence === null ? null : (ACLED_TYPE_OF_VIOLENCE[violence]?.[1] ?? null),
    actor1: sideA,
    actor2: sideB,
    actor1Id: actor(sideA, actors),
    actor2Id: actor(sideB, actors),
    interaction: violence ? (VIOLENCE[violence] ?? violence) : null,
    country: text(row, 'country'),
    admin1: adminName(row, 'adm_1'),
    admin2: adminName(row, 'adm_2'),
    location: text(row, 'where_coordinates'),
    latitude: float(row, 'latitude'),
    longitude: float(row, 'longitude'),
    geoPrecision: whereCode === null ? null : (WHERE_PRECISION[whereCode] ?? null),
    fatalities: range(count(row, 'low'), count(row, 'best'), count(row, 'high')),
    civilianTargeting: violence === null ? null : violence === '3',
    notes: text(row, 'source_headline'),
    sourceRefs: text(row, 'source_article'),
  });
}

export const ucdp: Importer = { format: 'ucdp', source: 'ucdp', encoding: 'utf-8', toEvent };
