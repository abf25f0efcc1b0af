import type { Queryable, SqlParam, Store } from '../store/contract.ts';
import { type BulkColumnType, jsonRowSource } from '../store/json-rows.ts';
import type { Dialect } from '../store/migrations.ts';

export type ManualLinkKind = 'link' | 'unlink';

export interface ManualLink {
  a: string;
  b: string;
  kind: ManualLinkKind;
}

/** A pair is stored once, smaller id first, so `link A B` and `link B A` are the same decision. */
function ordered(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

/**
 * Records an analyst's decision that two records are (`link`) or are not (`unlink`) the same incident.
 * It outlives re-runs of `sitrep resolve` and replaces any earlier decision on the same pair.
 */
export async function setManualLink(
  store: Store,
  a: string,
  b: string,
  kind: ManualLinkKind,
  now = new Date(),
) {
  if (a === b) throw new Error(`cannot ${kind} a record with itself: ${a}`);
  const missing: string[] = [];
  for (const id of [a, b]) {
    const [row] = await store.query('SELECT id FROM events WHERE id = $1', [id]);
    if (!row) missing.push(id);
  }
  if (missing.length) throw new Error(`no stored record with id ${missing.join(', ')}`);
  const [x, y] = ordered(a, b);
  await store.transaction(async (tx) => {
    await tx.query('DELETE FROM manual_links WHERE record_a = $1 AND record_b = $2', [x, y]);
    await tx.query(
      'INSERT INTO manual_links (record_a, record_b, kind, created_at) VALUES ($1, $2, $3, CAST($4 AS TIMESTAMP))',
      [x, y, kind, now.toISOString()],
    );
  });
}

export async function listManualLinks(db: Queryable): Promise<ManualLink[]> {
  const rows = await db.query(
    'SELECT record_a, record_b, kind FROM manual_links ORDER BY record_a, record_b',
  );
  return rows.map((r) => ({
    a: String(r.record_a),
    b: String(r.record_b),
    kind: String(r.kind) as ManualLinkKind,
  }));
}

/**
 * Inserts many rows fast through one bound JSON parameter per chunk (`jsonRowSource`): tens of thousands
 * of rows per statement, where bound multi-row VALUES manage a few thousand per second on DuckDB.
 */
export async function insertRows(
  db: Queryable,
  dialect: Dialect,
  table: string,
  columns: readonly { name: string; type: BulkColumnType }[],
  rows: readonly SqlParam[][],
  chunkSize = 50_000,
): Promise<void> {
  const names = columns.map((c) => c.name);
  const sql = `INSERT INTO ${table} (${names.join(', ')})
    SELECT ${names.map((n) => `r.${n}`).join(', ')} FROM ${jsonRowSource(dialect, columns, 'r')}`;
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows
      .slice(start, start + chunkSize)
      .map((row) => Object.fromEntries(names.map((n, i) => [n, row[i] ?? null])));
    await db.query(sql, [JSON.stringify(chunk)]);
  }
}
