import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Store } from '../store/contract.ts';
import { aliasKey } from './alias-key.ts';

/** One actor as every stage sees it: a stable id, a display name, a kind and the names it goes by. */
export interface CanonicalActor {
  id: string;
  name: string;
  kind: string | null;
  aliases: string[];
}

const SeedFile = z.object({
  actors: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string().min(1),
      kind: z.string().nullable(),
      aliases: z.array(z.string()),
      /** A name that is this actor's only from a day on (before it, another actor's): see `resolve`. */
      datedAliases: z
        .array(z.object({ alias: z.string().min(1), from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }))
        .optional(),
    }),
  ),
});

/** "Baloch National Army" names the 2025 Balochistan National Army from 2025-03-01 on. */
interface DatedAlias {
  actor: CanonicalActor;
  from: string;
}

const SEED_PATH = new URL('../../data/actors.json', import.meta.url);

/** ACLED writes periods of a state actor as "(2018-2022)" or "(2022-)". */
const PERIOD = /\s*\((?:\d{4})\s*-\s*(?:\d{4})?\)\s*/;
/** "BLA: Baloch Liberation Army" (ACLED) — an abbreviation, a colon, the full name. */
const ABBREVIATED = /^([^:]{1,20}):\s*(.+)$/;
/** "Tehrik-i-Taliban Pakistan (TTP)" (GTD) — a name with its abbreviation in trailing brackets. */
const TRAILING_ABBREVIATION = /^(.+?)\s*\(([^()]{1,15})\)$/;

/**
 * The names worth looking up for an actor as written, most specific first:
 * "Police Forces of Pakistan (2022-) Frontier Corps" → itself, "Police Forces of Pakistan Frontier Corps",
 * "Frontier Corps", "Police Forces of Pakistan".
 *
 * @example nameCandidates('BLA: Baloch Liberation Army') // ['BLA: Baloch Liberation Army', 'Baloch Liberation Army', 'BLA']
 */
export function nameCandidates(nameAsWritten: string): string[] {
  const name = nameAsWritten.trim();
  const out = [name];
  const abbreviated = ABBREVIATED.exec(name);
  if (abbreviated?.[1] && abbreviated[2]) out.push(abbreviated[2], abbreviated[1]);
  const period = PERIOD.exec(name);
  if (period) {
    const before = name.slice(0, period.index).trim();
    const after = name.slice(period.index + period[0].length).trim();
    out.push([before, after].filter(Boolean).join(' '));
    if (after) out.push(after);
    if (before) out.push(before);
  }
  const bracketed = TRAILING_ABBREVIATION.exec(name);
  // A trailing country "(Pakistan)" is part of ACLED names like "Civilians (Pakistan)": keep it, and only
  // fall back to the bare name or the bracketed abbreviation when it looks like one (two capitals or more).
  const abbreviation = bracketed?.[2];
  if (
    bracketed?.[1] &&
    abbreviation &&
    /^[A-Za-z-]{2,8}$/.test(abbreviation) &&
    /[A-Z].*[A-Z]/.test(abbreviation)
  ) {
    out.push(bracketed[1], abbreviation);
  }
  return [...new Set(out.filter(Boolean))];
}

/** A stable id for an actor first met in a data set: its name as a slug. */
export function actorIdFor(name: string): string {
  return aliasKey(name).replaceAll(' ', '-') || 'unnamed';
}

/**
 * Canonical actors and their aliases: the curated seed (data/actors.json), what the store has learned,
 * and, during an ingest, actors met for the first time. Lookups go through `aliasKey`, so case,
 * accents and punctuation never split an actor.
 *
 * @example
 * const actors = ActorRegistry.seeded();
 * actors.resolve('BLA: Baloch Liberation Army')?.id // 'baloch-liberation-army'
 */
export class ActorRegistry {
  private readonly byId = new Map<string, CanonicalActor>();
  private readonly byKey = new Map<string, CanonicalActor>();
  private readonly changed = new Set<string>();
  private readonly cache = new Map<string, CanonicalActor | null>();
  private readonly learnCache = new Map<string, CanonicalActor>();
  /** Alias key → the actors it names from a day on, latest first. */
  private readonly datedByKey = new Map<string, DatedAlias[]>();

  private constructor(actors: readonly CanonicalActor[], dated: readonly SeedDatedAlias[] = []) {
    for (const actor of actors) this.add(actor, false);
    for (const { actorId, alias, from } of dated) {
      const actor = this.byId.get(actorId);
      const key = aliasKey(alias);
      if (!actor || !key) continue;
      const list = this.datedByKey.get(key) ?? [];
      list.push({ actor, from });
      list.sort((a, b) => b.from.localeCompare(a.from));
      this.datedByKey.set(key, list);
    }
  }

  /** The curated seed in data/actors.json. */
  static seeded(): ActorRegistry {
    return new ActorRegistry(loadSeed(), loadSeedDated());
  }

  /** The seed plus every actor and alias the store holds (the store wins where both name one id). */
  static async fromStore(store: Store): Promise<ActorRegistry> {
    const registry = ActorRegistry.seeded();
    for (const actor of await store.listActors()) {
      const known = registry.byId.get(actor.id);
      registry.add(
        known
          ? { ...known, ...actor, aliases: [...new Set([...known.aliases, ...actor.aliases])] }
          : { ...actor, aliases: [...actor.aliases] },
        false,
      );
    }
    return registry;
  }

  /**
   * The canonical actor a name refers to, or null when no name or alias matches. Given the day the name
   * was written about (`on`, YYYY-MM-DD), a dated alias answers for that day: "Baloch National Army" is the
   * 2022 Baloch Nationalist Army before March 2025, and the confederation's Balochistan National Army after.
   */
  resolve(nameAsWritten: string, on?: string | null): CanonicalActor | null {
    if (on) {
      const dated = this.resolveDated(nameAsWritten, on);
      if (dated) return dated;
    }
    const cached = this.cache.get(nameAsWritten);
    if (cached !== undefined) return cached;
    let found: CanonicalActor | null = null;
    for (const candidate of nameCandidates(nameAsWritten)) {
      found = this.byKey.get(aliasKey(candidate)) ?? null;
      if (found) break;
    }
    this.cache.set(nameAsWritten, found);
    return found;
  }

  /** Whether some day changes whom this name refers to. */
  hasDatedAlias(nameAsWritten: string): boolean {
    return (
      this.datedByKey.size > 0 && nameCandidates(nameAsWritten).some((c) => this.datedByKey.has(aliasKey(c)))
    );
  }

  /**
   * The actor a dated alias names on that day, or null when the name has no dated alias in force. The most
   * specific spelling decides: "BNA: Baloch Nationalist Army" is the 2022 group whatever the day.
   */
  resolveDated(nameAsWritten: string, on: string): CanonicalActor | null {
    if (this.datedByKey.size === 0) return null;
    for (const candidate of nameCandidates(nameAsWritten)) {
      const key = aliasKey(candidate);
      const found = this.datedByKey.get(key)?.find((d) => d.from <= on);
      if (found) return found.actor;
      if (this.byKey.has(key)) return null;
    }
    return null;
  }

  /**
   * Like `resolve`, but a name nothing matches becomes a new actor (id from its name), remembered
   * for `learned()`. A name that matched only through a variant is added as an alias.
   */
  resolveOrLearn(nameAsWritten: string, kind: string | null = null): CanonicalActor {
    // Ingest asks for the same few names millions of times: answer repeats from the cache.
    const known = this.learnCache.get(nameAsWritten);
    if (known) return known;
    const name = nameAsWritten.trim();
    let actor = this.resolve(name);
    if (actor && !this.byKey.has(aliasKey(name))) {
      actor = { ...actor, aliases: [...actor.aliases, name] };
      this.add(actor, true);
    }
    if (!actor) actor = this.learn(name, kind);
    this.learnCache.set(nameAsWritten, actor);
    return actor;
  }

  private learn(name: string, kind: string | null): CanonicalActor {
    let id = actorIdFor(name);
    for (let n = 2; this.byId.has(id); n++) id = `${actorIdFor(name)}-${n}`;
    const actor: CanonicalActor = { id, name, kind, aliases: [] };
    this.add(actor, true);
    return actor;
  }

  /** Actors added or given new aliases since this registry was built: what to pass to `store.saveActors`. */
  learned(): CanonicalActor[] {
    return [...this.changed]
      .map((id) => this.byId.get(id))
      .filter((a): a is CanonicalActor => a !== undefined);
  }

  all(): CanonicalActor[] {
    return [...this.byId.values()];
  }

  private add(actor: CanonicalActor, learned: boolean): void {
    this.byId.set(actor.id, actor);
    for (const alias of [actor.name, ...actor.aliases]) {
      const key = aliasKey(alias);
      // The first actor to claim a key keeps it, so a learned alias never steals a curated one.
      const holder = this.byKey.get(key);
      if (key && (!holder || holder.id === actor.id)) this.byKey.set(key, actor);
    }
    this.cache.clear();
    this.learnCache.clear();
    if (learned) this.changed.add(actor.id);
  }
}

let seed: CanonicalActor[] | undefined;
let seedDated: SeedDatedAlias[] | undefined;

interface SeedDatedAlias {
  actorId: string;
  alias: string;
  from: string;
}

function loadSeedDated(): SeedDatedAlias[] {
  loadSeed();
  return seedDated ?? [];
}

function loadSeed(): CanonicalActor[] {
  if (!seed) {
    const parsed = SeedFile.safeParse(JSON.parse(readFileSync(SEED_PATH, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`data/actors.json: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    seed = parsed.data.actors.map(({ datedAliases: _, ...actor }) => actor);
    seedDated = parsed.data.actors.flatMap((a) =>
      (a.datedAliases ?? []).map((d) => ({ actorId: a.id, alias: d.alias, from: d.from })),
    );
  }
  return seed.map((a) => ({ ...a, aliases: [...a.aliases] }));
}
