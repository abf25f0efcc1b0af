import { createHash } from 'node:crypto';
import type { Queryable } from '../store/contract.ts';

/** A relation between actors as extraction reports it (src/schema/extraction.ts `Relation`). */
export interface TextRelation {
  kind: string;
  actors: readonly string[];
  new_name: string | null;
  date: string | null;
  evidence: { start: number; end: number };
}

export interface StoredRelation {
  kind: string;
  source: string;
  target: string;
  date: string | null;
  evidence: string | null;
  origin: string | null;
}

/**
 * One dated edge per pair a relation names: a merger links each member to the new name, a collaboration
 * or rivalry links every pair. The evidence is the sentence span quoted from the text.
 */
export function relationEdges(
  relations: readonly TextRelation[],
  text: string,
  origin: string | null,
): StoredRelation[] {
  const edges: StoredRelation[] = [];
  for (const r of relations) {
    const evidence = text.slice(r.evidence.start, r.evidence.end).trim() || null;
    const date =
      r.date && /^\d{4}-\d{2}-\d{2}$/.test(r.date)
        ? r.date
        : r.date && /^\d{4}-\d{2}$/.test(r.date)
          ? `${r.date}-01`
          : r.date && /^\d{4}$/.test(r.date)
            ? `${r.date}-01-01`
            : null;
    if (r.kind === 'merger' && r.new_name) {
      for (const actor of r.actors)
        if (actor !== r.new_name)
          edges.push({ kind: r.kind, source: actor, target: r.new_name, date, evidence, origin });
      continue;
    }
    for (let i = 0; i < r.actors.length; i++) {
      for (let j = i + 1; j < r.actors.length; j++) {
        edges.push({
          kind: r.kind,
          source: r.actors[i] ?? '',
          target: r.actors[j] ?? '',
          date,
          evidence,
          origin,
        });
      }
    }
  }
  return edges.filter((e) => e.source && e.target);
}

/** Stores relation edges (idempotent: the same edge from the same origin is kept once). */
export async function saveRelations(
  store: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  edges: readonly StoredRelation[],
  now: Date = new Date(),
): Promise<number> {
  return store.transaction(async (tx) => {
    for (const e of edges) {
      const id = createHash('sha1')
        .update(JSON.stringify([e.kind, e.source, e.target, e.date, e.origin]))
        .digest('base64url');
      await tx.query('DELETE FROM actor_relations WHERE id = $1', [id]);
      await tx.query(
        `INSERT INTO actor_relations (id, kind, source_actor, target_actor, relation_date, evidence, origin, created_at)
         VALUES ($1, $2, $3, $4, CAST($5 AS DATE), $6, $7, CAST($8 AS TIMESTAMP))`,
        [id, e.kind, e.source, e.target, e.date, e.evidence, e.origin, now.toISOString()],
      );
    }
    return edges.length;
  });
}

/** Relations recorded from text, optionally only those dated on or before `to`. */
export async function storedRelations(db: Queryable, to?: string): Promise<StoredRelation[]> {
  const rows = await db.query<{
    kind: string;
    source_actor: string;
    target_actor: string;
    relation_date: string | null;
    evidence: string | null;
    origin: string | null;
  }>(
    `SELECT kind, source_actor, target_actor, relation_date, evidence, origin FROM actor_relations
     ${to ? 'WHERE relation_date IS NULL OR relation_date <= CAST($1 AS DATE)' : ''}
     ORDER BY relation_date, kind, source_actor, target_actor`,
    to ? [to] : [],
  );
  return rows.map((r) => ({
    kind: r.kind,
    source: r.source_actor,
    target: r.target_actor,
    date: r.relation_date,
    evidence: r.evidence,
    origin: r.origin,
  }));
}
