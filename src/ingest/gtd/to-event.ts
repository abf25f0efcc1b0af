import type { ActorRegistry } from '../../resolve/actor-registry.ts';
import { blankEvent, type EventRecord, type TimePrecision } from '../../schema/index.ts';
import { count, flag, float, isoDateOf, range, stableId, text } from '../cells.ts';
import { type Importer, RowError, type SourceRow } from '../importer.ts';

/** GTD target types whose victims are civilians. */
const CIVILIAN_TARGETS = new Set([
  'Private Citizens & Property',
  'Educational Institution',
  'Religious Figures/Institutions',
  'Journalists & Media',
  'Tourists',
  'NGO',
]);

/** GTD target types of armed forces: an armed assault on them is a battle in ACLED's terms. */
const COMBATANT_TARGETS = new Set(['Military', 'Police', 'Terrorists/Non-State Militia']);

/**
 * ACLED's event type and sub-event type for a GTD incident, so trends by type work across sources
 * (`attackType` keeps GTD's own). Documented in docs/ingest.md; null when GTD does not know the attack type.
 *
 * @example acledTypeOfGtd({ attackType: 'Bombing/Explosion', suicide: true, targetType: 'Police', weaponType: 'Explosives' })
 * // ['Explosions/Remote violence', 'Suicide bomb']
 */
export function acledTypeOfGtd(incident: {
  attackType: string | null;
  suicide: boolean | null;
  targetType: string | null;
  weaponType: string | null;
}): [string, string] | [null, null] {
  const { attackType, suicide, targetType, weaponType } = incident;
  switch (attackType) {
    case 'Bombing/Explosion':
      return ['Explosions/Remote violence', suicide ? 'Suicide bomb' : 'Remote explosive/landmine/IED'];
    case 'Armed Assault':
      return targetType !== null && COMBATANT_TARGETS.has(targetType)
        ? ['Battles', 'Armed clash']
        : ['Violence against civilians', 'Attack'];
    case 'Assassination':
    case 'Unarmed Assault':
      return ['Violence against civilians', 'Attack'];
    case 'Hostage Taking (Kidnapping)':
    case 'Hostage Taking (Barricade Incident)':
    case 'Hijacking':
      return ['Violence against civilians', 'Abduction/forced disappearance'];
    case 'Facility/Infrastructure Attack':
      return weaponType === 'Explosives'
        ? ['Explosions/Remote violence', suicide ? 'Suicide bomb' : 'Remote explosive/landmine/IED']
        : ['Strategic developments', 'Looting/property destruction'];
    default:
      return [null, null];
  }
}

/** GTD writes "Unknown" where a name is not known. */
function known(row: SourceRow, column: string): string | null {
  const value = text(row, column);
  return value === null || value === 'Unknown' ? null : value;
}

/** iyear/imonth/iday, where a 0 month or day means "not known" (the precision says so). */
function when(row: SourceRow): { eventDate: string; timePrecision: TimePrecision; endDate: string | null } {
  const year = count(row, 'iyear');
  if (year === null) throw new RowError('iyear', 'missing year');
  const month = count(row, 'imonth') ?? 0;
  const day = count(row, 'iday') ?? 0;
  const timePrecision: TimePrecision = month === 0 ? 'year' : day === 0 ? 'month' : 'day';
  const eventDate = isoDateOf(year, month || 1, day || 1);
  if (!eventDate) throw new RowError('iday', `no such date: ${year}-${month}-${day}`);
  const resolution = text(row, 'resolution');
  const endDate = resolution && /^\d{4}-\d{2}-\d{2}/.test(resolution) ? resolution.slice(0, 10) : null;
  return { eventDate, timePrecision, endDate };
}

/** Subsets published without `eventid` get a hash of what identifies the incident. */
function sourceIdOf(row: SourceRow): string {
  return (
    text(row, 'eventid') ??
    stableId(
      [
        'iyear',
        'imonth',
        'iday',
        'provstate',
        'city',
        'location',
        'latitude',
        'longitude',
        'attacktype1_txt',
        'targtype1_txt',
        'targsubtype1_txt',
        'weaptype1_txt',
        'corp1',
        'target1',
        'gname',
        'nkill',
        'nwound',
        'summary',
      ].map((c) => text(row, c)),
    )
  );
}

/** One GTD incident (CSV row or GeoJSON feature properties) → an event. */
export function toEvent(row: SourceRow, actors: ActorRegistry): EventRecord {
  const sourceId = sourceIdOf(row);
  const country = known(row, 'country_txt');
  const group = text(row, 'gname');
  // GTD's "Unknown" perpetrator is ACLED's "Unidentified Armed Group (<country>)".
  const actor1Id = group
    ? group === 'Unknown'
      ? actors.resolveOrLearn(`Unidentified Armed Group${country ? ` (${country})` : ''}`, 'unidentified').id
      : actors.resolveOrLearn(group).id
    : null;
  const others = [known(row, 'gname2'), known(row, 'gname3')].filter((g): g is string => g !== null);
  for (const other of others) actors.resolveOrLearn(other);
  const targetType = known(row, 'targtype1_txt');
  const sources = ['scite1', 'scite2', 'scite3']
    .map((c) => text(row, c))
    .filter((s): s is string => s !== null);
  const specificity = count(row, 'specificity');
  const attackType = text(row, 'attacktype1_txt');
  const weaponType = text(row, 'weaptype1_txt');
  const suicide = flag(row, 'suicide');
  const [eventType, subEventType] = acledTypeOfGtd({ attackType, suicide, targetType, weaponType });
  return blankEvent({
    id: `gtd:${sourceId}`,
    source: 'gtd',
    sourceId,
    raw: row,
    ...when(row),
    eventType,
    subEventType,
    attackType,
    targetType,
    weaponType,
    suicide,
    claimed: flag(row, 'claimed'),
    actor1: group,
    assocActor1: others.length ? others.join('; ') : null,
    actor1Id,
    country,
    admin1: known(row, 'provstate'),
    location: known(row, 'city'),
    latitude: float(row, 'latitude'),
    longitude: float(row, 'longitude'),
    geoPrecision: specificity !== null && specificity >= 1 && specificity <= 5 ? specificity : null,
    fatalities: range(null, count(row, 'nkill'), null),
    injured: range(null, count(row, 'nwound'), null),
    held: range(null, count(row, 'nhostkid'), null),
    civilianTargeting: targetType === null ? null : CIVILIAN_TARGETS.has(targetType),
    notes: text(row, 'summary'),
    sourceRefs: sources.length ? sources.join(' | ') : null,
  });
}

export const gtd: Importer = { format: 'gtd', source: 'gtd', encoding: 'utf-8', toEvent };
