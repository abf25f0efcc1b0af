import type { Queryable, SqlParam, Store } from '../store/contract.ts';

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

/** Inserts rows with multi-row VALUES, every value bound, in chunks that stay under both drivers' limits. */
export async function insertRows(
  db: Queryable,
  table: string,
  columns: readonly string[],
  rows: readonly SqlParam[][],
): Promise<void> {
  const perChunk = Math.max(1, Math.floor(20_000 / columns.length));
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const params: SqlParam[] = [];
    const tuples = chunk.map((row) => {
      const slots = row.map((value) => {
        params.push(value);
        return `$${params.length}`;
      });
      return `(${slots.join(', ')})`;
    });
    await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}
