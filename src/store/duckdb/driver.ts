import {
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { SqlParam, SqlRow } from '../contract.ts';
import type { Cell, Driver, Session } from '../sql-store.ts';
import { lockHolder, lockMessage } from './lock-holder.ts';

function toCell(value: DuckDBValue): string | number | boolean | null {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof DuckDBDecimalValue) return Number(value.toString());
  if (value instanceof DuckDBDateValue || value instanceof DuckDBTimestampValue) return value.toString();
  return String(value);
}

async function run<T extends SqlRow>(
  connection: DuckDBConnection,
  sql: string,
  params: readonly SqlParam[],
): Promise<T[]> {
  const reader = await connection.runAndReadAll(sql, params.length ? [...params] : undefined);
  const names = reader.columnNames();
  // Read column by column (a third faster than row by row on tens of thousands of rows), converting only
  // the columns whose values are not already plain JavaScript values.
  const columns = reader
    .getColumns()
    .map((values) =>
      values.every(
        (v) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
      )
        ? (values as Cell[])
        : values.map(toCell),
    );
  const rows: SqlRow[] = new Array(reader.currentRowCount);
  for (let r = 0; r < rows.length; r++) {
    const out: SqlRow = {};
    for (let c = 0; c < names.length; c++) out[names[c] as string] = columns[c]?.[r] ?? null;
    rows[r] = out;
  }
  return rows as T[];
}

/**
 * Whether a statement only reads: a SELECT (or WITH … SELECT) naming no writing keyword. Anything else,
 * and any read that mentions one (even in a string), counts as a write: a needless count only costs a
 * cached figure its reuse.
 */
function onlyReads(sql: string): boolean {
  return (
    /^\s*(SELECT|WITH)\b/i.test(sql) &&
    !/\b(INSERT|UPDATE|DELETE|MERGE|CREATE|DROP|ALTER|TRUNCATE|COPY|IMPORT|ATTACH|DETACH|CHECKPOINT|VACUUM|INSTALL|LOAD|SET|RESET|CALL|PRAGMA)\b/i.test(
      sql,
    )
  );
}

/** Counts writes: once when one starts and once when it ends, so a figure read in between is not reused. */
class WriteCounter {
  count = 0;
  async around<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await work();
    } finally {
      this.count++;
    }
  }
}

class DuckDBSession implements Session {
  readonly dialect = 'duckdb' as const;
  constructor(
    private readonly connection: DuckDBConnection,
    private readonly writes: WriteCounter,
  ) {}

  /** Every statement of a session counts as a write: sessions hold transactions and bulk loads. */
  query<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.writes.around(() => run<T>(this.connection, sql, params));
  }

  /** Column types per table, read once: looking them up per call cost more than appending a chunk. */
  private readonly columnTypes = new Map<string, string[]>();

  private async typesOf(table: string): Promise<string[]> {
    let types = this.columnTypes.get(table);
    if (!types) {
      const rows = await run<{ data_type: string }>(
        this.connection,
        `SELECT data_type FROM duckdb_columns() WHERE table_name = $1 ORDER BY column_index`,
        [table],
      );
      types = rows.map((r) => r.data_type);
      this.columnTypes.set(table, types);
    }
    return types;
  }

  appendRows(table: string, columns: readonly string[], rows: readonly Cell[][]): Promise<void> {
    return this.writes.around(() => this.append(table, columns, rows));
  }

  private async append(table: string, columns: readonly string[], rows: readonly Cell[][]): Promise<void> {
    const types = await this.typesOf(table);
    if (types.length !== columns.length)
      throw new Error(`appendRows: ${table} has ${types.length} columns, got ${columns.length}`);
    if (rows.length === 0) return;
    const appender = await this.connection.createAppender(table);
    const width = types.length;
    for (const row of rows) {
      for (let i = 0; i < width; i++) {
        const cell = row[i] ?? null;
        if (cell === null) {
          appender.appendNull();
          continue;
        }
        const type = types[i];
        if (type === 'VARCHAR' || type === 'DATE') appender.appendVarchar(String(cell));
        else if (type === 'INTEGER') appender.appendInteger(Number(cell));
        else if (type === 'DOUBLE') appender.appendDouble(Number(cell));
        else if (type === 'BOOLEAN') appender.appendBoolean(Boolean(cell));
        else if (type === 'BIGINT') appender.appendBigInt(BigInt(cell as number));
        else appender.appendVarchar(String(cell));
      }
      appender.endRow();
    }
    appender.closeSync();
  }

  async release(): Promise<void> {
    this.writes.count++;
    this.connection.closeSync();
  }
}

/** Read connections per store: the HTTP API answers several questions at once, each on its own thread. */
const READ_CONNECTIONS = 4;

/**
 * Connections on one instance that take turns: a query waits only when every connection is busy, so
 * concurrent requests run in parallel instead of queueing behind one connection. Each connection is used
 * for one statement at a time and in autocommit, so they all see the same committed data.
 */
class ConnectionPool {
  private readonly idle: DuckDBConnection[];
  private readonly waiting: ((connection: DuckDBConnection) => void)[] = [];

  constructor(readonly connections: readonly DuckDBConnection[]) {
    this.idle = [...connections];
  }

  private running = 0;
  private drained: (() => void)[] = [];

  async use<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    this.running++;
    try {
      const connection =
        this.idle.pop() ?? (await new Promise<DuckDBConnection>((resolve) => this.waiting.push(resolve)));
      try {
        return await work(connection);
      } finally {
        const next = this.waiting.shift();
        if (next) next(connection);
        else this.idle.push(connection);
      }
    } finally {
      this.running--;
      if (this.running === 0) for (const resolve of this.drained.splice(0)) resolve();
    }
  }

  /** Resolves once no statement runs or waits: closing DuckDB under a running query hangs or crashes it. */
  drain(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.drained.push(resolve));
  }
}

/** The embedded store: one DuckDB file, opened by this process alone. */
export class DuckDBDriver implements Driver {
  readonly dialect = 'duckdb' as const;

  private constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly pool: ConnectionPool,
  ) {}

  /**
   * No other process writes the file while this one has it open (DuckDB locks it: this process is its one
   * writer, or one of its readers), so every write to it is counted here.
   */
  private readonly writes = new WriteCounter();

  writeCount(): number {
    return this.writes.count;
  }

  /**
   * Opens the file for reading and writing, or with `readOnly` for reading only: several processes may
   * read one file at once (a `sitrep serve` without a token and any number of questions), but only one may
   * write it, and only while no other reads it.
   */
  static async open(path: string, options: { readOnly?: boolean } = {}): Promise<DuckDBDriver> {
    const instance = await DuckDBInstance.create(
      path,
      options.readOnly ? { access_mode: 'READ_ONLY' } : undefined,
    ).catch((error: unknown) => {
      // Say which process holds the file, in which role, and what to do, instead of DuckDB's lock text.
      const holder = lockHolder(error);
      if (holder)
        throw new Error(lockMessage(path, holder, options.readOnly ? 'read' : 'write'), { cause: error });
      throw error;
    });
    const connections = await Promise.all(Array.from({ length: READ_CONNECTIONS }, () => instance.connect()));
    return new DuckDBDriver(path, instance, new ConnectionPool(connections));
  }

  query<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    const read = () => this.pool.use((connection) => run<T>(connection, sql, params));
    return onlyReads(sql) ? read() : this.writes.around(read);
  }

  async openSession(): Promise<Session> {
    return new DuckDBSession(await this.instance.connect(), this.writes);
  }

  async prepare(): Promise<void> {}

  async close(): Promise<void> {
    await this.pool.drain();
    for (const connection of this.pool.connections) connection.closeSync();
    this.instance.closeSync();
  }
}
