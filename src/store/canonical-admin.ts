import { ALIAS_COUNTRY, canonicalEventAdmin } from '../extract/places/admin-names.ts';
import type { Queryable } from './contract.ts';

const PAIRS_PER_STATEMENT = 1000;

/**
 * Rewrites the admin1/admin2 of stored Pakistani events to the names an ingest now stores
 * (`canonicalEventAdmin`): for stores written before ingest canonicalised them (migration 600). Each
 * distinct pair as stored is mapped once in JavaScript, so the names are exactly what both ingest paths
 * give, and the rows are rewritten by one join per thousand pairs. The copies made from events follow:
 * resolved events linked to a Pakistani record and the places learned from Pakistani events. The
 * rewritten events get `updated_at = now`, so figures remembered from the events (src/analyse/memo.ts)
 * are recomputed. Returns the number of events rewritten.
 */
export async function canonicaliseStoredAdmin(tx: Queryable, now: string): Promise<number> {
  const pairs = await tx.query<{ admin1: string | null; admin2: string | null }>(
    'SELECT DISTINCT admin1, admin2 FROM events WHERE country = $1',
    [ALIAS_COUNTRY],
  );
  // Keyed by the stored text with NULL as '' (both map to the same names), so the joins below are equalities.
  const changes = new Map<string, [string, string, string | null, string | null]>();
  for (const pair of pairs) {
    const place = { country: ALIAS_COUNTRY, admin1: pair.admin1, admin2: pair.admin2 };
    canonicalEventAdmin(place);
    if (place.admin1 === pair.admin1 && place.admin2 === pair.admin2) continue;
    const key: [string, string] = [pair.admin1 ?? '', pair.admin2 ?? ''];
    changes.set(JSON.stringify(key), [...key, place.admin1, place.admin2]);
  }
  const all = [...changes.values()];
  let rewritten = 0;
  for (let i = 0; i < all.length; i += PAIRS_PER_STATEMENT) {
    const part = all.slice(i, i + PAIRS_PER_STATEMENT);
    // The pairs are $1…$4n; the country (and the time) follow them.
    const n = part.length * 4;
    const map = `(VALUES ${part
      .map((_, j) => `(${[1, 2, 3, 4].map((k) => `CAST($${4 * j + k} AS TEXT)`).join(', ')})`)
      .join(', ')}) AS m(old1, old2, new1, new2)`;
    const cells = part.flat();
    const matches = (table: string) =>
      `COALESCE(${table}.admin1, '') = m.old1 AND COALESCE(${table}.admin2, '') = m.old2`;
    // Resolved events first: which ones are Pakistani is read through their records before those change.
    await tx.query(
      `UPDATE resolved_events SET admin1 = m.new1, admin2 = m.new2 FROM ${map}
       WHERE ${matches('resolved_events')} AND resolved_events.id IN (
         SELECT l.resolved_id FROM event_links l JOIN events e ON e.id = l.record_id WHERE e.country = $${n + 1})`,
      [...cells, ALIAS_COUNTRY],
    );
    await tx.query(
      `UPDATE places SET admin1 = m.new1, admin2 = m.new2 FROM ${map}
       WHERE ${matches('places')} AND places.country = $${n + 1}`,
      [...cells, ALIAS_COUNTRY],
    );
    const [row] = await tx.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM events, ${map} WHERE ${matches('events')} AND events.country = $${n + 1}`,
      [...cells, ALIAS_COUNTRY],
    );
    rewritten += Number(row?.n ?? 0);
    await tx.query(
      `UPDATE events SET admin1 = m.new1, admin2 = m.new2, updated_at = CAST($${n + 2} AS TIMESTAMP) FROM ${map}
       WHERE ${matches('events')} AND events.country = $${n + 1}`,
      [...cells, ALIAS_COUNTRY, now],
    );
  }
  return rewritten;
}
