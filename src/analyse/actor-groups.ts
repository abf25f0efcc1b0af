import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ActorRegistry } from '../resolve/actor-registry.ts';
import { aliasKey } from '../resolve/alias-key.ts';
import type { Queryable } from '../store/contract.ts';
import { memoised, readUntilWrite } from './memo.ts';

/** A named set of actors ("Baloch separatist groups") usable wherever an actor filter is. */
export const ActorGroup = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(2000).nullable().default(null),
  /** Provinces the group is at home in; events elsewhere count as "outside home" in spread. */
  homeAdmin1: z.array(z.string().min(1).max(200)).max(20).default([]),
  /** Phrases that name the group in text, for claim parsing ("Baloch insurgent groups"). */
  aliases: z.array(z.string().min(1).max(200)).max(50).default([]),
  /** Canonical actor ids, names or aliases; resolved through the store's alias table. */
  members: z.array(z.string().min(1).max(200)).min(1).max(200),
  /** True for groups shipped in data/actor-groups.json and not overridden in the store. */
  builtin: z.boolean().default(false),
});
export type ActorGroup = z.infer<typeof ActorGroup>;

const GroupFile = z.object({
  $comment: z.string().optional(),
  groups: z.array(
    z.object({
      name: z.string(),
      description: z.string().nullable().optional(),
      home_admin1: z.array(z.string()).optional(),
      aliases: z.array(z.string()).optional(),
      members: z.array(z.string()).min(1),
    }),
  ),
});

const DEFAULT_GROUPS_FILE = new URL('../../data/actor-groups.json', import.meta.url);

let defaults: ActorGroup[] | undefined;

/** The groups Sitrep ships with (data/actor-groups.json), read once. */
export function defaultActorGroups(): ActorGroup[] {
  if (!defaults) {
    const parsed = GroupFile.safeParse(JSON.parse(readFileSync(DEFAULT_GROUPS_FILE, 'utf8')));
    if (!parsed.success) {
      throw new Error(
        `data/actor-groups.json: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
      );
    }
    defaults = parsed.data.groups.map((g) => ({
      name: g.name,
      description: g.description ?? null,
      homeAdmin1: g.home_admin1 ?? [],
      aliases: g.aliases ?? [],
      members: g.members,
      builtin: true,
    }));
  }
  return defaults;
}

/** Groups defined in the store, then shipped defaults whose name the store does not override. */
export async function listActorGroups(db: Queryable): Promise<ActorGroup[]> {
  // One statement: every group question waits on it, and each statement has a fixed cost (≈1–2 ms on DuckDB).
  const rows = await readUntilWrite<{
    name: string;
    description: string | null;
    details: string | null;
    member: string | null;
  }>(
    db,
    `SELECT g.name, g.description, g.details, m.member
     FROM actor_groups g LEFT JOIN actor_group_members m ON m.group_name = g.name
     ORDER BY g.name, m.member`,
  );
  const stored: ActorGroup[] = [];
  for (const r of rows) {
    let group = stored.at(-1);
    if (group?.name !== r.name) {
      const extra = r.details ? (JSON.parse(r.details) as { home?: string[]; aliases?: string[] }) : {};
      group = {
        name: r.name,
        description: r.description,
        homeAdmin1: extra.home ?? [],
        aliases: extra.aliases ?? [],
        members: [],
        builtin: false,
      };
      stored.push(group);
    }
    if (r.member !== null) group.members.push(r.member);
  }
  const storedKeys = new Set(stored.map((g) => aliasKey(g.name)));
  return [...stored, ...defaultActorGroups().filter((g) => !storedKeys.has(aliasKey(g.name)))];
}

/** Finds a group by name or by one of its aliases, ignoring case and punctuation. */
export function findGroup(groups: readonly ActorGroup[], name: string): ActorGroup | undefined {
  const key = aliasKey(name);
  return (
    groups.find((g) => aliasKey(g.name) === key) ??
    groups.find((g) => g.aliases.some((a) => aliasKey(a) === key))
  );
}

/**
 * Creates or replaces a group in the store (a stored group shadows a shipped one of the same name).
 *
 * @example await saveActorGroup(store, { name: 'TTP family', members: ['TTP', 'JuA'], ... })
 */
export async function saveActorGroup(
  store: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  group: Omit<ActorGroup, 'builtin'>,
  now: Date = new Date(),
): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.query('DELETE FROM actor_group_members WHERE group_name = $1', [group.name]);
    await tx.query('DELETE FROM actor_groups WHERE name = $1', [group.name]);
    await tx.query(
      'INSERT INTO actor_groups (name, description, details, created_at) VALUES ($1, $2, $3, CAST($4 AS TIMESTAMP))',
      [
        group.name,
        group.description,
        JSON.stringify({ home: group.homeAdmin1, aliases: group.aliases }),
        now.toISOString(),
      ],
    );
    for (const member of new Set(group.members)) {
      await tx.query('INSERT INTO actor_group_members (group_name, member) VALUES ($1, $2)', [
        group.name,
        member,
      ]);
    }
  });
}

/** Removes a stored group; returns false when there was none (shipped groups cannot be removed, only shadowed). */
export async function removeActorGroup(
  store: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  name: string,
): Promise<boolean> {
  return store.transaction(async (tx) => {
    const found = await tx.query('SELECT name FROM actor_groups WHERE name = $1', [name]);
    await tx.query('DELETE FROM actor_group_members WHERE group_name = $1', [name]);
    await tx.query('DELETE FROM actor_groups WHERE name = $1', [name]);
    return found.length > 0;
  });
}

export interface ResolvedMembers {
  /** Canonical actor ids found for the members. */
  ids: string[];
  /** Names as written in events that carry no canonical id (matched as text, since no id can match them). */
  names: string[];
}

/**
 * Resolves group members to actor ids and every spelling the store knows for them, so that a group
 * matches events whether or not the importer filled `actor1_id`. A raw ACLED name "BLA: Baloch Liberation
 * Army" matches member "BLA" by its "ABBR: Name" prefix.
 */
export async function resolveMembers(db: Queryable, members: readonly string[]): Promise<ResolvedMembers> {
  const keys = members.map(aliasKey).filter(Boolean);
  const ids = new Set<string>();
  const spellings = new Set<string>(members);
  seedRegistry ??= ActorRegistry.seeded();
  for (const member of members) {
    const actor = seedRegistry.resolve(member);
    if (!actor) continue;
    ids.add(actor.id);
    for (const name of [actor.name, ...actor.aliases]) spellings.add(name);
  }
  // The alias and actor lookups and the events' raw names are independent reads: issued together.
  const rawNames = rawActorNames(db);
  rawNames.catch(() => undefined);
  if (keys.length) {
    const placeholders = (offset: number, n: number) =>
      Array.from({ length: n }, (_, i) => `$${offset + i + 1}`).join(', ');
    // The members' aliases and their actors' names, as (id, spelling) pairs in one statement.
    const rows = await readUntilWrite<{ actor_id: string; alias: string }>(
      db,
      `SELECT b.actor_id, b.alias FROM actor_aliases a JOIN actor_aliases b ON b.actor_id = a.actor_id
       WHERE a.alias_key IN (${placeholders(0, keys.length)}) OR a.actor_id IN (${placeholders(keys.length, members.length)})
       UNION ALL
       SELECT id AS actor_id, name AS alias FROM actors WHERE id IN (${placeholders(keys.length, members.length)})`,
      [...keys, ...members],
    );
    for (const row of rows) {
      ids.add(row.actor_id);
      spellings.add(row.alias);
    }
  }
  // Names as written in the events: those an importer linked to an actor count through their id; only
  // names it left unlinked need matching as text (which keeps the store's filter a fast id lookup).
  const keySet = new Set([...spellings].map(aliasKey));
  const names = new Set<string>();
  for (const raw of await rawNames) {
    const prefix = raw.name.includes(':') ? aliasKey(raw.name.slice(0, raw.name.indexOf(':'))) : null;
    const viaRegistry = seedRegistry.resolve(raw.name)?.id;
    const linked = raw.ids.some((id) => ids.has(id));
    if (
      linked ||
      keySet.has(aliasKey(raw.name)) ||
      (prefix && keySet.has(prefix)) ||
      (viaRegistry && ids.has(viaRegistry))
    ) {
      for (const id of raw.ids) ids.add(id);
      if (raw.unlinked) names.add(raw.name);
    }
  }
  return { ids: [...ids].sort(), names: [...names].sort() };
}

let seedRegistry: ActorRegistry | undefined;

export interface RawActorName {
  name: string;
  /** Canonical ids importers gave this name. */
  ids: string[];
  /** Some events carry the name with no canonical id. */
  unlinked: boolean;
}

/**
 * Distinct actor names as written in the events with the ids they were linked to, kept until the events
 * change (a full scan of both actor columns, ≈60 ms CPU at a million events on DuckDB).
 */
export function rawActorNames(db: Queryable): Promise<RawActorName[]> {
  return memoised(db, 'raw-actor-names', async () => {
    const rows = await db.query<{ n: string; id: string | null }>(
      `SELECT actor1 AS n, actor1_id AS id FROM events WHERE actor1 IS NOT NULL GROUP BY actor1, actor1_id
       UNION SELECT actor2 AS n, actor2_id AS id FROM events WHERE actor2 IS NOT NULL GROUP BY actor2, actor2_id`,
    );
    const byName = new Map<string, RawActorName>();
    for (const row of rows) {
      const entry = byName.get(row.n) ?? { name: row.n, ids: [], unlinked: false };
      if (row.id === null) entry.unlinked = true;
      else if (!entry.ids.includes(row.id)) entry.ids.push(row.id);
      byName.set(row.n, entry);
    }
    return [...byName.values()];
  });
}
