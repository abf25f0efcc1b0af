import { ActorRegistry } from '../resolve/actor-registry.ts';
import { aliasKey } from '../resolve/alias-key.ts';
import type { Queryable, Store } from '../store/contract.ts';
import { type ActorGroup, listActorGroups, resolveMembers } from './actor-groups.ts';
import { type StoredRelation, storedRelations } from './relations.ts';

export interface ActorMerger {
  into: string;
  member: string;
  /** From this day on the member's events count for `into`; before it they stay with the member. */
  date: string;
  evidence: string | null;
}

export interface ActorEntry {
  id: string;
  name: string;
  kind: string | null;
  aliases: string[];
  /** Events with this actor as actor1 or actor2. */
  events: number;
  first: string | null;
  last: string | null;
  groups: string[];
  mergedInto: { into: string; date: string }[];
  mergedFrom: { member: string; date: string }[];
  /** False for names seen in events that no registry entry claims. */
  canonical: boolean;
}

export interface ActorCatalogue {
  actors: ActorEntry[];
  groups: ActorGroup[];
  mergers: ActorMerger[];
  /** Mergers, collaborations, splits and rivalries read from text, under canonical ids (of the listed actors when searching). */
  relations: StoredRelation[];
}

/**
 * Records that `members` became `into` on `date` (e.g. a confederation turning into one army). Names are
 * stored as the key events are grouped under (`actor1_id`, else `actor1`), so that "BLA" and
 * "BLA: Baloch Liberation Army" both move the events carrying the id baloch-liberation-army, and a name
 * the events carry with no id (a store without the registry's ids) stays as written. Returns the
 * mergers as stored.
 */
export async function addMerger(
  store: Store,
  merger: { into: string; members: readonly string[]; date: string; evidence?: string | null },
): Promise<ActorMerger[]> {
  const registry = await ActorRegistry.fromStore(store);
  const into = await groupingKey(store, registry, merger.into);
  const members = [...new Set(await Promise.all(merger.members.map((m) => groupingKey(store, registry, m))))];
  const evidence = merger.evidence ?? null;
  await store.transaction(async (tx) => {
    for (const member of members) {
      await tx.query('DELETE FROM actor_mergers WHERE into_actor = $1 AND member = $2', [into, member]);
      await tx.query(
        'INSERT INTO actor_mergers (into_actor, member, effective_date, evidence) VALUES ($1, $2, CAST($3 AS DATE), $4)',
        [into, member, merger.date, evidence],
      );
    }
  });
  return members.map((member) => ({ into, member, date: merger.date, evidence }));
}

/** The key a name's events are grouped under: its canonical id, unless events carry the name with no id. */
async function groupingKey(db: Queryable, registry: ActorRegistry, name: string): Promise<string> {
  const id = registry.resolve(name)?.id;
  if (!id) return name;
  const unlinked = await db.query(
    `SELECT 1 AS x FROM events WHERE (actor1 = $1 AND actor1_id IS NULL) OR (actor2 = $1 AND actor2_id IS NULL) LIMIT 1`,
    [name],
  );
  return unlinked.length ? name : id;
}

export async function listMergers(db: Queryable): Promise<ActorMerger[]> {
  const rows = await db.query<{
    into_actor: string;
    member: string;
    effective_date: string;
    evidence: string | null;
  }>(
    'SELECT into_actor, member, effective_date, evidence FROM actor_mergers ORDER BY effective_date, into_actor, member',
  );
  return rows.map((r) => ({
    into: r.into_actor,
    member: r.member,
    date: r.effective_date,
    evidence: r.evidence,
  }));
}

/**
 * Canonical actors with their aliases, activity, groups and dated mergers, followed by names seen in
 * events that no canonical actor claims.
 */
export async function actorCatalogue(
  db: Queryable,
  options: { search?: string; limit?: number } = {},
): Promise<ActorCatalogue> {
  const limit = Math.max(1, Math.min(options.limit ?? 500, 5000));
  const activity = await db.query<{
    actor: string;
    canonical: boolean;
    events: number;
    first: string;
    last: string;
  }>(
    `SELECT actor, MAX(canonical) AS canonical, COUNT(*) AS events, MIN(event_date) AS first, MAX(event_date) AS last FROM (
       SELECT COALESCE(actor1_id, actor1) AS actor, CASE WHEN actor1_id IS NULL THEN 0 ELSE 1 END AS canonical, event_date
         FROM events WHERE COALESCE(actor1_id, actor1) IS NOT NULL
       UNION ALL
       SELECT COALESCE(actor2_id, actor2), CASE WHEN actor2_id IS NULL THEN 0 ELSE 1 END, event_date
         FROM events WHERE COALESCE(actor2_id, actor2) IS NOT NULL
     ) s GROUP BY actor`,
  );
  const actors = await db.query<{ id: string; name: string; kind: string | null }>(
    'SELECT id, name, kind FROM actors',
  );
  const aliases = await db.query<{ actor_id: string; alias: string }>(
    'SELECT actor_id, alias FROM actor_aliases ORDER BY alias',
  );
  const groups = await listActorGroups(db);
  const mergers = await listMergers(db);

  const aliasesOf = new Map<string, string[]>();
  for (const a of aliases) aliasesOf.set(a.actor_id, [...(aliasesOf.get(a.actor_id) ?? []), a.alias]);
  const active = new Map(activity.map((a) => [a.actor, a]));
  const memberOf = new Map<string, string[]>();
  for (const group of groups) {
    const resolved = await resolveMembers(db, group.members);
    for (const key of [...resolved.ids, ...resolved.names])
      memberOf.set(key, [...(memberOf.get(key) ?? []), group.name]);
  }
  const entry = (id: string, name: string, kind: string | null, canonical: boolean): ActorEntry => {
    const a = active.get(id);
    const names = [id, name, ...(aliasesOf.get(id) ?? [])];
    return {
      id,
      name,
      kind,
      aliases: (aliasesOf.get(id) ?? []).filter((x) => x !== name),
      events: Number(a?.events ?? 0),
      first: a?.first ?? null,
      last: a?.last ?? null,
      groups: [...new Set(names.flatMap((n) => memberOf.get(n) ?? []))].sort(),
      mergedInto: mergers
        .filter((m) => names.includes(m.member))
        .map((m) => ({ into: m.into, date: m.date })),
      mergedFrom: mergers
        .filter((m) => names.includes(m.into))
        .map((m) => ({ member: m.member, date: m.date })),
      canonical,
    };
  };
  const known = new Set(actors.map((a) => a.id));
  const list = [
    ...actors.map((a) => entry(a.id, a.name, a.kind, true)),
    ...activity.filter((a) => !known.has(a.actor)).map((a) => entry(a.actor, a.actor, null, false)),
  ];
  const search = options.search ? aliasKey(options.search) : '';
  const filtered = search
    ? list.filter((a) => [a.id, a.name, ...a.aliases].some((n) => aliasKey(n).includes(search)))
    : list;
  filtered.sort((a, b) => b.events - a.events || a.name.localeCompare(b.name));
  const listed = filtered.slice(0, limit);
  const shown = new Set(listed.map((a) => a.id));
  const relations = (await storedRelations(db)).filter(
    (r) => !search || shown.has(r.source) || shown.has(r.target),
  );
  return { actors: listed, groups, mergers, relations };
}
