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
 * Everyone who took part in each event, one row per (event, actor, side): actor1 and its associated
 * actors on side 1, actor2 and its associated actors on side 2. Associated actors may list several names
 * separated by ';'; names map to canonical ids through the alias table when it knows them.
 */
function participantsSql(where: string): string {
  return `ev AS (
      SELECT e.id, e.event_date, COALESCE(e.fatalities_best, 0) AS f, COALESCE(e.actor1_id, e.actor1) AS a1,
             e.actor1 AS n1, COALESCE(e.actor2_id, e.actor2) AS a2, e.actor2 AS n2, e.assoc_actor1, e.assoc_actor2
      FROM events e WHERE ${where}
    ),
    assoc AS (
      SELECT id, side, COALESCE(al.actor_id, name) AS actor, name FROM (
        SELECT id, 1 AS side, TRIM(x) AS name
          FROM (SELECT id, UNNEST(STRING_TO_ARRAY(assoc_actor1, ';')) AS x FROM ev WHERE assoc_actor1 IS NOT NULL) s1
        UNION ALL
        SELECT id, 2, TRIM(x)
          FROM (SELECT id, UNNEST(STRING_TO_ARRAY(assoc_actor2, ';')) AS x FROM ev WHERE assoc_actor2 IS NOT NULL) s2
      ) split LEFT JOIN actor_aliases al ON al.alias = split.name
      WHERE name <> ''
    )`;
}

/**
 * Actors as nodes and the events they share as dated edges, plus dated relations (mergers, and relations
 * extracted from text when the store has them). Pairs come straight from each event's row (actor1 against
 * actor2, each with its associated actors), so no self-join over the events is needed.
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
    `WITH ${cte},
     p AS (
       SELECT id, a1 AS actor, n1 AS name, 1 AS is_primary FROM ev WHERE a1 IS NOT NULL
       UNION ALL SELECT id, a2, n2, 0 FROM ev WHERE a2 IS NOT NULL AND a2 <> COALESCE(a1, '')
       UNION ALL SELECT assoc.id, assoc.actor, assoc.name, 0 FROM assoc
     ),
     per_event AS (SELECT id, actor, MIN(name) AS name, MAX(is_primary) AS is_primary FROM p GROUP BY id, actor)
     SELECT pe.actor, MIN(COALESCE(a.name, pe.name)) AS label, COUNT(*) AS events, SUM(ev.f) AS fatalities,
            SUM(pe.is_primary) AS as_primary, MIN(ev.event_date) AS first, MAX(ev.event_date) AS last
     FROM per_event pe JOIN ev ON ev.id = pe.id LEFT JOIN actors a ON a.id = pe.actor
     GROUP BY pe.actor ORDER BY events DESC, pe.actor LIMIT ${limit}`,
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
      first_key: string;
      last_key: string;
    }>(
      `WITH ${edgeCte},
       side1 AS (SELECT id, a1 AS actor FROM ev WHERE a1 IS NOT NULL UNION ALL SELECT id, actor FROM assoc WHERE side = 1),
       side2 AS (SELECT id, a2 AS actor FROM ev WHERE a2 IS NOT NULL UNION ALL SELECT id, actor FROM assoc WHERE side = 2),
       raw_pairs AS (
         SELECT s1.id, s1.actor AS x, s2.actor AS y, 'opposed' AS kind FROM side1 s1 JOIN side2 s2 ON s2.id = s1.id
         UNION ALL SELECT ev.id, ev.a1, assoc.actor, 'allied' FROM ev JOIN assoc ON assoc.id = ev.id AND assoc.side = 1 WHERE ev.a1 IS NOT NULL
         UNION ALL SELECT ev.id, ev.a2, assoc.actor, 'allied' FROM ev JOIN assoc ON assoc.id = ev.id AND assoc.side = 2 WHERE ev.a2 IS NOT NULL
       ),
       pairs AS (
         SELECT DISTINCT id, LEAST(x, y) AS source, GREATEST(x, y) AS target, kind FROM raw_pairs
         WHERE x <> y AND x IN (${keep}) AND y IN (${keep})
       )
       SELECT pairs.source, pairs.target, pairs.kind, COUNT(*) AS events, SUM(ev.f) AS fatalities,
              MIN(ev.event_date) AS first, MAX(ev.event_date) AS last,
              MIN(CAST(ev.event_date AS TEXT) || '|' || ev.id) AS first_key,
              MAX(CAST(ev.event_date AS TEXT) || '|' || ev.id) AS last_key
       FROM pairs JOIN ev ON ev.id = pairs.id
       GROUP BY pairs.source, pairs.target, pairs.kind HAVING COUNT(*) >= ${minEvents}
       ORDER BY events DESC, pairs.source, pairs.target`,
      ep.values,
    );
    const idOf = (key: string) => key.slice(key.indexOf('|') + 1);
    edges = rows.map((r) => ({
      source: r.source,
      target: r.target,
      kind: r.kind,
      events: Number(r.events),
      fatalities: Number(r.fatalities),
      first: r.first,
      last: r.last,
      evidence: [...new Set([idOf(r.first_key), idOf(r.last_key)])],
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
