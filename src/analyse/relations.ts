import { createHash } from 'node:crypto';
import type { Queryable } from '../store/contract.ts';
import { quoteClip } from './format.ts';
import { readUntilWrite } from './memo.ts';

/** A relation between actors as extraction reports it (src/schema/extraction.ts `Relation`). */
export interface TextRelation {
  kind: string;
  actors: readonly string[];
  /** `actors` as the text writes them; the names themselves when absent. */
  actors_text?: readonly string[];
  new_name: string | null;
  date: string | null;
  evidence: { start: number; end: number };
}

export interface StoredRelation {
  kind: string;
  /** Canonical actor id, as network nodes and events' actor ids use it; the name when no actor is known. */
  source: string;
  target: string;
  /** The names as the text wrote them (absent for mergers recorded by hand, which name ids or names). */
  sourceName?: string;
  targetName?: string;
  date: string | null;
  evidence: string | null;
  origin: string | null;
}

/** A name to its canonical actor id, or null when no actor goes by it (`ActorRegistry.resolve`). */
export type ActorIdOf = (name: string) => string | null;

/** A relation's date as a day: a month or a year written alone stands for its first day. */
function relationDay(date: string | null): string | null {
  if (!date) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  if (/^\d{4}-\d{2}$/.test(date)) return `${date}-01`;
  if (/^\d{4}$/.test(date)) return `${date}-01-01`;
  return null;
}

/**
 * One dated edge per pair a relation names: a merger links each member to the new name, a collaboration
 * or rivalry links every pair. Each side is stored under its canonical id (so relations join the network's
 * nodes) with the name as written beside it. The evidence is the sentence span quoted from the text.
 */
export function relationEdges(
  relations: readonly TextRelation[],
  text: string,
  origin: string | null,
  actorIdOf: ActorIdOf = () => null,
): StoredRelation[] {
  const edges: StoredRelation[] = [];
  for (const r of relations) {
    const evidence = text.slice(r.evidence.start, r.evidence.end).trim() || null;
    const date = relationDay(r.date);
    const side = (i: number) => ({
      name: r.actors[i] ?? '',
      written: r.actors_text?.[i] ?? r.actors[i] ?? '',
    });
    const edge = (a: { name: string; written: string }, b: { name: string; written: string }) =>
      edges.push({
        kind: r.kind,
        source: actorIdOf(a.name) ?? a.name,
        target: actorIdOf(b.name) ?? b.name,
        sourceName: a.written,
        targetName: b.written,
        date,
        evidence,
        origin,
      });
    if (r.kind === 'merger' && r.new_name) {
      const into = { name: r.new_name, written: r.new_name };
      for (let i = 0; i < r.actors.length; i++) if (r.actors[i] !== r.new_name) edge(side(i), into);
      continue;
    }
    for (let i = 0; i < r.actors.length; i++) {
      for (let j = i + 1; j < r.actors.length; j++) edge(side(i), side(j));
    }
  }
  return edges.filter((e) => e.source && e.target && e.source !== e.target);
}

/** Stores relation edges (idempotent: the same edge from the same origin is kept once). */
export async function saveRelations(
  store: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  edges: readonly StoredRelation[],
  now: Date = new Date(),
): Promise<number> {
  return store.transaction((tx) => writeRelations(tx, edges, now));
}

/**
 * `saveRelations` inside a caller's transaction, so a document and the relations read from it change
 * together. With `replaceOrigin`, the relations that origin stored before are dropped first: a document
 * read again leaves only what it says now.
 */
export async function writeRelations(
  tx: Queryable,
  edges: readonly StoredRelation[],
  now: Date,
  replaceOrigin?: string,
): Promise<number> {
  if (replaceOrigin !== undefined)
    await tx.query('DELETE FROM actor_relations WHERE origin = $1', [replaceOrigin]);
  for (const e of edges) {
    const id = createHash('sha1')
      .update(JSON.stringify([e.kind, e.source, e.target, e.date, e.origin]))
      .digest('base64url');
    await tx.query('DELETE FROM actor_relations WHERE id = $1', [id]);
    await tx.query(
      `INSERT INTO actor_relations (id, kind, source_actor, target_actor, source_name, target_name, relation_date,
         evidence, origin, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS DATE), $8, $9, CAST($10 AS TIMESTAMP))`,
      [
        id,
        e.kind,
        e.source,
        e.target,
        e.sourceName ?? e.source,
        e.targetName ?? e.target,
        e.date,
        e.evidence,
        e.origin,
        now.toISOString(),
      ],
    );
  }
  return edges.length;
}

/** Relations recorded from text, optionally only those dated on or before `to`. */
export async function storedRelations(db: Queryable, to?: string): Promise<StoredRelation[]> {
  const rows = await readUntilWrite<{
    kind: string;
    source_actor: string;
    target_actor: string;
    source_name: string | null;
    target_name: string | null;
    relation_date: string | null;
    evidence: string | null;
    origin: string | null;
  }>(
    db,
    `SELECT kind, source_actor, target_actor, source_name, target_name, relation_date, evidence, origin
     FROM actor_relations
     ${to ? 'WHERE relation_date IS NULL OR relation_date <= CAST($1 AS DATE)' : ''}
     ORDER BY relation_date, kind, source_actor, target_actor`,
    to ? [to] : [],
  );
  return rows.map((r) => ({
    kind: r.kind,
    source: r.source_actor,
    target: r.target_actor,
    sourceName: r.source_name ?? r.source_actor,
    targetName: r.target_name ?? r.target_actor,
    date: r.relation_date,
    evidence: r.evidence,
    origin: r.origin,
  }));
}

/**
 * One relation as a line of text: canonical ids, with the words of the text beside them where they differ.
 *
 * @example relationLine(edge) // '2025-03-01  merger: Baloch separatist groups → balochistan-national-army ("Balochistan National Army")'
 */
export function relationLine(r: StoredRelation): string {
  const side = (id: string, name: string | undefined) => (name && name !== id ? `${id} ("${name}")` : id);
  const evidence = r.evidence ? `  “${quoteClip(r.evidence, 160)}”` : '';
  return `${r.date ?? 'undated'}  ${r.kind}: ${side(r.source, r.sourceName)} → ${side(r.target, r.targetName)}${evidence}`;
}
