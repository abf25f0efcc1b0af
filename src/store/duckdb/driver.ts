import {
  DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { SqlParam, SqlRow } from '../contract.ts';
import type { Cell, Driver, Session } from '../sql-store.ts';

function toCell(value: DuckDBValue): string | number | boolean | null {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
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
  return reader.getRows().map((row) => {
    const out: SqlRow = {};
    names.forEach((name, i) => {
      out[name] = toCell(row[i] ?? null);
    });
    return out as T;
  });
}

class DuckDBSession implements Session {
  readonly dialect = 'duckdb' as const;
  constructor(private readonly connection: DuckDBConnection) {}

  query<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return run<T>(this.connection, sql, params);
  }

  async appendRows(table: string, columns: readonly string[], rows: readonly Cell[][]): Promise<void> {
    const types = await run<{ column_name: string; data_type: string }>(
      this.connection,
      `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = $1 ORDER BY column_index`,
      [table],
    );
    if (types.length !== columns.length) throw new Error(`appendRows: ${table} has ${types.length} columns, got ${columns.length}`);
    const appender = await this.connection.createAppender(table);
    for (const row of rows) {
      row.forEach((cell, i) => {
        if (cell === null) return appender.appendNull();
        const type = types[i]?.data_type;
        if (type === 'DATE') return appender.appendVarchar(String(cell));
        if (type === 'BOOLEAN') return appender.appendBoolean(Boolean(cell));
        if (type === 'INTEGER') return appender.appendInteger(Number(cell));
        if (type === 'BIGINT') return appender.appendBigInt(BigInt(cell as number));
        if (type === 'DOUBLE') return appender.appendDouble(Number(cell));
        return appender.appendVarchar(String(cell));
      });
      appender.endRow();
    }
    appender.closeSync();
  }

  async release(): Promise<void> {
    this.connection.closeSync();
  }
}

/** The embedded store: one DuckDB file, opened by this process alone. */
export class DuckDBDriver implements Driver {
  readonly dialect = 'duckdb' as const;

  private constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<DuckDBDriver> {
    const instance = await DuckDBInstance.create(path);
    return new DuckDBDriver(path, instance, await instance.connect());
  }

  query<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return run<T>(this.connection, sql, params);
  }

  async openSession(): Promise<Session> {
    return new DuckDBSession(await this.instance.connect());
  }

  async prepare(): Promise<void> {}

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
