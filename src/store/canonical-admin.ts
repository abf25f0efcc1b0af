import { ALIAS_COUNTRY, canonicalEventAdmin, districtOf } from '../extract/places/admin-names.ts';
import { Gazetteer } from '../extract/places/gazetteer.ts';
import type { Queryable, SqlParam } from './contract.ts';

const PAIRS_PER_STATEMENT = 1000;

/** A stored (admin1, admin2) pair, NULL as '', and the names it is now stored under. */
type Rename = [old1: string, old2: string, new1: string | null, new2: string | null];

/**
 * The distinct admin1/admin2 pairs of `table`'s Pakistani rows (those `where` also picks) that
 * `canonicalEventAdmin` would store otherwise. Mapped in JavaScript, once a pair, so SQL-written rows get
 * exactly the names the JavaScript ingest path gives.
 */
async function renames(tx: Queryable, table: string, where: string, params: SqlParam[]): Promise<Rename[]> {
  const pairs = await tx.query<{ admin1: string | null; admin2: string | null }>(
    `SELECT DISTINCT admin1, admin2 FROM ${table} WHERE country = $1${where}`,
    [ALIAS_COUNTRY, ...params],
  );
  // Keyed by the text with NULL as '' (both map to the same names), so the joins below are equalities.
  const out = new Map<string, Rename>();
  for (const pair of pairs) {
    const place = { country: ALIAS_COUNTRY, admin1: pair.admin1, admin2: pair.admin2 };
    canonicalEventAdmin(place);
    if (place.admin1 === pair.admin1 && place.admin2 === pair.admin2) continue;
    const key: [string, string] = [pair.admin1 ?? '', pair.admin2 ?? ''];
    out.set(JSON.stringify(key), [...key, place.admin1, place.admin2]);
  }
  return [...out.values()];
}

/**
 * Runs `statement(map, n)` for each thousand renames: `map` is a VALUES list `m(old1, old2, new1, new2)`
 * over parameters $1…$n; the statement's own parameters follow.
 */
async function inChunks(
  all: Rename[],
  statement: (map: string, n: number, cells: SqlParam[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < all.length; i += PAIRS_PER_STATEMENT) {
    const part = all.slice(i, i + PAIRS_PER_STATEMENT);
    const map = `(VALUES ${part
      .map((_, j) => `(${[1, 2, 3, 4].map((k) => `CAST($${4 * j + k} AS TEXT)`).join(', ')})`)
      .join(', ')}) AS m(old1, old2, new1, new2)`;
    await statement(map, part.length * 4, part.flat());
  }
}

const matches = (table: string) =>
  `COALESCE(${table}.admin1, '') = m.old1 AND COALESCE(${table}.admin2, '') = m.old2`;

/**
 * The ingest's DuckDB path: the rows of one import (`batch_id`) in `table` (`events` or the import's
 * stage), written by SQL with the names as the file has them, get the names the JavaScript path stores.
 * Runs inside the import's transaction before anything reads the rows, so the comparison with stored
 * events (0 new / 0 updated on a re-run) sees canonical names. Rows whose names are canonical already (in
 * an ACLED export, nearly all) are not touched; the cost is one DISTINCT over the batch's three columns.
 */
export async function canonicaliseBatchAdmin(tx: Queryable, table: string, batchId: string): Promise<void> {
  const all = await renames(tx, table, ' AND batch_id = $2', [batchId]);
  await inChunks(all, (map, n, cells) =>
    tx.query(
      `UPDATE ${table} SET admin1 = m.new1, admin2 = m.new2 FROM ${map}
       WHERE ${matches(table)} AND ${table}.country = $${n + 1} AND ${table}.batch_id = $${n + 2}`,
      [...cells, ALIAS_COUNTRY, batchId],
    ),
  );
}

/**
 * Rewrites the admin1/admin2 of stored Pakistani events to the names an ingest now stores, for stores
 * written before ingest canonicalised them (migration 600), and the copies made from them: resolved
 * events linked to a Pakistani record, and places learned from Pakistani events. The rewritten events get
 * `updated_at = now`, so figures remembered from the events (src/analyse/memo.ts) are recomputed. Returns
 * the number of events rewritten.
 */
export async function canonicaliseStoredAdmin(tx: Queryable, now: string): Promise<number> {
  const all = await renames(tx, 'events', '', []);
  let rewritten = 0;
  await inChunks(all, async (map, n, cells) => {
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
  });
  return rewritten;
}

/** A stored point with no district, its province as stored ('' for none), and the district it lies in. */
type Placement = [latitude: number, longitude: number, old1: string, new1: string | null, new2: string];

/**
 * Gives Pakistani rows of `table` that name no district the one their coordinates fall in
 * (`districtOf`: precise points only, and only inside the province the row names), as the JavaScript
 * ingest path does (`CountryOf.fill`). Looked up once per distinct point and province. `batchId` limits
 * it to one import's rows; `updatedAt` stamps the rows it changes (a migration, so remembered figures are
 * recomputed).
 */
export async function fillDistrictsFromPoints(
  tx: Queryable,
  table: string,
  options: { batchId?: string; updatedAt?: string } = {},
): Promise<void> {
  const batch = options.batchId === undefined ? '' : ' AND batch_id = $2';
  const unplaced = `country = $1 AND admin2 IS NULL AND latitude IS NOT NULL AND longitude IS NOT NULL
    AND (geo_precision IS NULL OR geo_precision <= 2)`;
  const points = await tx.query<{
    latitude: number;
    longitude: number;
    admin1: string | null;
    geo_precision: number | null;
  }>(
    `SELECT DISTINCT latitude, longitude, admin1, geo_precision FROM ${table} WHERE ${unplaced}${batch}`,
    options.batchId === undefined ? [ALIAS_COUNTRY] : [ALIAS_COUNTRY, options.batchId],
  );
  if (points.length === 0) return;
  const gazetteer = await Gazetteer.load();
  const placements = new Map<string, Placement>();
  for (const p of points) {
    const event = {
      country: ALIAS_COUNTRY,
      admin1: p.admin1,
      admin2: null,
      latitude: Number(p.latitude),
      longitude: Number(p.longitude),
      geoPrecision: p.geo_precision === null ? null : Number(p.geo_precision),
    };
    const district = districtOf(event, gazetteer.locate(event.latitude, event.longitude));
    if (!district?.admin2) continue;
    const placement: Placement = [
      event.latitude,
      event.longitude,
      p.admin1 ?? '',
      district.admin1,
      district.admin2,
    ];
    placements.set(JSON.stringify(placement.slice(0, 3)), placement);
  }
  const all = [...placements.values()];
  for (let i = 0; i < all.length; i += PAIRS_PER_STATEMENT) {
    const part = all.slice(i, i + PAIRS_PER_STATEMENT);
    const map = `(VALUES ${part
      .map(
        (_, j) =>
          `(CAST($${5 * j + 1} AS DOUBLE PRECISION), CAST($${5 * j + 2} AS DOUBLE PRECISION), ${[3, 4, 5]
            .map((k) => `CAST($${5 * j + k} AS TEXT)`)
            .join(', ')})`,
      )
      .join(', ')}) AS m(lat, lon, old1, new1, new2)`;
    const n = part.length * 5;
    const params: SqlParam[] = [...part.flat(), ALIAS_COUNTRY];
    const where = [
      `${table}.latitude = m.lat AND ${table}.longitude = m.lon AND COALESCE(${table}.admin1, '') = m.old1`,
      `${table}.admin2 IS NULL AND ${table}.country = $${n + 1}`,
      `(${table}.geo_precision IS NULL OR ${table}.geo_precision <= 2)`,
    ];
    let set = 'admin1 = m.new1, admin2 = m.new2';
    if (options.batchId !== undefined) {
      params.push(options.batchId);
      where.push(`${table}.batch_id = $${params.length}`);
    }
    if (options.updatedAt !== undefined) {
      params.push(options.updatedAt);
      set += `, updated_at = CAST($${params.length} AS TIMESTAMP)`;
    }
    await tx.query(`UPDATE ${table} SET ${set} FROM ${map} WHERE ${where.join(' AND ')}`, params);
  }
}
