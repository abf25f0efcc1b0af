import { createHash } from 'node:crypto';
import type { Queryable, SqlParam, SqlRow, Store } from '../store/contract.ts';
import type { Dialect } from '../store/migrations.ts';
import { Blocker, MULTI_REPORT_SOURCES } from './block.ts';
import { ConstrainedClusters } from './cluster.ts';
import { insertRows, listManualLinks } from './links.ts';
import { loadRecordContext, RESOLUTION_COLUMNS, type ResolutionRecord, recordFromRow } from './record.ts';
import { LINK_THRESHOLD } from './score.ts';

export interface ResolveSummary {
  /** True when the links came out exactly as stored, so nothing was written. */
  unchanged: boolean;
  records: number;
  resolvedEvents: number;
  /** Resolved events with more than one source record. */
  mergedEvents: number;
  /** Records that share their resolved event with at least one other record. */
  linkedRecords: number;
  comparisons: number;
  candidatePairs: number;
  rejectedByConstraint: number;
  manualLinks: number;
  manualUnlinks: number;
  seconds: number;
  /** Seconds spent reading and scoring, clustering, and writing. */
  phases: { readAndScore: number; cluster: number; write: number };
}

const PAGE = 20_000;

const tenths = (ms: number) => Math.round(ms / 100) / 10;

const LINK_COLUMNS = [
  { name: 'record_id', type: 'TEXT' },
  { name: 'resolved_id', type: 'TEXT' },
  { name: 'matched_with', type: 'TEXT' },
  { name: 'score', type: 'DOUBLE PRECISION' },
  { name: 'parts', type: 'TEXT' },
  { name: 'rule', type: 'TEXT' },
] as const;

/**
 * Reads the stored records in (date, id) order, page by page, so memory holds one page and the
 * blocking window rather than the whole table.
 */
export async function* streamRecords(db: Queryable, pageSize = PAGE): AsyncGenerator<SqlRow[]> {
  const columns = RESOLUTION_COLUMNS.join(', ');
  let after: [string, string] | null = null;
  for (;;) {
    const params: SqlParam[] = [];
    let where = 'TRUE';
    if (after) {
      params.push(after[0], after[1]);
      where = '(event_date > CAST($1 AS DATE) OR (event_date = CAST($1 AS DATE) AND id > $2))';
    }
    const rows = await db.query(
      `SELECT ${columns} FROM events WHERE ${where} ORDER BY event_date, id LIMIT ${pageSize}`,
      params,
    );
    if (rows.length === 0) return;
    yield rows;
    const last = rows.at(-1)!;
    after = [String(last.event_date), String(last.id)];
    if (rows.length < pageSize) return;
  }
}

/** The resolved event's id: stable while the incident keeps its earliest-id record. */
export function resolvedEventId(memberIds: readonly string[]): string {
  const first = [...memberIds].sort()[0] ?? '';
  return `R${createHash('sha1').update(first).digest('hex').slice(0, 16)}`;
}

interface Edge {
  a: number;
  b: number;
  score: number;
  parts: string;
}

/**
 * Resolves every stored record into incidents and rewrites `event_links` and `resolved_events`.
 * Deterministic and idempotent: the same records and manual links give the same rows.
 */
export async function resolveEvents(
  store: Store,
  options: { clock?: () => Date; force?: boolean } = {},
): Promise<ResolveSummary> {
  const clock = options.clock ?? (() => new Date());
  const started = performance.now();
  const ids: string[] = [];
  const sources: string[] = [];
  const indexOf = new Map<string, number>();
  const clusters = new ConstrainedClusters(
    (i) => sources[i]!,
    (source) => !MULTI_REPORT_SOURCES.has(source),
  );
  const blocker = new Blocker(LINK_THRESHOLD);
  const edges: Edge[] = [];
  const context = await loadRecordContext(store);

  for await (const page of streamRecords(store)) {
    for (const row of page) {
      const record: ResolutionRecord = recordFromRow(row, context);
      indexOf.set(record.id, clusters.add());
      ids.push(record.id);
      sources.push(record.source);
      for (const pair of blocker.push(record)) {
        edges.push({
          a: indexOf.get(pair.a.id)!,
          b: indexOf.get(pair.b.id)!,
          score: pair.score.total,
          parts: JSON.stringify(pair.score.parts),
        });
      }
    }
  }

  const readDone = performance.now();
  const manual = await listManualLinks(store);
  const via = new Map<number, { other: number; score: number | null; parts: string | null; rule: string }>();
  let manualLinks = 0;
  let manualUnlinks = 0;
  for (const link of manual) {
    const a = indexOf.get(link.a);
    const b = indexOf.get(link.b);
    if (a === undefined || b === undefined) continue;
    if (link.kind === 'unlink') {
      clusters.forbid(a, b);
      manualUnlinks++;
    }
  }
  for (const link of manual) {
    const a = indexOf.get(link.a);
    const b = indexOf.get(link.b);
    if (a === undefined || b === undefined || link.kind !== 'link') continue;
    if (clusters.union(a, b, true)) {
      manualLinks++;
      if (!via.has(b)) via.set(b, { other: a, score: null, parts: null, rule: 'manual' });
      if (!via.has(a)) via.set(a, { other: b, score: null, parts: null, rule: 'manual' });
    }
  }

  // Strongest evidence first; ties broken by ids so the outcome never depends on arrival order.
  const byCodeUnits = (p: string, q: string) => (p < q ? -1 : p > q ? 1 : 0);
  edges.sort(
    (x, y) => y.score - x.score || byCodeUnits(ids[x.a]!, ids[y.a]!) || byCodeUnits(ids[x.b]!, ids[y.b]!),
  );
  let rejectedByConstraint = 0;
  for (const edge of edges) {
    if (clusters.find(edge.a) === clusters.find(edge.b)) continue;
    if (!clusters.union(edge.a, edge.b)) {
      rejectedByConstraint++;
      continue;
    }
    if (!via.has(edge.b))
      via.set(edge.b, { other: edge.a, score: edge.score, parts: edge.parts, rule: 'auto' });
    else if (!via.has(edge.a))
      via.set(edge.a, { other: edge.b, score: edge.score, parts: edge.parts, rule: 'auto' });
  }

  const members = new Map<number, number[]>();
  for (let i = 0; i < ids.length; i++) {
    const root = clusters.find(i);
    const list = members.get(root);
    if (list) list.push(i);
    else members.set(root, [i]);
  }
  const linkRows: SqlParam[][] = [];
  let mergedEvents = 0;
  let linkedRecords = 0;
  for (const list of members.values()) {
    const resolvedId = resolvedEventId(list.map((i) => ids[i]!));
    if (list.length > 1) {
      mergedEvents++;
      linkedRecords += list.length;
    }
    for (const i of list) {
      const edge = via.get(i);
      linkRows.push([
        ids[i]!,
        resolvedId,
        edge ? ids[edge.other]! : null,
        edge?.score ?? null,
        edge?.parts ?? null,
        edge?.rule ?? (list.length > 1 ? 'anchor' : 'single'),
      ]);
    }
  }

  const clusterDone = performance.now();
  // A re-run that changes nothing writes nothing: the links are compared with the stored ones first.
  const unchanged = !options.force && (await linksUnchanged(store, linkRows));
  if (!unchanged)
    await store.transaction(async (tx) => {
      await tx.query('DELETE FROM event_links');
      await tx.query('DELETE FROM resolved_events');
      await insertRows(tx, store.dialect, 'event_links', LINK_COLUMNS, linkRows);
      await tx.query(resolvedEventsSql(store.dialect, 'single'), [clock().toISOString()]);
      await tx.query(resolvedEventsSql(store.dialect, 'merged'), [clock().toISOString()]);
    });

  return {
    unchanged,
    records: ids.length,
    resolvedEvents: members.size,
    mergedEvents,
    linkedRecords,
    comparisons: blocker.comparisons,
    candidatePairs: edges.length,
    rejectedByConstraint,
    manualLinks,
    manualUnlinks,
    seconds: tenths(performance.now() - started),
    phases: {
      readAndScore: tenths(readDone - started),
      cluster: tenths(clusterDone - readDone),
      write: tenths(performance.now() - clusterDone),
    },
  };
}

/**
 * True when `event_links` already holds exactly these rows (record, event, partner, score, rule) and
 * no record was re-imported since the resolved events were built (a corrected toll must show).
 */
async function linksUnchanged(db: Queryable, rows: readonly SqlParam[][]): Promise<boolean> {
  const [count] = await db.query('SELECT COUNT(*) AS n FROM event_links');
  if (Number(count?.n ?? 0) !== rows.length || rows.length === 0) return false;
  const [fresh] = await db.query(
    `SELECT (SELECT MAX(updated_at) FROM events) <= (SELECT MIN(resolved_at) FROM resolved_events) AS fresh`,
  );
  if (fresh?.fresh !== true) return false;
  const fingerprint = (r: readonly SqlParam[]) => `${r[0]}|${r[1]}|${r[2] ?? ''}|${r[3] ?? ''}|${r[5]}`;
  const wanted = new Set(rows.map(fingerprint));
  let after = '';
  for (;;) {
    const stored = await db.query(
      `SELECT record_id, resolved_id, matched_with, score, rule FROM event_links WHERE record_id > $1
       ORDER BY record_id LIMIT ${PAGE * 5}`,
      [after],
    );
    if (stored.length === 0) return true;
    for (const r of stored) {
      if (
        !wanted.has(
          fingerprint([r.record_id!, r.resolved_id!, r.matched_with ?? null, r.score ?? null, null, r.rule!]),
        )
      )
        return false;
    }
    after = String(stored.at(-1)!.record_id);
  }
}

/**
 * One row per incident from its linked records. Counts: low = the lowest credible report (each
 * source's low, else its best), high = the highest report, best = the median of the sources' best
 * figures (rounded), so one outlying report moves neither end of the agreement. Type and place come from
 * the record placed most precisely (then dated most precisely, then by id); the date is the earliest of
 * the most precisely dated records: "the 2008 Marriott bombing" in a later article, stored as
 * 2008-01-01 at year precision, must not move the attack of 20 September to New Year's Day.
 */
/** Day before week before month before year: how precisely a record is dated, as a sort key. */
const TIME_RANK = "CASE e.time_precision WHEN 'day' THEN 0 WHEN 'week' THEN 1 WHEN 'month' THEN 2 ELSE 3 END";

export function resolvedEventsSql(dialect: Dialect, which: 'single' | 'merged'): string {
  if (which === 'single') {
    // One record: its own values, no aggregation (most incidents, and the cheap majority of the work).
    return `INSERT INTO resolved_events (id, event_date, end_date, event_type, sub_event_type, admin1, admin2, location,
       latitude, longitude, fatalities_low, fatalities_best, fatalities_high, injured_low, injured_best, injured_high,
       held_low, held_best, held_high, n_records, sources, resolved_at)
     SELECT l.resolved_id, e.event_date, e.end_date, COALESCE(e.event_type, e.attack_type), e.sub_event_type, e.admin1, e.admin2, e.location,
       e.latitude, e.longitude, COALESCE(e.fatalities_low, e.fatalities_best), e.fatalities_best,
       COALESCE(e.fatalities_high, e.fatalities_best), COALESCE(e.injured_low, e.injured_best), e.injured_best,
       COALESCE(e.injured_high, e.injured_best), COALESCE(e.held_low, e.held_best), e.held_best,
       COALESCE(e.held_high, e.held_best), 1, e.source, CAST($1 AS TIMESTAMP)
     FROM event_links l JOIN events e ON e.id = l.record_id WHERE l.rule = 'single'`;
  }
  const median = (column: string) =>
    dialect === 'duckdb'
      ? `CAST(ROUND(quantile_cont(e.${column}, 0.5)) AS INTEGER)`
      : `CAST(ROUND(CAST(percentile_cont(0.5) WITHIN GROUP (ORDER BY e.${column}) AS NUMERIC)) AS INTEGER)`;
  const counts = ['fatalities', 'injured', 'held']
    .map(
      (c) => `MIN(COALESCE(e.${c}_low, e.${c}_best)) AS ${c}_low,
       ${median(`${c}_best`)} AS ${c}_best,
       MAX(COALESCE(e.${c}_high, e.${c}_best)) AS ${c}_high`,
    )
    .join(',\n       ');
  return `INSERT INTO resolved_events (id, event_date, end_date, event_type, sub_event_type, admin1, admin2, location,
       latitude, longitude, fatalities_low, fatalities_best, fatalities_high, injured_low, injured_best, injured_high,
       held_low, held_best, held_high, n_records, sources, resolved_at)
     WITH ranked AS (
       SELECT l.resolved_id, e.event_type, e.sub_event_type, e.admin1, e.admin2, e.location, e.latitude, e.longitude,
              ROW_NUMBER() OVER (PARTITION BY l.resolved_id ORDER BY COALESCE(e.geo_precision, 9),
                ${TIME_RANK}, e.id) AS rn,
              FIRST_VALUE(e.event_date) OVER (PARTITION BY l.resolved_id ORDER BY ${TIME_RANK}, e.event_date) AS precise_date
       FROM event_links l JOIN events e ON e.id = l.record_id WHERE l.rule <> 'single'
     ), agg AS (
       SELECT l.resolved_id,
       MIN(e.event_date) AS event_date,
       MAX(COALESCE(e.end_date, e.event_date)) AS end_date,
       ${counts},
       MAX(e.event_type) AS any_event_type,
       MAX(e.sub_event_type) AS any_sub_event_type,
       MAX(e.attack_type) AS any_attack_type,
       COUNT(*) AS n_records,
       STRING_AGG(DISTINCT e.source, ',' ORDER BY e.source) AS sources
       FROM event_links l JOIN events e ON e.id = l.record_id WHERE l.rule <> 'single'
       GROUP BY l.resolved_id
     )
     SELECT a.resolved_id, r.precise_date, CASE WHEN a.end_date > r.precise_date THEN a.end_date END,
            COALESCE(r.event_type, a.any_event_type, a.any_attack_type),
            COALESCE(r.sub_event_type, a.any_sub_event_type), r.admin1, r.admin2, r.location, r.latitude, r.longitude,
            a.fatalities_low, a.fatalities_best, a.fatalities_high, a.injured_low, a.injured_best, a.injured_high,
            a.held_low, a.held_best, a.held_high, a.n_records, a.sources, CAST($1 AS TIMESTAMP)
     FROM agg a JOIN ranked r ON r.resolved_id = a.resolved_id AND r.rn = 1`;
}
