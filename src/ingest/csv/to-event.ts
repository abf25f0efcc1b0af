import type { ActorRegistry } from '../../resolve/actor-registry.ts';
import { blankEvent, type CountRange, type EventRecord, TimePrecision } from '../../schema/index.ts';
import { count, flag, float, isoDateOf, stableId, text } from '../cells.ts';
import { type Importer, IngestError, RowError, type SourceRow } from '../importer.ts';
import { compileDateFormat } from './date-format.ts';
import type { CountSource, CsvMapping, FieldSource } from './mapping.ts';

const DATE_FIELDS = new Set(['eventDate', 'endDate']);
const NUMBER_FIELDS = new Set(['latitude', 'longitude']);
const INTEGER_FIELDS = new Set(['geoPrecision']);
const BOOLEAN_FIELDS = new Set(['suicide', 'claimed', 'civilianTargeting']);
const TEXT_FIELDS = new Set([
  'timePrecision',
  'eventType',
  'subEventType',
  'attackType',
  'targetType',
  'weaponType',
  'actor1',
  'actor2',
  'assocActor1',
  'assocActor2',
  'interaction',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'notes',
  'sourceRefs',
]);

type Reader = (row: SourceRow) => unknown;

function cellReader(source: FieldSource, field: string): Reader {
  if ('value' in source) return () => source.value;
  if ('columns' in source) {
    return (row) => {
      const parts = source.columns
        .map((c) => [c, text(row, c)] as const)
        .filter(([, v]) => v !== null)
        .map(([c, v]) => (source.labels ? `${c}: ${v}` : v));
      return parts.length ? parts.join(source.join) : null;
    };
  }
  const column = source.column;
  if (DATE_FIELDS.has(field)) {
    const formats = [source.format ?? []].flat().map(compileDateFormat);
    return (row) => {
      const value = text(row, column);
      if (value === null) return null;
      const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
      const parsed = iso
        ? isoDateOf(Number(iso[1]), Number(iso[2]), Number(iso[3]))
        : formats.reduce<string | null>((found, parse) => found ?? parse(value), null);
      if (!parsed) {
        const expected = [source.format ?? []].flat().join(' or ') || 'YYYY-MM-DD';
        throw new RowError(column, `not a date: ${JSON.stringify(value)} (expected ${expected})`);
      }
      return parsed;
    };
  }
  if (NUMBER_FIELDS.has(field)) return (row) => float(row, column);
  if (INTEGER_FIELDS.has(field)) return (row) => count(row, column);
  if (BOOLEAN_FIELDS.has(field)) return (row) => flag(row, column);
  return (row) => text(row, column);
}

function countReader(source: CountSource | undefined): (row: SourceRow) => CountRange {
  if (!source) return () => ({ low: null, best: null, high: null });
  const read = (column: string | undefined, row: SourceRow) => (column ? count(row, column) : null);
  return (row) => {
    // A min above the max is a typing slip in the compilation: the range is the same either way round.
    const [low, high] = ordered(read(source.low, row), read(source.high, row));
    const best =
      source.best === 'low' ? (low ?? high) : source.best === 'high' ? (high ?? low) : read(source.best, row);
    return { low, best, high };
  };
}

function ordered(a: number | null, b: number | null): [number | null, number | null] {
  return a !== null && b !== null && a > b ? [b, a] : [a, b];
}

/**
 * An importer for any CSV, driven by a mapping file (data/mappings/*.json): columns → model fields,
 * date patterns, min/max → low/high counts, and rules that reject rows that are not events.
 */
export function mappingImporter(mapping: CsvMapping, mappingName = mapping.name): Importer {
  const readers: [string, Reader][] = [];
  for (const [field, source] of Object.entries(mapping.fields)) {
    const known = TEXT_FIELDS.has(field) || DATE_FIELDS.has(field) || NUMBER_FIELDS.has(field);
    if (!known && !INTEGER_FIELDS.has(field) && !BOOLEAN_FIELDS.has(field)) {
      throw new IngestError(`${mappingName}: fields.${field}: not a field of the event model`);
    }
    readers.push([field, cellReader(source, field)]);
  }
  if (!mapping.fields.eventDate) throw new IngestError(`${mappingName}: fields.eventDate: required`);
  const counts = {
    fatalities: countReader(mapping.counts.fatalities),
    injured: countReader(mapping.counts.injured),
    held: countReader(mapping.counts.held),
  };
  const missing = new Set(mapping.missing);
  const idOf = (row: SourceRow): string => {
    if ('column' in mapping.id) {
      const id = text(row, mapping.id.column);
      if (!id) throw new RowError(mapping.id.column, 'missing id');
      return id;
    }
    return stableId(mapping.id.hash.map((c) => text(row, c)));
  };

  const toEvent = (sourceRow: SourceRow, actors: ActorRegistry): EventRecord => {
    for (const rule of mapping.rejectIf) {
      if (text(sourceRow, rule.column) === null) throw new RowError(rule.column, rule.reason);
    }
    let row = sourceRow;
    if (missing.size) {
      row = { ...sourceRow };
      for (const [k, v] of Object.entries(row))
        if (typeof v === 'string' && missing.has(v.trim())) row[k] = '';
    }
    const fields: Record<string, unknown> = {};
    for (const [field, read] of readers) fields[field] = read(row);
    const eventDate = fields.eventDate;
    if (typeof eventDate !== 'string') {
      const column =
        'column' in (mapping.fields.eventDate ?? {})
          ? (mapping.fields.eventDate as { column: string }).column
          : 'eventDate';
      throw new RowError(column, 'missing date');
    }
    if (fields.timePrecision !== undefined && !TimePrecision.safeParse(fields.timePrecision).success) {
      throw new RowError(
        'timePrecision',
        `expected day, week, month or year, got ${JSON.stringify(fields.timePrecision)}`,
      );
    }
    const sourceId = idOf(row);
    const actor1 = typeof fields.actor1 === 'string' ? fields.actor1 : null;
    const actor2 = typeof fields.actor2 === 'string' ? fields.actor2 : null;
    return blankEvent({
      ...(fields as Partial<EventRecord>),
      id: `${mapping.source}:${sourceId}`,
      source: mapping.source,
      sourceId,
      eventDate,
      raw: sourceRow,
      actor1Id: actor1 ? actors.resolveOrLearn(actor1).id : null,
      actor2Id: actor2 ? actors.resolveOrLearn(actor2).id : null,
      fatalities: counts.fatalities(row),
      injured: counts.injured(row),
      held: counts.held(row),
    });
  };
  return { format: 'csv', source: mapping.source, encoding: mapping.encoding, toEvent };
}
