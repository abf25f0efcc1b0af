import pg from 'pg';
import type { SqlParam, SqlRow } from '../contract.ts';
import type { Cell, Driver, Session } from '../sql-store.ts';

// Rows come back as the contract says: counts as numbers, dates and timestamps as text.
const TYPE_PARSERS: Record<number, (value: string) => unknown> = {
  20: Number, // int8
  1700: Number, // numeric
  1082: (v) => v, // date
  1114: (v) => v, // timestamp
  1184: (v) => v, // timestamptz
};
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    TYPE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** Any fixed number: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK_KEY = 7_364_873;

/** PostgreSQL caps bound parameters per statement at 65,535. */
const MAX_PARAMS = 60_000;

async function appendRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly Cell[][],
): Promise<void> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values: Cell[] = [];
    const tuples = chunk.map((row) => {
      const placeholders = row.map((cell) => {
        values.push(cell);
        return `$${values.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
  }
}

/**
 * The server store. `?schema=NAME` in the URL keeps Sitrep's tables in their own schema
 * (tests use it to work side by side and drop what they made).
 */
export class PostgresDriver implements Driver {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly schema: string | null;

  constructor(readonly location: string) {
    const url = new URL(location);
    this.schema = url.searchParams.get('schema');
    if (this.schema !== null && !/^[a-z_][a-z0-9_]*$/.test(this.schema)) {
      throw new Error(`invalid schema name "${this.schema}": use lower-case letters, digits and _`);
    }
    url.searchParams.delete('schema');
    // The search path goes in the start-up options, so it holds from the first statement on every connection.
    // JIT compilation is off: it starts above a planner cost that the network's statement over its monthly
    // sums reaches (an estimate, not the work), and compiling took 0.5–0.7 s of a statement that runs in
    // less than the compilation; Sitrep's statements are short analytical reads that gain nothing from it.
    this.pool = new pg.Pool({
      connectionString: url.toString(),
      types,
      max: 10,
      options: `-c jit=off${this.schema ? ` -c search_path=${this.schema}` : ''}`,
    });
    this.pool.on('error', () => undefined);
  }

  async query<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    const result = await this.pool.query(sql, [...params]);
    return result.rows as T[];
  }

  async openSession(): Promise<Session> {
    const client = await this.pool.connect();
    return {
      dialect: 'postgres',
      query: async <T extends SqlRow = SqlRow>(sql: string, params: readonly SqlParam[] = []) =>
        (await client.query(sql, [...params])).rows as T[],
      appendRows: (table, columns, rows) => appendRows(client, table, columns, rows),
      release: async () => client.release(),
    };
  }

  async prepare(): Promise<void> {
    if (this.schema) await this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
  }

  async withMigrationLock<T>(work: () => Promise<T>): Promise<T> {
    // Workers started together on a fresh database would otherwise race to create the same tables.
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
