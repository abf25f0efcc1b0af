import type { EventFilter } from '../schema/index.ts';
import type { Queryable } from '../store/contract.ts';
import { filterSql, Params } from '../store/filter-sql.ts';
import { storedRelations } from './relations.ts';

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

export interface NetworkRelation {
  kind: string;
  source: string;
  target: string;
  date: string | null;
  evidence: string | null;
  origin: string | null;
}

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
 * Everyone who took part in each event, one row per (event, actor, side). Associated actors may list
 * several names separated by ';'; names are mapped to canonical ids through the alias table when known.
 */
function participantsSql(where: string): string {
  return `ev AS (
      SELECT e.id, e.event_date, COALESCE(e.fatalities_best, 0) AS f, e.actor1, e.actor1_id, e.actor2, e.actor2_id,
             e.assoc_actor1, e.assoc_actor2
      FROM events e WHERE ${where}
    ),
    raw AS (
      SELECT id, event_date, f, COALESCE(actor1_id, actor1) AS actor, actor1 AS name, 1 AS side, 1 AS is_primary
        FROM ev WHERE COALESCE(actor1_id, actor1) IS NOT NULL
      UNION ALL
      SELECT id, event_date, f, COALESCE(actor2_id, actor2), actor2, 2, 0 FROM ev WHERE COALESCE(actor2_id, actor2) IS NOT NULL
      UNION ALL
      SELECT id, event_date, f, TRIM(x), TRIM(x), 1, 0
        FROM (SELECT id, event_date, f, UNNEST(STRING_TO_ARRAY(assoc_actor1, ';')) AS x FROM ev WHERE assoc_actor1 IS NOT NULL) s1
      UNION ALL
      SELECT id, event_date, f, TRIM(x), TRIM(x), 2, 0
        FROM (SELECT id, event_date, f, UNNEST(STRING_TO_ARRAY(assoc_actor2, ';')) AS x FROM ev WHERE assoc_actor2 IS NOT NULL) s2
    ),
    p AS (
      SELECT r.id, MIN(r.event_date) AS event_date, MIN(r.f) AS f, COALESCE(al.actor_id, r.actor) AS actor,
             MIN(r.name) AS name, MIN(r.side) AS side, MAX(r.is_primary) AS is_primary
      FROM raw r LEFT JOIN actor_aliases al ON al.alias = r.actor
      WHERE r.actor <> ''
      GROUP BY r.id, COALESCE(al.actor_id, r.actor)
    )`;
}

/**
 * Actors as nodes and the events they share as dated edges, plus dated relations (mergers, and relations
 * extracted from text when the store has them).
 *
 * @example await network(store, { filter: { from: '2023-01-01', admin1: ['Balochistan'] } })
 */
export async function network(db: Queryable, options: NetworkOptions): Promise<NetworkResult> {
  const limit = Math.max(1, Math.min(options.limit ?? 50, 500));
  const minEvents = Math.max(1, options.minEvents ?? 1);
  const params = new Params();
  const cte = participantsSql(filterSql(options.filter, params));
  const nodes = await db.query<{
    actor: string;
    label: string;
    events: number;
    fatalities: number;
    as_primary: number;
    first: string;
    last: string;
  }>(
    `WITH ${cte}
     SELECT p.actor, MIN(COALESCE(a.name, p.name)) AS label, COUNT(*) AS events, SUM(p.f) AS fatalities,
            SUM(p.is_primary) AS as_primary, MIN(p.event_date) AS first, MAX(p.event_date) AS last
     FROM p LEFT JOIN actors a ON a.id = p.actor
     GROUP BY p.actor ORDER BY events DESC, p.actor LIMIT ${limit}`,
    params.values,
  );
  const kept = nodes.map((n) => n.actor);
  let edges: NetworkEdge[] = [];
  if (kept.length > 1) {
    const ep = new Params();
    const edgeCte = participantsSql(filterSql(options.filter, ep));
    const keep = ep.list(kept);
    const rows = await db.query<{
      source: string;
      target: string;
      kind: 'opposed' | 'allied';
      events: number;
      fatalities: number;
      first: string;
      last: string;
      first_id: string;
      last_id: string;
    }>(
      `WITH ${edgeCte},
       pairs AS (
         SELECT a.actor AS source, b.actor AS target, CASE WHEN a.side = b.side THEN 'allied' ELSE 'opposed' END AS kind,
                a.id, a.event_date, a.f
         FROM p a JOIN p b ON a.id = b.id AND a.actor < b.actor
         WHERE a.actor IN (${keep}) AND b.actor IN (${keep})
       ),
       ranked AS (
         SELECT pairs.*,
                ROW_NUMBER() OVER (PARTITION BY source, target, kind ORDER BY event_date, id) AS rn_first,
                ROW_NUMBER() OVER (PARTITION BY source, target, kind ORDER BY event_date DESC, id DESC) AS rn_last
         FROM pairs
       )
       SELECT source, target, kind, COUNT(*) AS events, SUM(f) AS fatalities, MIN(event_date) AS first,
              MAX(event_date) AS last, MIN(CASE WHEN rn_first = 1 THEN id END) AS first_id,
              MIN(CASE WHEN rn_last = 1 THEN id END) AS last_id
       FROM ranked GROUP BY source, target, kind HAVING COUNT(*) >= ${minEvents}
       ORDER BY events DESC, source, target`,
      ep.values,
    );
    edges = rows.map((r) => ({
      source: r.source,
      target: r.target,
      kind: r.kind,
      events: Number(r.events),
      fatalities: Number(r.fatalities),
      first: r.first,
      last: r.last,
      evidence: [...new Set([r.first_id, r.last_id])],
    }));
  }
  return {
    nodes: nodes.map((n) => ({
      id: n.actor,
      label: n.label,
      events: Number(n.events),
      fatalities: Number(n.fatalities),
      asPrimary: Number(n.as_primary),
      first: n.first,
      last: n.last,
    })),
    edges,
    relations: await datedRelations(db, options.filter),
  };
}

/** Mergers recorded in the store, and relations extracted from text when that table exists. */
export async function datedRelations(db: Queryable, filter: EventFilter = {}): Promise<NetworkRelation[]> {
  const params = new Params();
  const range: string[] = [];
  if (filter.to) range.push(`effective_date <= CAST(${params.add(filter.to)} AS DATE)`);
  const mergers = await db.query<{
    into_actor: string;
    member: string;
    effective_date: string;
    evidence: string | null;
  }>(
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
