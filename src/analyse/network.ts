import type { EventFilter } from '../schema/index.ts';
import type { Queryable } from '../store/contract.ts';
import { filterSql, Params } from '../store/filter-sql.ts';
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
 * The events under study (`ev`) and their associated actors (`assoc`, one row per name, with the event's
 * primary actors carried along). Associated actors may list several names separated by ';'; names map to
 * canonical ids through the alias table when it knows them; a name repeating the event's actor1 or actor2
 * is dropped.
 */
function eventsOnly(where: string): string {
  return `(SELECT e.id, e.event_date, COALESCE(e.fatalities_best, 0) AS f, COALESCE(e.actor1_id, e.actor1) AS a1,
             e.actor1 AS n1, COALESCE(e.actor2_id, e.actor2) AS a2, e.actor2 AS n2, e.assoc_actor1, e.assoc_actor2
      FROM events e WHERE ${where})`;
}

function eventsSql(where: string): string {
  // The events are written out as a subquery wherever used (placeholders may repeat): a CTE used several
  // times is materialised in full by PostgreSQL, a million rows copied before any grouping starts.
  const ev = eventsOnly(where);
  return `assoc AS (
      SELECT DISTINCT id, event_date, f, a1, a2, side, COALESCE(al.actor_id, name) AS actor, name FROM (
        SELECT id, event_date, f, a1, a2, 1 AS side, TRIM(x) AS name
          FROM (SELECT id, event_date, f, a1, a2, UNNEST(STRING_TO_ARRAY(assoc_actor1, ';')) AS x
                FROM ${ev} ev WHERE assoc_actor1 IS NOT NULL) s1
        UNION ALL
        SELECT id, event_date, f, a1, a2, 2, TRIM(x)
          FROM (SELECT id, event_date, f, a1, a2, UNNEST(STRING_TO_ARRAY(assoc_actor2, ';')) AS x
                FROM ${ev} ev WHERE assoc_actor2 IS NOT NULL) s2
      ) split LEFT JOIN actor_aliases al ON al.alias = split.name
      WHERE name <> '' AND COALESCE(al.actor_id, name) <> COALESCE(a1, '') AND COALESCE(al.actor_id, name) <> COALESCE(a2, '')
    )`;
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
  const params = new Params();
  const where = filterSql(options.filter, params);
  const cte = eventsSql(where);
  const ev = eventsOnly(where);
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
     roles AS (
       SELECT a1 AS actor, MIN(n1) AS name, COUNT(*) AS events, SUM(f) AS f, COUNT(*) AS as_primary,
              MIN(event_date) AS first, MAX(event_date) AS last
         FROM ${ev} ev WHERE a1 IS NOT NULL GROUP BY a1
       UNION ALL
       SELECT a2, MIN(n2), COUNT(*), SUM(f), 0, MIN(event_date), MAX(event_date)
         FROM ${ev} ev WHERE a2 IS NOT NULL AND a2 <> COALESCE(a1, '') GROUP BY a2
       UNION ALL
       SELECT actor, MIN(name), COUNT(*), SUM(f), 0, MIN(event_date), MAX(event_date) FROM assoc GROUP BY actor
     )
     SELECT r.actor, MIN(COALESCE(a.name, r.name)) AS label, SUM(r.events) AS events, SUM(r.f) AS fatalities,
            SUM(r.as_primary) AS as_primary, MIN(r.first) AS first, MAX(r.last) AS last
     FROM roles r LEFT JOIN actors a ON a.id = r.actor
     GROUP BY r.actor ORDER BY events DESC, r.actor LIMIT ${limit}`,
    params.values,
  );
  const kept = nodes.map((n) => n.actor);
  let edges: NetworkEdge[] = [];
  if (kept.length > 1) {
    const ep = new Params();
    const edgeWhere = filterSql(options.filter, ep);
    const edgeCte = eventsSql(edgeWhere);
    const ev = eventsOnly(edgeWhere);
    const keep = ep.list(kept);
    const rows = await db.query<Omit<NetworkEdge, 'evidence'> & { first_key: string; last_key: string }>(
      `WITH ${edgeCte},
       pairs AS (
         SELECT id, event_date, f, a1 AS x, a2 AS y, 'opposed' AS kind FROM ${ev} ev WHERE a1 <> a2
         UNION ALL SELECT id, event_date, f, actor, a2, 'opposed' FROM assoc WHERE side = 1 AND a2 IS NOT NULL
         UNION ALL SELECT id, event_date, f, a1, actor, 'opposed' FROM assoc WHERE side = 2 AND a1 IS NOT NULL
         UNION ALL SELECT id, event_date, f, a1, actor, 'allied' FROM assoc WHERE side = 1 AND a1 IS NOT NULL
         UNION ALL SELECT id, event_date, f, a2, actor, 'allied' FROM assoc WHERE side = 2 AND a2 IS NOT NULL
       )
       SELECT LEAST(x, y) AS source, GREATEST(x, y) AS target, kind, COUNT(*) AS events, SUM(f) AS fatalities,
              MIN(event_date) AS first, MAX(event_date) AS last,
              MIN(CAST(event_date AS TEXT) || '|' || id) AS first_key,
              MAX(CAST(event_date AS TEXT) || '|' || id) AS last_key
       FROM pairs WHERE x IN (${keep}) AND y IN (${keep})
       GROUP BY 1, 2, 3 HAVING COUNT(*) >= ${minEvents}
       ORDER BY events DESC, source, target`,
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
