import type { EventFilter } from '../schema/index.ts';
import { actorPairRows } from '../store/actor-pair-months.ts';
import type { Queryable } from '../store/contract.ts';
import { filterSql, Params } from '../store/filter-sql.ts';
import type { Dialect } from '../store/migrations.ts';
import { readUntilWrite } from './memo.ts';
import { type StoredRelation, storedRelations } from './relations.ts';

export interface NetworkNode {
  id: string;
  label: string;
  events: number;
  fatalities: number;
  /** Events where the actor is the primary actor (actor1). */
  asPrimary: number;
  first: string;
  last: string;
}

export interface NetworkEdge {
  source: string;
  target: string;
  /** `opposed`: on opposite sides of an event; `allied`: on the same side (actor + associated actor). */
  kind: 'opposed' | 'allied';
  events: number;
  fatalities: number;
  first: string;
  last: string;
  /** Ids of the first and the latest event the two appear in together. */
  evidence: string[];
}

/** A dated relation between two actors: a recorded merger, or one extracted from text. */
export type NetworkRelation = StoredRelation;

export interface NetworkResult {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  /** Dated relations: mergers recorded with `sitrep actors merge`, and relations extracted from text. */
  relations: NetworkRelation[];
}

export interface NetworkOptions {
  filter: EventFilter;
  /** Keep the most active actors (default 50) and the edges among them. */
  limit?: number;
  /** Drop edges seen in fewer events than this (default 1). */
  minEvents?: number;
}

/**
 * The events under study, reduced to what the network reads. Written out as a subquery wherever used
 * (placeholders may repeat): a CTE over a million events would be materialised in full by PostgreSQL.
 */
function eventsUnderStudy(where: string): string {
  return `(SELECT e.id, e.event_date, COALESCE(e.fatalities_best, 0) AS f, COALESCE(e.actor1_id, e.actor1) AS a1,
             e.actor1 AS n1, COALESCE(e.actor2_id, e.actor2) AS a2, e.actor2 AS n2, e.assoc_actor1, e.assoc_actor2
      FROM events e WHERE ${where})`;
}

/**
 * Associated actors of the rows of `source` (which has a1, a2, assoc_actor1, assoc_actor2 and the
 * columns in `carried`): one row per row, side and name, names separated by ';' mapped to canonical ids
 * through the alias table when it knows them; a name repeating the row's actor1 or actor2 is dropped.
 */
function assocSql(source: string, carried: string): string {
  return `SELECT DISTINCT ${carried}, a1, a2, side, COALESCE(al.actor_id, name) AS actor, name FROM (
        SELECT ${carried}, a1, a2, 1 AS side, TRIM(x) AS name
          FROM (SELECT ${carried}, a1, a2, UNNEST(STRING_TO_ARRAY(assoc_actor1, ';')) AS x
                FROM ${source} WHERE assoc_actor1 IS NOT NULL) s1
        UNION ALL
        SELECT ${carried}, a1, a2, 2, TRIM(x)
          FROM (SELECT ${carried}, a1, a2, UNNEST(STRING_TO_ARRAY(assoc_actor2, ';')) AS x
                FROM ${source} WHERE assoc_actor2 IS NOT NULL) s2
      ) split LEFT JOIN actor_aliases al ON al.alias = split.name
      WHERE name <> '' AND COALESCE(al.actor_id, name) <> COALESCE(a1, '') AND COALESCE(al.actor_id, name) <> COALESCE(a2, '')`;
}

/** The pairs of one event (or group of alike events) as (x, y, kind): `prim` and `assoc` are its relations. */
function pairsSql(prim: string, assoc: string, carried: string): string {
  return `SELECT ${carried}, a1 AS x, a2 AS y, 'opposed' AS kind FROM ${prim} WHERE a1 <> a2
      UNION ALL SELECT ${carried}, actor, a2, 'opposed' FROM ${assoc} WHERE side = 1 AND a2 IS NOT NULL
      UNION ALL SELECT ${carried}, a1, actor, 'opposed' FROM ${assoc} WHERE side = 2 AND a1 IS NOT NULL
      UNION ALL SELECT ${carried}, a1, actor, 'allied' FROM ${assoc} WHERE side = 1 AND a1 IS NOT NULL
      UNION ALL SELECT ${carried}, a2, actor, 'allied' FROM ${assoc} WHERE side = 2 AND a2 IS NOT NULL`;
}

/**
 * Where `network` reads its groups of alike events: `prim`, the events grouped by their primary pair, and
 * `assocGroups`, those listing associated actors grouped by those too. Either straight from the events
 * (any filter), or from `actor_pair_months` (whole months, no other filter), which also carries each
 * group's first and last event as `first_key` / `last_key` (`event_date|id`).
 */
interface Groups {
  /** A CTE both read, when they are drawn from one grouping (`name AS (…)`). */
  shared?: string;
  prim: string;
  assocGroups: string;
  keyed: boolean;
}

function groupsFromEvents(where: string): Groups {
  const ev = eventsUnderStudy(where);
  return {
    prim: `SELECT a1, a2, MIN(n1) AS n1, MIN(n2) AS n2, COUNT(*) AS n, SUM(f) AS f,
             MIN(event_date) AS first, MAX(event_date) AS last
      FROM ${ev} ev GROUP BY a1, a2`,
    assocGroups: `SELECT a1, a2, assoc_actor1, assoc_actor2, COUNT(*) AS n, SUM(f) AS f,
             MIN(event_date) AS first, MAX(event_date) AS last
      FROM ${ev} ev WHERE assoc_actor1 IS NOT NULL OR assoc_actor2 IS NOT NULL
      GROUP BY a1, a2, assoc_actor1, assoc_actor2`,
    keyed: false,
  };
}

/**
 * On PostgreSQL the months' rows are grouped once, by every actor column (a thousand groups for the bench's
 * 105k rows over ten years); primary pairs and groups with associated actors are both drawn from that
 * grouping, not from a second pass over the rows (network over all years: a quarter to a third less time).
 * DuckDB, whose time goes to the string minima rather than to the passes, keeps its two groupings.
 */
function groupsFromMonths(rows: string, dialect: Dialect): Groups {
  if (dialect === 'duckdb') {
    const sums = `SUM(events) AS n, SUM(fatalities) AS f, MIN(first) AS first, MAX(last) AS last,
             MIN(first_key) AS first_key, MAX(last_key) AS last_key`;
    return {
      prim: `SELECT a1, a2, MIN(n1) AS n1, MIN(n2) AS n2, ${sums}
      FROM ${rows} m GROUP BY a1, a2`,
      assocGroups: `SELECT a1, a2, assoc_actor1, assoc_actor2, ${sums}
      FROM ${rows} m WHERE assoc_actor1 IS NOT NULL OR assoc_actor2 IS NOT NULL
      GROUP BY a1, a2, assoc_actor1, assoc_actor2`,
      keyed: true,
    };
  }
  return {
    shared: `pair_sums AS MATERIALIZED (
      SELECT a1, a2, assoc_actor1, assoc_actor2, MIN(n1) AS n1, MIN(n2) AS n2, SUM(events) AS n,
             SUM(fatalities) AS f, MIN(first) AS first, MAX(last) AS last,
             MIN(first_key) AS first_key, MAX(last_key) AS last_key
      FROM ${rows} m GROUP BY a1, a2, assoc_actor1, assoc_actor2
    )`,
    prim: `SELECT a1, a2, MIN(n1) AS n1, MIN(n2) AS n2, SUM(n) AS n, SUM(f) AS f, MIN(first) AS first,
             MAX(last) AS last, MIN(first_key) AS first_key, MAX(last_key) AS last_key
      FROM pair_sums GROUP BY a1, a2`,
    assocGroups: `SELECT a1, a2, assoc_actor1, assoc_actor2, n, f, first, last, first_key, last_key
      FROM pair_sums WHERE assoc_actor1 IS NOT NULL OR assoc_actor2 IS NOT NULL`,
    keyed: true,
  };
}

/**
 * The first and latest event of each edge, by `event_date|id`: the CTEs it needs after `edges`, and the
 * edges' rows (`from`) with their two ids (`ids`). From keyed groups, their keys; from the events, ids are
 * costly to carry through a grouping of every event, so they are read back (`dated`) only for the events
 * on an edge's first or last day.
 */
function evidenceSql(groups: Groups, where: string): { ctes: string; from: string; ids: string } {
  if (groups.keyed) {
    const id = (key: string) => `SUBSTRING(g.${key}, POSITION('|' IN g.${key}) + 1)`;
    return { ctes: '', from: 'edges g', ids: `${id('first_key')}, ${id('last_key')}` };
  }
  const ev = eventsUnderStudy(where);
  return {
    ctes: `, dated_events AS MATERIALIZED (
      SELECT id, event_date, a1, a2, assoc_actor1, assoc_actor2 FROM ${ev} ev
      WHERE event_date IN (SELECT first FROM edges UNION SELECT last FROM edges)
    ),
    dated_assoc AS (${assocSql('dated_events', 'id, event_date')}),
    dated AS (${pairsSql('dated_events', 'dated_assoc', 'id, event_date')}),
    evidence AS (
      SELECT g.source, g.target, g.kind,
             MIN(CASE WHEN d.event_date = g.first THEN d.id END) AS first_id,
             MAX(CASE WHEN d.event_date = g.last THEN d.id END) AS last_id
      FROM dated d JOIN edges g ON g.source = LEAST(d.x, d.y) AND g.target = GREATEST(d.x, d.y) AND g.kind = d.kind
      WHERE d.event_date = g.first OR d.event_date = g.last
      GROUP BY g.source, g.target, g.kind
    )`,
    from: 'edges g JOIN evidence v ON v.source = g.source AND v.target = g.target AND v.kind = g.kind',
    ids: 'v.first_id, v.last_id',
  };
}

/**
 * The statement behind `network`. Events alike in their actors count alike, so they are read in groups
 * (see Groups) and only the groups are split into associated actors' names. `nodes` are the most active
 * actors, `edges` the pairs among them. Nodes and edges come back in one result, told apart by `row_kind`.
 * Each actor's roles (primary, other side, associated) are summed in one grouping with its name: fewer
 * operators for DuckDB to plan, whose planning is half the question over whole years.
 */
function networkSql(groups: Groups, where: string, keep: number, minEvents: string): string {
  const stats = `n, f, first, last${groups.keyed ? ', first_key, last_key' : ''}`;
  const keys = groups.keyed ? ', MIN(first_key) AS first_key, MAX(last_key) AS last_key' : '';
  const evidence = evidenceSql(groups, where);
  return `WITH ${groups.shared ? `${groups.shared},` : ''} prim AS MATERIALIZED (${groups.prim}),
    assoc_groups AS (${groups.assocGroups}),
    assoc AS MATERIALIZED (${assocSql('assoc_groups', `assoc_actor1, assoc_actor2, ${stats}`)}),
    roles AS (
      SELECT a1 AS actor, n1 AS name, n, f, n AS as_primary, first, last FROM prim WHERE a1 IS NOT NULL
      UNION ALL
      SELECT a2, n2, n, f, 0, first, last FROM prim WHERE a2 IS NOT NULL AND a2 <> COALESCE(a1, '')
      UNION ALL
      SELECT actor, name, n, f, 0, first, last FROM assoc
    ),
    nodes AS MATERIALIZED (
      SELECT r.actor, MIN(COALESCE(a.name, r.name)) AS label, SUM(r.n) AS events, SUM(r.f) AS fatalities,
             SUM(r.as_primary) AS as_primary, MIN(r.first) AS first, MAX(r.last) AS last
      FROM roles r LEFT JOIN actors a ON a.id = r.actor
      GROUP BY r.actor ORDER BY events DESC, r.actor LIMIT ${keep}
    ),
    pairs AS (${pairsSql('prim', 'assoc', stats)}),
    edges AS MATERIALIZED (
      SELECT LEAST(x, y) AS source, GREATEST(x, y) AS target, kind, SUM(n) AS events, SUM(f) AS fatalities,
             MIN(first) AS first, MAX(last) AS last${keys}
      FROM pairs WHERE x IN (SELECT actor FROM nodes) AND y IN (SELECT actor FROM nodes)
      GROUP BY 1, 2, 3 HAVING SUM(n) >= CAST(${minEvents} AS BIGINT)
    )${evidence.ctes}
    SELECT 'node' AS row_kind, actor AS source, NULL AS target, NULL AS kind, label, events, fatalities, as_primary,
           first, last, NULL AS first_id, NULL AS last_id
      FROM nodes
    UNION ALL
    SELECT 'edge', g.source, g.target, g.kind, NULL, g.events, g.fatalities, NULL, g.first, g.last, ${evidence.ids}
      FROM ${evidence.from}
    ORDER BY row_kind DESC, events DESC, source, target`;
}

/**
 * Actors as nodes and the events they share as dated edges, plus dated relations (mergers, and relations
 * extracted from text when the store has them). Everything is read straight off each event's row (actor1
 * against actor2, each with its associated actors): no self-join over a million events.
 *
 * @example await network(store, { filter: { from: '2023-01-01', admin1: ['Balochistan'] } })
 */
export async function network(db: Queryable, options: NetworkOptions): Promise<NetworkResult> {
  const limit = Math.max(1, Math.min(options.limit ?? 50, 500));
  const minEvents = Math.max(1, options.minEvents ?? 1);
  const params = new Params(db.dialect);
  // Whole years from actor_pair_years, the months around them from actor_pair_months.
  const sums = actorPairRows(options.filter, params, true);
  const where = sums ? 'TRUE' : filterSql(options.filter, params);
  const groups = sums ? groupsFromMonths(sums, db.dialect) : groupsFromEvents(where);
  const [rows, relations] = await Promise.all([
    db.query<{
      row_kind: 'node' | 'edge';
      source: string;
      target: string | null;
      kind: 'opposed' | 'allied' | null;
      label: string | null;
      events: number;
      fatalities: number;
      as_primary: number | null;
      first: string;
      last: string;
      first_id: string | null;
      last_id: string | null;
    }>(networkSql(groups, where, limit, params.add(minEvents)), params.values),
    datedRelations(db, options.filter),
  ]);
  const nodes: NetworkNode[] = [];
  const edges: NetworkEdge[] = [];
  for (const r of rows) {
    if (r.row_kind === 'node') {
      nodes.push({
        id: r.source,
        // As named in the store or the events; null only for an id with neither.
        label: r.label as string,
        events: Number(r.events),
        fatalities: Number(r.fatalities),
        asPrimary: Number(r.as_primary),
        first: r.first,
        last: r.last,
      });
    } else {
      edges.push({
        source: r.source,
        target: r.target ?? '',
        kind: r.kind ?? 'opposed',
        events: Number(r.events),
        fatalities: Number(r.fatalities),
        first: r.first,
        last: r.last,
        evidence: [...new Set([r.first_id ?? '', r.last_id ?? ''])].filter(Boolean),
      });
    }
  }
  return { nodes, edges, relations };
}

/** Mergers recorded in the store, and relations extracted from text when that table exists. */
export async function datedRelations(db: Queryable, filter: EventFilter = {}): Promise<NetworkRelation[]> {
  const params = new Params(db.dialect);
  const range: string[] = [];
  if (filter.to) range.push(`effective_date <= CAST(${params.add(filter.to)} AS DATE)`);
  const mergers = await readUntilWrite<{
    into_actor: string;
    member: string;
    effective_date: string;
    evidence: string | null;
  }>(
    db,
    `SELECT into_actor, member, effective_date, evidence FROM actor_mergers
     ${range.length ? `WHERE ${range.join(' AND ')}` : ''} ORDER BY effective_date, into_actor, member`,
    params.values,
  );
  const relations: NetworkRelation[] = mergers.map((m) => ({
    kind: 'merger',
    source: m.member,
    target: m.into_actor,
    date: m.effective_date,
    evidence: m.evidence,
    origin: 'actor_mergers',
  }));
  return [...relations, ...(await storedRelations(db, filter.to))];
}
