import { z } from 'zod';
import { EventFilter } from '../schema/index.ts';
import type { Queryable } from '../store/contract.ts';
import { type ActorGroup, findGroup, listActorGroups, resolveMembers } from './actor-groups.ts';

/** An EventFilter plus actor-group names, which expand to their members' ids and names. */
export const QuestionFilter = EventFilter.extend({
  groups: z.array(z.string().min(1).max(200)).max(20).optional(),
}).strict();
export type QuestionFilter = z.infer<typeof QuestionFilter>;

export class UnknownGroupError extends Error {
  constructor(
    readonly group: string,
    known: readonly string[],
  ) {
    super(`unknown actor group "${group}" (known: ${known.join(', ') || 'none'})`);
  }
}

export interface ResolvedFilter {
  filter: EventFilter;
  /** The groups that were expanded, for callers that need their home provinces or aliases. */
  groups: ActorGroup[];
}

/**
 * Expands actor groups into the plain EventFilter the store understands. An actor filter and a group
 * filter together mean "either": both add to the same set of actors.
 */
export async function resolveFilter(db: Queryable, question: QuestionFilter): Promise<ResolvedFilter> {
  const { groups: names, ...filter } = question;
  if (!names?.length) return { filter, groups: [] };
  const known = await listActorGroups(db);
  const groups = names.map((name) => {
    const group = findGroup(known, name);
    if (!group)
      throw new UnknownGroupError(
        name,
        known.map((g) => g.name),
      );
    return group;
  });
  const resolved = await resolveMembers(
    db,
    groups.flatMap((g) => g.members),
  );
  const actors = [...new Set([...(filter.actors ?? []), ...resolved.names])];
  const actorIds = [...new Set([...(filter.actorIds ?? []), ...resolved.ids])];
  // A group whose members the store does not know must match nothing, not everything.
  if (!actors.length && !actorIds.length) actorIds.push('');
  return {
    filter: {
      ...filter,
      ...(actors.length ? { actors } : {}),
      actorIds,
    },
    groups,
  };
}

/** The filter without its date range, for coverage questions ("what period does the data cover?"). */
export function withoutDates(filter: EventFilter): EventFilter {
  const { from: _from, to: _to, ...rest } = filter;
  return rest;
}

/** The filter without actors, for denominators and coverage that must not depend on who acted. */
export function withoutActors(filter: EventFilter): EventFilter {
  const { actors: _actors, actorIds: _ids, ...rest } = filter;
  return rest;
}
