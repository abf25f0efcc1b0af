import { randomUUID } from 'node:crypto';
import { aliasKey } from '../resolve/alias-key.ts';
import type { Actor, EventFilter, EventRecord, ImportBatch, StatField, StatRow } from '../schema/index.ts';
import { monthsOfBatch, refreshActorPairMonths, takeTurn, touchedByImport } from './actor-pair-months.ts';
import {
  EVENT_COLUMN_NAMES,
  EVENT_COLUMNS,
  eventFromRow,
  eventSelectSql,
  eventsFromSql,
  rowFingerprintSql,
  rowsDifferSql,
} from './columns.ts';
import type {
  EventPage,
  EventWriter,
  ImportMeta,
  Queryable,
  SelectRest,
  SqlParam,
  SqlRow,
  StageSql,
  Store,
  WriteSummary,
} from './contract.ts';
import { eventPlacesOfBatch, eventPlacesOfStage } from './event-places.ts';
import { filterSql, Params } from './filter-sql.ts';
import { type Dialect, MIGRATIONS, type Migration } from './migrations.ts';
import { placeMonthsWhere } from './place-months.ts';
import { type RawHeader, rawHeadersOf, saveRawHeaders } from './raw-record.ts';

export type Cell = string | number | boolean | null;

/** A dedicated connection, for transactions and bulk loads. */
export interface Session extends Queryable {
  /** Appends rows to a table as fast as the driver can (DuckDB appender, PostgreSQL multi-row insert). */
  appendRows(table: string, columns: readonly string[], rows: readonly Cell[][]): Promise<void>;
  release(): Promise<void>;
}

/** What a database driver provides; everything else about a store is shared SQL. */
export interface Driver extends Queryable {
  readonly location: string;
  openSession(): Promise<Session>;
  /** Statement that creates the driver's namespace before migrations, if it has one. */
  prepare(): Promise<void>;
  /** Runs `work` while no other process migrates the same database (DuckDB files have one writer anyway). */
  withMigrationLock?<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const STAGE_COLUMNS = [...EVENT_COLUMN_NAMES, 'seq'];

const BATCH_CELL = EVENT_COLUMN_NAMES.indexOf('batch_id');

/** What `events` stores of a record (`updated_at` is the writer's). */
const STORED_COLUMNS = EVENT_COLUMN_NAMES;

/** The rows of `StageSql.addSelect`, read when the import commits. */
interface SelectedRows {
  rows: (withSeq: boolean) => string;
  params: readonly SqlParam[];
  rest: SelectRest | undefined;
}

/** A row added with `add` repeats the id of a row the straight insert wrote: the import is retried staged. */
class RepeatedId extends Error {}

/**
 * DuckDB's refusal of a row whose primary key is taken (by a stored row or an earlier one of the same
 * insert), or the same found by the writer itself.
 */
function isKeyConflict(error: unknown): boolean {
  return (
    error instanceof RepeatedId ||
    (error instanceof Error &&
      /^Constraint Error: .*(duplicate key|violates primary key)/i.test(error.message))
  );
}

const STAT_EXPRESSIONS: Record<StatField, string> = {
  actor: 'COALESCE(a.name, e.actor1)',
  admin1: 'e.admin1',
  admin2: 'e.admin2',
  event_type: 'e.event_type',
  sub_event_type: 'e.sub_event_type',
  year: 'CAST(EXTRACT(YEAR FROM e.event_date) AS INTEGER)',
  month: 'SUBSTR(CAST(e.event_date AS TEXT), 1, 7)',
  // The Monday the ISO week starts on, as YYYY-MM-DD; date minus days is the same in both dialects.
  week: 'CAST(e.event_date - CAST(EXTRACT(ISODOW FROM e.event_date) AS INTEGER) + 1 AS TEXT)',
  source: 'e.source',
  precision: "COALESCE(e.time_precision, 'day')",
};

/** The keys of STAT_EXPRESSIONS that `place_months` holds, read off its columns. */
const MONTHLY_STAT_EXPRESSIONS: Partial<Record<StatField, string>> = {
  admin1: 'm.admin1',
  admin2: 'm.admin2',
  event_type: 'm.event_type',
  sub_event_type: 'm.sub_event_type',
  source: 'm.source',
  year: 'CAST(EXTRACT(YEAR FROM m.month) AS INTEGER)',
  month: 'SUBSTR(CAST(m.month AS TEXT), 1, 7)',
};

function encodeCursor(date: string, id: string): string {
  return Buffer.from(JSON.stringify([date, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return value as [string, string];
    }
  } catch {
    // fall through to the error below: the cause is always "not one of our cursors"
  }
  throw new Error(`invalid cursor: ${cursor.slice(0, 40)}`);
}

export class SqlStore implements Store {
  readonly dialect: Dialect;
  readonly location: string;

  constructor(
    private readonly driver: Driver,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.dialect = driver.dialect;
    this.location = driver.location;
  }

  query<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.driver.query<T>(sql, params);
  }

  writeCount(): number | undefined {
    return this.driver.writeCount?.();
  }

  async migrate(): Promise<void> {
    const locked = this.driver.withMigrationLock?.bind(this.driver);
    await (locked ? locked(() => this.migrateUnlocked()) : this.migrateUnlocked());
  }

  /**
   * The versions of the migrations this store has not applied yet (all of them for an empty one), read
   * without writing: a store opened read-only can only be used when there are none.
   */
  async pendingMigrations(): Promise<number[]> {
    const done = await this.driver
      .query<{ version: number }>('SELECT version FROM schema_migrations')
      .then((rows) => new Set(rows.map((r) => Number(r.version))))
      .catch(() => new Set<number>());
    return MIGRATIONS.map((m) => m.version).filter((v) => !done.has(v));
  }

  private async migrateUnlocked(): Promise<void> {
    await this.driver.prepare();
    await this.driver.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)',
    );
    const done = new Set(
      (await this.driver.query<{ version: number }>('SELECT version FROM schema_migrations')).map(
        (r) => r.version,
      ),
    );
    // Rewriting an older store's rows (611 took ~2 min on a million events) must not look like a hang.
    const runs = (m: Migration) => m.run !== undefined && (m.runOnly ?? this.dialect) === this.dialect;
    const rewrites = MIGRATIONS.filter((m) => runs(m) && !done.has(m.version));
    if (done.size > 0 && rewrites.length > 0 && process.stderr.isTTY) {
      process.stderr.write('sitrep: upgrading the data in this store, once (a large store takes minutes)…\n');
    }
    for (const migration of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      const sql = typeof migration.sql === 'string' ? migration.sql : migration.sql[this.dialect];
      const statements = sql
        .split(/;\s*\n/)
        .map((s) => s.trim())
        .filter(Boolean);
      const apply = async (tx: Queryable) => {
        for (const statement of statements) await tx.query(statement);
      };
      const record = (tx: Queryable) =>
        tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
      if (!migration.run || !runs(migration)) {
        await this.transaction(async (tx) => {
          await apply(tx);
          await record(tx);
        });
        continue;
      }
      // Work over many rows commits as it goes (one transaction over a million rows held ~3 GiB on DuckDB).
      if (statements.length) await this.transaction(apply);
      await migration.run((work) => this.transaction(work), this.dialect, this.now());
      await this.transaction(record);
    }
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const session = await this.driver.openSession();
    try {
      await session.query('BEGIN TRANSACTION');
      try {
        const result = await work(session);
        await session.query('COMMIT');
        return result;
      } catch (error) {
        await session.query('ROLLBACK');
        throw error;
      }
    } finally {
      await session.release();
    }
  }

  async beginImport(meta: ImportMeta): Promise<EventWriter> {
    const session = await this.driver.openSession();
    const batchId = randomUUID();
    const startedAt = this.now().toISOString();
    const stage = `stage_${batchId.replaceAll('-', '')}`;
    // The staged rows that `events` does not hold as they are: new ids and corrected records.
    const writes = `${stage}_writes`;
    const stageColumns = [...EVENT_COLUMNS.map((c) => `${c.name} ${c.type}`), 'seq BIGINT'].join(', ');
    await session.query(`CREATE TEMP TABLE ${stage} (${stageColumns})`);
    let seq = 0;
    let closed = false;
    // The headers of the tabular records added (raw-record.ts), saved with them.
    const headers = new Map<string, RawHeader>();
    const release = async () => {
      if (closed) return;
      closed = true;
      await session.query(`DROP TABLE IF EXISTS ${stage}`).catch(() => undefined);
      await session.query(`DROP TABLE IF EXISTS ${writes}`).catch(() => undefined);
      await session.release();
    };
    const now = this.now;

    // The rows of `sql.addSelect`, read at `finish`.
    let selected: SelectedRows | null = null;
    const sql: StageSql | undefined =
      this.dialect === 'duckdb'
        ? {
            dialect: this.dialect,
            query: (text, params) => session.query(text, params),
            addSelect(rows, params = [], rest = undefined) {
              if (selected) throw new Error('addSelect: one SELECT per import');
              selected = { rows, params, rest };
            },
          }
        : undefined;
    const stageColumnsOf = (alias: string, batch: string) =>
      EVENT_COLUMN_NAMES.map((c) => (c === 'batch_id' ? `CAST(${batch} AS TEXT)` : `${alias}.${c}`));

    const stageIsEmpty = async () =>
      (await session.query(`SELECT 1 AS one FROM ${stage} LIMIT 1`)).length === 0;

    /** The rows the SELECT left out, added by its `rest` (inside the transaction); returns their rejects. */
    const completeSelected = async (chosen: SelectedRows, rowsSelected: number): Promise<number> =>
      chosen.rest && rowsSelected < chosen.rest.rowsRead ? chosen.rest.complete(rowsSelected) : 0;

    /**
     * Stages the selected rows, and the rows their `rest` adds. Numbering them runs on one thread and costs
     * more than the mapping, so they are staged unnumbered (seq -1; added rows have seq >= 0) and numbered
     * again only when an id repeats in the stage. Returns whether every staged id is distinct (then the
     * merge need not ask), and the rest's rejects.
     */
    const stageSelected = async (chosen: SelectedRows): Promise<{ distinct: boolean; rejected: number }> => {
      const insert = async (withSeq: boolean) => {
        const [row] = await session.query<{ Count: number }>(
          `INSERT INTO ${stage} (${STAGE_COLUMNS.join(', ')})
           SELECT ${stageColumnsOf('q', `$${chosen.params.length + 1}`).join(', ')}, ${withSeq ? 'q.seq' : '-1'}
           FROM (${chosen.rows(withSeq)}) q`,
          [...chosen.params, batchId],
        );
        return Number(row?.Count ?? 0);
      };
      const rejected = await completeSelected(chosen, await insert(false));
      const [dup] = await session.query<{ repeats: number }>(
        `SELECT COUNT(*) - COUNT(DISTINCT id) AS repeats FROM ${stage}`,
      );
      const distinct = Number(dup?.repeats ?? 0) === 0;
      if (!distinct) {
        await session.query(`DELETE FROM ${stage} WHERE seq = -1`);
        await insert(true);
      }
      await chosen.rest?.written?.(stage);
      return { distinct, rejected };
    };

    /** Writes the stage into `events`: the last row of a repeated id wins, changed rows are replaced. */
    const mergeStage = async (updatedAt: string, distinctIds: boolean) => {
      // Dropping the earlier rows of a repeated id in place (only when there are any) keeps the statements
      // below from materialising whole rows in a window.
      const repeats = async () => {
        const [dup] = await session.query<{ repeats: number }>(
          `SELECT COUNT(*) - COUNT(DISTINCT id) AS repeats FROM ${stage}`,
        );
        return Number(dup?.repeats ?? 0);
      };
      if (!distinctIds && (await repeats()) > 0) {
        await session.query(
          `DELETE FROM ${stage} WHERE seq NOT IN (SELECT MAX(seq) FROM ${stage} GROUP BY id)`,
        );
      }
      // Concurrent PostgreSQL imports take turns from here, so the comparison below sees what the one
      // before committed.
      await takeTurn(session);
      // One join of the stage with `events` sorts every staged row: new, corrected (a stored column
      // differs) or unchanged (left out). Everything after reads this narrow table, not the wide rows
      // again. The stored dates are kept for the network's monthly sums. PostgreSQL compares the columns
      // (its joins spill to disk); DuckDB compares fingerprints of them, see rowFingerprintSql.
      const compared =
        this.dialect === 'duckdb'
          ? {
              staged: `(SELECT id, event_date, ${rowFingerprintSql('x')} AS fingerprint FROM ${stage} x)`,
              stored: `(SELECT id, event_date, ${rowFingerprintSql('x')} AS fingerprint FROM events x
                        WHERE x.id IN (SELECT id FROM ${stage}))`,
              differ: 'e.fingerprint <> s.fingerprint',
            }
          : { staged: stage, stored: 'events', differ: rowsDifferSql('e', 's') };
      await session.query(
        `CREATE TEMP TABLE ${writes} AS
         SELECT s.id, e.id IS NULL AS added, s.event_date AS staged_date, e.event_date AS stored_date
         FROM ${compared.staged} s LEFT JOIN ${compared.stored} e ON e.id = s.id
         WHERE e.id IS NULL OR ${compared.differ}`,
      );
      const touched = await touchedByImport(session, stage, writes);
      const [tally] = await session.query<{ staged: number; inserted: number; updated: number }>(
        `SELECT (SELECT COUNT(*) FROM ${stage}) AS staged,
                COUNT(*) FILTER (WHERE added) AS inserted,
                COUNT(*) FILTER (WHERE NOT added) AS updated
         FROM ${writes}`,
      );
      const inserted = Number(tally?.inserted ?? 0);
      const updated = Number(tally?.updated ?? 0);
      const counts = { inserted, updated, unchanged: Number(tally?.staged ?? 0) - inserted - updated };
      // Exposure's sums by position follow every write to events (event-places.ts), read before the delete.
      if (inserted + updated > 0) await eventPlacesOfStage(session, stage, writes, updated > 0);
      // An unchanged re-run skips both statements.
      if (counts.updated > 0) {
        await session.query(`DELETE FROM events WHERE id IN (SELECT id FROM ${writes} WHERE NOT added)`);
      }
      if (counts.inserted + counts.updated > 0) {
        await session.query(
          `INSERT INTO events (${STORED_COLUMNS.join(', ')}, updated_at)
           SELECT ${STORED_COLUMNS.map((c) => `s.${c}`).join(', ')}, CAST($1 AS TIMESTAMP)
           FROM ${stage} s WHERE s.id IN (SELECT id FROM ${writes})`,
          [updatedAt],
        );
      }
      return { counts, touched };
    };

    /** Inserts the selected rows straight into `events`; the primary key refuses an id stored or repeated. */
    const insertSelected = async (chosen: SelectedRows, updatedAt: string): Promise<number> => {
      const n = chosen.params.length;
      const [row] = await session.query<{ Count: number }>(
        `INSERT INTO events (${STORED_COLUMNS.join(', ')}, updated_at)
         SELECT ${stageColumnsOf('q', `$${n + 1}`).join(', ')}, CAST($${n + 2} AS TIMESTAMP)
         FROM (${chosen.rows(false)}) q`,
        [...chosen.params, batchId, updatedAt],
      );
      return Number(row?.Count ?? 0);
    };

    /**
     * One transaction: everything selected and staged, merged, and the batch recorded. `selectedDirectly`:
     * the selected rows go straight into `events` first, then the rows of its `rest` and of `add` are
     * merged (an id among them that the straight insert wrote refuses this way, as the primary key does).
     */
    const commit = async (selectedDirectly: boolean, counts: { rowsRead: number; rowsRejected: number }) => {
      const updatedAt = now().toISOString();
      await session.query('BEGIN TRANSACTION');
      try {
        let rejected = 0;
        let direct = 0;
        await saveRawHeaders(session, headers);
        if (selected && selectedDirectly) {
          direct = await insertSelected(selected, updatedAt);
          if (direct > 0) await selected.rest?.written?.('events');
          rejected = await completeSelected(selected, direct);
          const clash = async () =>
            (
              await session.query(
                `SELECT 1 AS clash FROM ${stage} s JOIN events e ON e.id = s.id WHERE e.batch_id = $1 LIMIT 1`,
                [batchId],
              )
            ).length > 0;
          if (direct > 0 && !(await stageIsEmpty()) && (await clash()))
            throw new RepeatedId('an id of the straight insert is repeated by a staged row');
        }
        // Rows inserted straight from the file were never staged: their sums are read back by batch,
        // before the staged rows join them under the same batch.
        const directMonths = direct > 0 ? await monthsOfBatch(session, batchId) : null;
        if (direct > 0) await eventPlacesOfBatch(session, batchId);
        let distinctIds = false;
        if (selected && !selectedDirectly)
          ({ distinct: distinctIds, rejected } = await stageSelected(selected));
        // After a straight insert the stage is usually empty: nothing to compare with a million stored rows.
        const { counts: tally, touched } =
          selected && selectedDirectly && (await stageIsEmpty())
            ? { counts: { inserted: 0, updated: 0, unchanged: 0 }, touched: { added: [] } }
            : await mergeStage(updatedAt, distinctIds);
        tally.inserted += direct;
        await refreshActorPairMonths(session, touched);
        if (directMonths) await refreshActorPairMonths(session, directMonths);
        await session.query(
          `INSERT INTO import_batches (id, file, sha256, format, rows_read, rows_stored, rows_rejected,
             rows_inserted, rows_updated, started_at, finished_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CAST($10 AS TIMESTAMP), CAST($11 AS TIMESTAMP))`,
          [
            batchId,
            meta.file,
            meta.sha256,
            meta.format,
            counts.rowsRead,
            tally.inserted + tally.updated + tally.unchanged,
            counts.rowsRejected + rejected,
            tally.inserted,
            tally.updated,
            startedAt,
            updatedAt,
          ],
        );
        await session.query('COMMIT');
        return { batchId, ...tally };
      } catch (error) {
        await session.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    };

    return {
      batchId,
      ...(sql ? { sql } : {}),
      async add(events, ordinals) {
        for (const [id, header] of rawHeadersOf(events.map((e) => e.raw))) headers.set(id, header);
        const rows = events.map((event, i) => {
          const cells: Cell[] = EVENT_COLUMNS.map((c) => c.read(event));
          cells[BATCH_CELL] = batchId;
          cells.push(ordinals?.[i] ?? seq++);
          return cells;
        });
        await session.appendRows(stage, STAGE_COLUMNS, rows);
      },
      async finish(counts): Promise<WriteSummary> {
        try {
          // Selected rows go straight into `events`, the usual first ingest of a file, and are staged and
          // merged only when the primary key refuses that: an id already stored (a re-run, a corrected
          // file) or repeated. The refused attempt is rolled back; it stops at the first such row.
          if (!selected) return await commit(false, counts);
          try {
            return await commit(true, counts);
          } catch (error) {
            if (!isKeyConflict(error)) throw error;
            return await commit(false, counts);
          }
        } finally {
          await release();
        }
      },
      abort: release,
    };
  }

  async listBatches(): Promise<ImportBatch[]> {
    const rows = await this.query(
      `SELECT id, file, sha256, format, rows_read, rows_stored, rows_rejected,
              CAST(started_at AS TEXT) AS started_at, CAST(finished_at AS TEXT) AS finished_at
       FROM import_batches ORDER BY started_at`,
    );
    return rows.map((r) => ({
      id: String(r.id),
      file: String(r.file),
      sha256: String(r.sha256),
      format: String(r.format),
      rowsRead: Number(r.rows_read),
      rowsStored: Number(r.rows_stored),
      rowsRejected: Number(r.rows_rejected),
      startedAt: String(r.started_at),
      finishedAt: r.finished_at === null ? null : String(r.finished_at),
    }));
  }

  async events(
    filter: EventFilter,
    page: { limit?: number; after?: string | null; updatedSince?: string } = {},
  ): Promise<EventPage> {
    const params = new Params();
    const where = [filterSql(filter, params)];
    if (page.after) {
      const [date, id] = decodeCursor(page.after);
      const d = params.add(date);
      where.push(
        `(e.event_date < CAST(${d} AS DATE) OR (e.event_date = CAST(${d} AS DATE) AND e.id < ${params.add(id)}))`,
      );
    }
    if (page.updatedSince) where.push(`e.updated_at >= CAST(${params.add(page.updatedSince)} AS TIMESTAMP)`);
    const limit = Math.max(1, Math.min(page.limit ?? 100, 10_000));
    // The page's ids first, reading only the filter's columns; then the full rows of those ids alone, so
    // a page of 100 decodes 100 wide rows rather than every row the filter matches.
    const keys = await this.query<{ id: string }>(
      `SELECT e.id FROM events e
       WHERE ${where.join(' AND ')} ORDER BY e.event_date DESC, e.id DESC LIMIT ${limit + 1}`,
      params.values,
    );
    const pageIds = keys.slice(0, limit).map((k) => String(k.id));
    const byId = new Map<string, EventRecord>();
    // In lists of at most 100 ids: DuckDB looks each id up in its primary key and reads the row column by
    // column. Since its short text columns are kept off FSST (migration 630) a list of 100 costs ~20 ms CPU
    // at a million events against ~35 for two lists of 50 read side by side, which also waited for each
    // other on a busy machine (36 against 64 ms p50, load 10 on 2 cores).
    const chunk = 100;
    const chunks: string[][] = [];
    for (let start = 0; start < pageIds.length; start += chunk)
      chunks.push(pageIds.slice(start, start + chunk));
    const read = async (list: string[]) => {
      const ids = new Params();
      return this.query(
        `SELECT ${eventSelectSql('e')} FROM ${eventsFromSql('e')} WHERE e.id IN (${ids.list(list)})`,
        ids.values,
      );
    };
    // A few lists at a time: a page of 10,000 is 100 lists.
    for (let i = 0; i < chunks.length; i += 4) {
      for (const rows of await Promise.all(chunks.slice(i, i + 4).map(read)))
        for (const row of rows) byId.set(String(row.id), eventFromRow(row));
    }
    const events = pageIds.flatMap((id) => byId.get(id) ?? []);
    const last = events.at(-1);
    return { events, nextCursor: keys.length > limit && last ? encodeCursor(last.eventDate, last.id) : null };
  }

  async eventById(id: string): Promise<EventRecord | null> {
    const rows = await this.query(
      `SELECT ${eventSelectSql('e')} FROM ${eventsFromSql('e')} WHERE e.id = $1`,
      [id],
    );
    return rows[0] ? eventFromRow(rows[0]) : null;
  }

  async countEvents(filter: EventFilter): Promise<number> {
    const params = new Params();
    const [row] = await this.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM events e WHERE ${filterSql(filter, params)}`,
      params.values,
    );
    return Number(row?.n ?? 0);
  }

  async stats(by: readonly StatField[], filter: EventFilter): Promise<StatRow[]> {
    const params = new Params();
    const groupBy = by.map((_, i) => `k${i}`);
    const grouping = groupBy.length ? `GROUP BY ${groupBy.join(', ')} ORDER BY ${groupBy.join(', ')}` : '';
    // Keys and filters of places, types, sources and whole months are summed from place_months.
    const monthly = by.every((field) => field in MONTHLY_STAT_EXPRESSIONS)
      ? placeMonthsWhere(filter, params)
      : null;
    const rows = await this.query(
      monthly
        ? `SELECT ${[
            ...by.map((field, i) => `${MONTHLY_STAT_EXPRESSIONS[field]} AS k${i}`),
            'COALESCE(SUM(m.events), 0) AS events',
            'COALESCE(SUM(m.fatalities), 0) AS fatalities',
          ].join(', ')}
           FROM place_months m WHERE ${monthly} ${grouping}`
        : `SELECT ${[
            ...by.map((field, i) => `${STAT_EXPRESSIONS[field]} AS k${i}`),
            'COUNT(*) AS events',
            'COALESCE(SUM(e.fatalities_best), 0) AS fatalities',
          ].join(', ')}
           FROM events e ${by.includes('actor') ? 'LEFT JOIN actors a ON a.id = e.actor1_id' : ''}
           WHERE ${filterSql(filter, params)} ${grouping}`,
      params.values,
    );
    return rows.map((r) => ({
      keys: Object.fromEntries(by.map((field, i) => [field, (r[`k${i}`] ?? null) as string | number | null])),
      events: Number(r.events),
      fatalities: Number(r.fatalities),
    }));
  }

  /**
   * Stores actors as if one after the other each replaced its row (by id) and each of its aliases' rows (by
   * alias key): the last writer of an id or a key wins, and an alias a re-saved actor no longer lists stays.
   * A few statements in all, not four per alias: a first 1M-row ingest saves ~40 actors with their
   * aliases, and one statement each took ~0.45 s of its wall time on DuckDB (docs/ingest.md, session 5).
   */
  async saveActors(actors: readonly Actor[]): Promise<void> {
    if (actors.length === 0) return;
    const byId = new Map<string, Actor>();
    const byKey = new Map<string, { alias: string; actorId: string }>();
    for (const actor of actors) {
      byId.delete(actor.id); // keep the order of the last write
      byId.set(actor.id, actor);
      for (const alias of new Set([actor.name, ...actor.aliases])) {
        const key = aliasKey(alias);
        if (!key) continue;
        byKey.delete(key);
        byKey.set(key, { alias, actorId: actor.id });
      }
    }
    const rows = [...byId.values()].map((a) => [a.id, a.name, a.kind]);
    const aliasRows = [...byKey].map(([key, a]) => [key, a.alias, a.actorId]);
    await this.transaction(async (tx) => {
      for (const [table, keyColumn, columns, all] of [
        ['actors', 'id', 'id, name, kind', rows],
        ['actor_aliases', 'alias_key', 'alias_key, alias, actor_id', aliasRows],
      ] as const) {
        for (let i = 0; i < all.length; i += 500) {
          const part = all.slice(i, i + 500);
          await tx.query(
            `DELETE FROM ${table} WHERE ${keyColumn} IN (${part.map((_, j) => `$${j + 1}`).join(', ')})`,
            part.map((r) => r[0] ?? null),
          );
          await tx.query(
            `INSERT INTO ${table} (${columns}) VALUES ${part.map((_, j) => `($${3 * j + 1}, $${3 * j + 2}, $${3 * j + 3})`).join(', ')}`,
            part.flat(),
          );
        }
      }
    });
  }

  async listActors(): Promise<Actor[]> {
    const actors = await this.query('SELECT id, name, kind FROM actors ORDER BY name');
    const aliases = await this.query('SELECT actor_id, alias FROM actor_aliases ORDER BY alias');
    const byActor = new Map<string, string[]>();
    for (const row of aliases) {
      const list = byActor.get(String(row.actor_id)) ?? [];
      list.push(String(row.alias));
      byActor.set(String(row.actor_id), list);
    }
    return actors.map((a) => ({
      id: String(a.id),
      name: String(a.name),
      kind: a.kind === null ? null : String(a.kind),
      aliases: (byActor.get(String(a.id)) ?? []).filter((alias) => alias !== a.name),
    }));
  }
}
