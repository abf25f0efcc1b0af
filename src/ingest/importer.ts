import type { ActorRegistry } from '../resolve/actor-registry.ts';
import type { EventRecord } from '../schema/index.ts';

export const FORMATS = ['acled', 'gtd', 'ucdp', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** One source record as read: column → cell (CSV cells are strings; GeoJSON properties keep their JSON types). */
export type SourceRow = Record<string, unknown>;

/**
 * Turns one source format's rows into events. Each folder under src/ingest/ (acled/, gtd/, ucdp/, csv/)
 * builds one of these from the same two files: `columns.ts` (header recognition) and `to-event.ts`.
 */
export interface Importer {
  readonly format: Format;
  /** What `events.source` says for this importer's events (a mapping names its own). */
  readonly source: string;
  /** Character set of the files; UTF-8 unless a mapping says otherwise. */
  readonly encoding: string;
  /** Throws a RowError for a row that is not an event or cannot be read. */
  toEvent(row: SourceRow, actors: ActorRegistry): EventRecord;
}

/** Why a row was not stored; the pipeline prefixes `file:line:`. */
export class RowError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** A file that cannot be ingested at all (wrong encoding, not CSV, unknown format, …); the message names it. */
export class IngestError extends Error {
  /** The files committed before this one in the same run (set by ingestPaths). */
  committedBefore: { file: string; stored: number }[] = [];
}
