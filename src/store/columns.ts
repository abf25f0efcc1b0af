import type { EventRecord } from '../schema/index.ts';
import { decodeRaw, encodeRaw, rawHeaderAlias, rawHeaderJoinSql } from './raw-record.ts';

/** SQL types that both DuckDB and PostgreSQL accept with the same meaning. */
export type ColumnType = 'TEXT' | 'DATE' | 'INTEGER' | 'DOUBLE PRECISION' | 'BOOLEAN';

type Cell = string | number | boolean | null;

interface Column {
  name: string;
  type: ColumnType;
  read: (e: EventRecord) => Cell;
}

/**
 * The `events` table's columns, in order, with how each is read off an EventRecord.
 * One list drives the DDL, the bulk writers of both drivers and the row decoder.
 */
export const EVENT_COLUMNS: readonly Column[] = [
  { name: 'id', type: 'TEXT', read: (e) => e.id },
  { name: 'source', type: 'TEXT', read: (e) => e.source },
  { name: 'source_id', type: 'TEXT', read: (e) => e.sourceId },
  { name: 'batch_id', type: 'TEXT', read: (e) => e.batchId },
  // The source record, in one of two shapes: see raw-record.ts.
  { name: 'raw', type: 'TEXT', read: (e) => encodeRaw(e.raw, (name) => COLUMN_BY_NAME.get(name)?.read(e)) },
  { name: 'event_date', type: 'DATE', read: (e) => e.eventDate },
  { name: 'end_date', type: 'DATE', read: (e) => e.endDate },
  { name: 'time_precision', type: 'TEXT', read: (e) => e.timePrecision },
  { name: 'event_type', type: 'TEXT', read: (e) => e.eventType },
  { name: 'sub_event_type', type: 'TEXT', read: (e) => e.subEventType },
  { name: 'attack_type', type: 'TEXT', read: (e) => e.attackType },
  { name: 'target_type', type: 'TEXT', read: (e) => e.targetType },
  { name: 'weapon_type', type: 'TEXT', read: (e) => e.weaponType },
  { name: 'suicide', type: 'BOOLEAN', read: (e) => e.suicide },
  { name: 'claimed', type: 'BOOLEAN', read: (e) => e.claimed },
  { name: 'actor1', type: 'TEXT', read: (e) => e.actor1 },
  { name: 'actor2', type: 'TEXT', read: (e) => e.actor2 },
  { name: 'assoc_actor1', type: 'TEXT', read: (e) => e.assocActor1 },
  { name: 'assoc_actor2', type: 'TEXT', read: (e) => e.assocActor2 },
  { name: 'actor1_id', type: 'TEXT', read: (e) => e.actor1Id },
  { name: 'actor2_id', type: 'TEXT', read: (e) => e.actor2Id },
  { name: 'interaction', type: 'TEXT', read: (e) => e.interaction },
  { name: 'country', type: 'TEXT', read: (e) => e.country },
  { name: 'admin1', type: 'TEXT', read: (e) => e.admin1 },
  { name: 'admin2', type: 'TEXT', read: (e) => e.admin2 },
  { name: 'admin3', type: 'TEXT', read: (e) => e.admin3 },
  { name: 'location', type: 'TEXT', read: (e) => e.location },
  { name: 'latitude', type: 'DOUBLE PRECISION', read: (e) => e.latitude },
  { name: 'longitude', type: 'DOUBLE PRECISION', read: (e) => e.longitude },
  { name: 'geo_precision', type: 'INTEGER', read: (e) => e.geoPrecision },
  { name: 'fatalities_low', type: 'INTEGER', read: (e) => e.fatalities.low },
  { name: 'fatalities_best', type: 'INTEGER', read: (e) => e.fatalities.best },
  { name: 'fatalities_high', type: 'INTEGER', read: (e) => e.fatalities.high },
  { name: 'injured_low', type: 'INTEGER', read: (e) => e.injured.low },
  { name: 'injured_best', type: 'INTEGER', read: (e) => e.injured.best },
  { name: 'injured_high', type: 'INTEGER', read: (e) => e.injured.high },
  { name: 'held_low', type: 'INTEGER', read: (e) => e.held.low },
  { name: 'held_best', type: 'INTEGER', read: (e) => e.held.best },
  { name: 'held_high', type: 'INTEGER', read: (e) => e.held.high },
  { name: 'civilian_targeting', type: 'BOOLEAN', read: (e) => e.civilianTargeting },
  { name: 'notes', type: 'TEXT', read: (e) => e.notes },
  { name: 'source_refs', type: 'TEXT', read: (e) => e.sourceRefs },
];

export const EVENT_COLUMN_NAMES = EVENT_COLUMNS.map((c) => c.name);

const COLUMN_BY_NAME = new Map(EVENT_COLUMNS.map((c) => [c.name, c]));

/**
 * The select list that reads whole events under `alias` for `eventFromRow`: every column, and the header
 * of a record stored in the tabular shape (raw-record.ts), from `eventsFromSql(alias)`'s join.
 */
export function eventSelectSql(alias: string): string {
  return [
    ...EVENT_COLUMN_NAMES.map((c) => `${alias}.${c}`),
    `${rawHeaderAlias(alias)}.keys AS raw_keys`,
  ].join(', ');
}

/** The FROM clause `eventSelectSql(alias)` reads from: `events` under `alias`, with its records' headers. */
export function eventsFromSql(alias: string): string {
  return `events ${alias} ${rawHeaderJoinSql(alias)}`;
}

/**
 * What an import compares to tell a re-imported record that is unchanged from one that was corrected:
 * every stored column but the batch that wrote it. Each row keeps its whole source record (`raw`) and
 * every column derived from it, so comparing them tells whether the record changed, and the bulk paths
 * need no per-row hash stored beside it (a sha1 of every row cost ~2.6 s of CPU per million rows).
 */
export const COMPARED_COLUMN_NAMES = EVENT_COLUMN_NAMES.filter((c) => c !== 'batch_id');

/**
 * SQL that is true when the rows under aliases `a` and `b` differ in a compared column (NULL equals
 * NULL). The same text on DuckDB and PostgreSQL; an OR of columns rather than a row comparison, so the
 * engines stop at the first difference and never build a row value.
 */
export function rowsDifferSql(a: string, b: string): string {
  return `(${COMPARED_COLUMN_NAMES.map((c) => `${a}.${c} IS DISTINCT FROM ${b}.${c}`).join(' OR ')})`;
}

/**
 * DuckDB: a 64-bit fingerprint of the compared columns of the row under `alias`, for comparing a whole
 * file's rows with the stored ones. Joining the wide rows themselves (`raw` is ~450 bytes a row) ran out
 * of the ingest's 256 MB memory cap at a million rows; joining `(id, fingerprint)` takes 16 bytes a row.
 * Both sides are hashed by the same query and nothing is stored, so `hash()` changing between DuckDB
 * versions does not matter; a corrected row goes unnoticed only if its 64-bit hash collides with the
 * stored row's (about 1 in 10^19).
 */
export function rowFingerprintSql(alias: string): string {
  return `hash(${COMPARED_COLUMN_NAMES.map((c) => `${alias}.${c}`).join(', ')})`;
}

export type Row = Record<string, unknown>;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : Boolean(v));
const int = (v: unknown): number | null => (v === null || v === undefined ? null : Math.trunc(Number(v)));

/**
 * Turns a row of `events` read with `eventSelectSql` (already normalised by the driver: dates as ISO strings)
 * into an EventRecord.
 */
export function eventFromRow(row: Row): EventRecord {
  const range = (prefix: string) => ({
    low: int(row[`${prefix}_low`]),
    best: int(row[`${prefix}_best`]),
    high: int(row[`${prefix}_high`]),
  });
  return {
    id: String(row.id),
    source: String(row.source),
    sourceId: String(row.source_id),
    batchId: str(row.batch_id),
    raw: decodeRaw(str(row.raw), str(row.raw_keys), (name) => row[name]),
    eventDate: String(row.event_date),
    endDate: str(row.end_date),
    timePrecision: String(row.time_precision) as EventRecord['timePrecision'],
    eventType: str(row.event_type),
    subEventType: str(row.sub_event_type),
    attackType: str(row.attack_type),
    targetType: str(row.target_type),
    weaponType: str(row.weapon_type),
    suicide: bool(row.suicide),
    claimed: bool(row.claimed),
    actor1: str(row.actor1),
    actor2: str(row.actor2),
    assocActor1: str(row.assoc_actor1),
    assocActor2: str(row.assoc_actor2),
    actor1Id: str(row.actor1_id),
    actor2Id: str(row.actor2_id),
    interaction: str(row.interaction),
    country: str(row.country),
    admin1: str(row.admin1),
    admin2: str(row.admin2),
    admin3: str(row.admin3),
    location: str(row.location),
    latitude: num(row.latitude),
    longitude: num(row.longitude),
    geoPrecision: int(row.geo_precision),
    fatalities: range('fatalities'),
    injured: range('injured'),
    held: range('held'),
    civilianTargeting: bool(row.civilian_targeting),
    notes: str(row.notes),
    sourceRefs: str(row.source_refs),
  };
}
