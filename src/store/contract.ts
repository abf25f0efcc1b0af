import type { Actor, EventFilter, EventRecord, ImportBatch, StatField, StatRow } from '../schema/index.ts';
import type { Dialect } from './migrations.ts';

/** A value bound to a `$n` placeholder. Both drivers accept the same placeholders. */
export type SqlParam = string | number | boolean | null;

/** Rows come back normalised the same way from both drivers: integers as numbers, dates as YYYY-MM-DD. */
export type SqlRow = Record<string, string | number | boolean | null>;

export interface Queryable {
  readonly dialect: Dialect;
  /** Runs parameterised SQL (`$1`, `$2`, …) and returns plain rows. Never interpolate values into `sql`. */
  query<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /**
   * A number that changes whenever a write through this handle starts or ends, when the handle is the only
   * writer of its database (a DuckDB file is open in one process); undefined when others may write too
   * (PostgreSQL). Cached figures compare it instead of asking the database what changed.
   */
  writeCount?(): number | undefined;
}

export interface ImportMeta {
  file: string;
  sha256: string;
  format: string;
}

export interface WriteSummary {
  batchId: string;
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Collects one file's events and writes them all at once: nothing is visible until `finish`
 * commits, and an abort or a crash leaves the store as it was. Events with an id already stored
 * replace it when their content changed (a re-run adds nothing; a corrected file updates).
 */
export interface EventWriter {
  readonly batchId: string;
  /**
   * Stages events. `ordinals` (one per event) say where each stands in the file, for "the last row
   * wins" when a file repeats an id; without them events count as coming after those already added.
   */
  add(events: readonly EventRecord[], ordinals?: readonly number[]): Promise<void>;
  /** Bulk staging in SQL, on stores that offer it (DuckDB): see StageSql. */
  readonly sql?: StageSql;
  finish(counts: { rowsRead: number; rowsRejected: number }): Promise<WriteSummary>;
  abort(): Promise<void>;
}

/**
 * Rows added straight from SQL, so a file's rows need not cross into JavaScript one by one. Statements run
 * on the writer's own connection (its temporary tables are visible) inside the import.
 */
export interface StageSql extends Queryable {
  /**
   * Adds the rows of a SELECT to the import (once per writer). `rows(false)` yields every `events`
   * column but `batch_id` (named and typed as in the table); `rows(true)` the same plus `seq`, the row's
   * position in the file, asked for only when ids repeat (in the file or in rows added with `add`), as
   * numbering rows can cost more than mapping them. The store fills in the batch and the content hash
   * (the same function of the same values as for `add`). The rows are read by `finish`, inside its
   * transaction, and written straight into `events` when none of their ids is stored or repeated: what
   * the SELECT reads must stay readable until then.
   */
  addSelect(rows: (withSeq: boolean) => string, params?: readonly SqlParam[], rest?: SelectRest): void;
}

/**
 * The rows of a file that a SELECT leaves out (those only JavaScript can map), found while `finish`
 * writes: no scan before it has to count them.
 */
export interface SelectRest {
  /** Rows the file has: when the SELECT gives fewer, `complete` is called. */
  rowsRead: number;
  /**
   * Called inside `finish`'s transaction with the number of rows the SELECT gave: adds the rest with `add`
   * (with their ordinals) and returns how many it rejected, which `finish` adds to `rowsRejected`. It may
   * be called again (when the import is retried staged) and must then add the same rows again.
   */
  complete(selected: number): Promise<number>;
  /**
   * Called inside `finish`'s transaction once the SELECT's rows are in `table` (`events` when written
   * straight, else the stage compared with it), before anything reads them: a correction in SQL of this
   * import's rows (`batch_id`) that needs a table JavaScript holds (admin names: src/store/canonical-admin.ts).
   */
  written?(table: string): Promise<void>;
}

export interface EventPage {
  events: EventRecord[];
  /** Pass back as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface Store extends Queryable {
  readonly location: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Runs `work` in one transaction: all of it commits or none of it does. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;

  beginImport(meta: ImportMeta): Promise<EventWriter>;
  listBatches(): Promise<ImportBatch[]>;

  events(
    filter: EventFilter,
    page?: { limit?: number; after?: string | null; updatedSince?: string },
  ): Promise<EventPage>;
  eventById(id: string): Promise<EventRecord | null>;
  countEvents(filter: EventFilter): Promise<number>;
  stats(by: readonly StatField[], filter: EventFilter): Promise<StatRow[]>;

  /** Adds or replaces canonical actors and their aliases. */
  saveActors(actors: readonly Actor[]): Promise<void>;
  listActors(): Promise<Actor[]>;
}
