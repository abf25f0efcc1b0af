import type { Dialect } from './migrations.ts';

export type BulkColumnType = 'TEXT' | 'DOUBLE PRECISION' | 'INTEGER';

const DUCKDB_TYPES: Record<BulkColumnType, string> = {
  TEXT: 'VARCHAR',
  'DOUBLE PRECISION': 'DOUBLE',
  INTEGER: 'INTEGER',
};

/**
 * A FROM-clause row source over one bound JSON parameter (`$1`, an array of objects keyed by column name),
 * unpacked by the database (DuckDB `from_json`, PostgreSQL `json_to_recordset`). Binding one JSON text
 * instead of a parameter per cell is what makes bulk writes fast: DuckDB spends ~150 µs binding a row of
 * a dozen parameters.
 *
 * @example `INSERT INTO t (a, b) SELECT r.a, r.b FROM ${jsonRowSource('duckdb', columns, 'r')}`
 */
export function jsonRowSource(
  dialect: Dialect,
  columns: readonly { name: string; type: BulkColumnType }[],
  alias: string,
): string {
  if (dialect === 'postgres') {
    return `json_to_recordset(CAST($1 AS json)) AS ${alias}(${columns.map((c) => `${c.name} ${c.type}`).join(', ')})`;
  }
  const shape = JSON.stringify([Object.fromEntries(columns.map((c) => [c.name, DUCKDB_TYPES[c.type]]))]);
  return `(SELECT unnest(from_json($1, '${shape}'), recursive := true)) ${alias}`;
}
