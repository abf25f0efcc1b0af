import { rawActorNames, resolveMembers } from '../analyse/actor-groups.ts';
import { ActorRegistry } from '../resolve/actor-registry.ts';
import { aliasKey } from '../resolve/alias-key.ts';
import type { Queryable } from '../store/contract.ts';

/** Edit distance between two short strings (names), for "did you mean". */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The `--actor` values that match no actor, alias or name as written in the store's events, each with
 * the nearest known spelling when one is close: a misspelt actor otherwise gives an empty answer that
 * reads as "no events", not as a typo.
 *
 * @example await unknownActors(store, ['Baloch Liberaton Army']) // [{ name: 'Baloch Liberaton Army', suggestion: 'Baloch Liberation Army' }]
 */
export async function unknownActors(
  db: Queryable,
  names: readonly string[],
): Promise<{ name: string; suggestion: string | null }[]> {
  const unknown: string[] = [];
  for (const name of names) {
    const resolved = await resolveMembers(db, [name]);
    if (!resolved.ids.length && !resolved.names.length) unknown.push(name);
  }
  if (!unknown.length) return [];
  // Canonical names first, so that a tie goes to the name an analyst would write.
  const stored = await db.query<{ name: string }>(
    'SELECT name FROM actors UNION SELECT alias AS name FROM actor_aliases',
  );
  const known = [
    ...ActorRegistry.seeded()
      .all()
      .flatMap((a) => [a.name, ...a.aliases]),
    ...stored.map((r) => r.name),
    ...(await rawActorNames(db)).map((r) => r.name),
  ];
  return unknown.map((name) => {
    const key = aliasKey(name);
    let best: { name: string; distance: number } | null = null;
    for (const candidate of known) {
      const distance = editDistance(key, aliasKey(candidate));
      if (!best || distance < best.distance) best = { name: candidate, distance };
    }
    const close = best && best.distance <= Math.max(2, Math.floor(key.length / 5));
    return { name, suggestion: close && best ? best.name : null };
  });
}

/** Writes one line per unknown `--actor` to stderr (the answer still prints: it may be what was meant). */
export async function warnUnknownActors(
  db: Queryable,
  names: readonly string[] | undefined,
  write: (line: string) => void = (line) => process.stderr.write(line),
): Promise<void> {
  if (!names?.length) return;
  for (const { name, suggestion } of await unknownActors(db, names)) {
    write(
      `sitrep: --actor "${name}" matches no actor in the store${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; \`sitrep actors\` lists them\n`,
    );
  }
}
