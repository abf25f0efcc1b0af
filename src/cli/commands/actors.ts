import { type Command, InvalidArgumentError } from 'commander';
import { listActorGroups, removeActorGroup, saveActorGroup } from '../../analyse/actor-groups.ts';
import { actorCatalogue, addMerger } from '../../analyse/actors.ts';
import { table } from '../../analyse/format.ts';
import { relationLine } from '../../analyse/relations.ts';
import {
  addDbOption,
  clip,
  list,
  printJson,
  wholeNumber,
  withStore,
  withStoreReading,
} from '../shared-options.ts';

function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  }
  return value;
}

export function registerActors(program: Command): void {
  // The parent takes no options of its own: `--db` after a subcommand must reach the subcommand.
  const actors = program
    .command('actors')
    .description('Canonical actors with aliases, groups and dated mergers; manage groups and mergers');
  addDbOption(
    actors
      .command('list', { isDefault: true })
      .description('List actors (the default)')
      .option('--search <text>', 'only actors whose name or alias contains this')
      .option('--limit <n>', 'how many', wholeNumber(1, 5000), 50)
      .option('--json', 'print JSON'),
  ).action(async (flags: { search?: string; limit: number; json?: boolean; db?: string }) => {
    await withStoreReading(flags.db, async (store) => {
      const result = await actorCatalogue(store, {
        ...(flags.search ? { search: flags.search } : {}),
        limit: flags.limit,
      });
      if (flags.json) return printJson(result);
      process.stdout.write(
        `${table(
          ['id', 'name', 'events', 'first', 'last', 'groups', 'aliases'],
          result.actors.map((a) => [
            a.id.slice(0, 36),
            clip(a.name, 40),
            a.events,
            a.first,
            a.last,
            a.groups.join('; ') || null,
            a.aliases.slice(0, 4).join('; ') || null,
          ]),
        )}\n`,
      );
      if (result.mergers.length) {
        process.stdout.write('\nDated mergers (events before the date stay with the member):\n');
        for (const m of result.mergers) process.stdout.write(`  ${m.date}  ${m.member} → ${m.into}\n`);
      }
      if (result.relations.length) {
        process.stdout.write(
          '\nRelations read from text (canonical ids, the words of the text in quotes):\n',
        );
        for (const r of result.relations) process.stdout.write(`  ${relationLine(r)}\n`);
      }
    });
  });

  const group = actors
    .command('group')
    .description('Actor groups: named sets of actors usable as filters (--group)');
  addDbOption(group.command('list').description('List actor groups').option('--json', 'print JSON')).action(
    async (flags: { json?: boolean; db?: string }) => {
      await withStoreReading(flags.db, async (store) => {
        const groups = await listActorGroups(store);
        if (flags.json) return printJson(groups);
        for (const g of groups) {
          process.stdout.write(`${g.name}${g.builtin ? ' (shipped)' : ''}: ${g.members.join(', ')}\n`);
        }
      });
    },
  );
  addDbOption(
    group
      .command('add <name>')
      .description('Create or replace a group')
      .requiredOption(
        '--actor <actor>',
        'member: canonical id, name or alias (repeat or comma-separate)',
        list,
      )
      .option('--home <admin1>', 'home province(s) of the group', list)
      .option('--alias <phrase>', 'phrase that names the group in text (repeatable)', list)
      .option('--description <text>', 'what the group is'),
  ).action(
    async (
      name: string,
      flags: { actor: string[]; home?: string[]; alias?: string[]; description?: string; db?: string },
    ) => {
      await withStore(flags.db, async (store) => {
        await saveActorGroup(store, {
          name,
          description: flags.description ?? null,
          homeAdmin1: flags.home ?? [],
          aliases: flags.alias ?? [],
          members: flags.actor,
        });
        process.stdout.write(`Saved group "${name}" with ${flags.actor.length} member(s)\n`);
      });
    },
  );
  addDbOption(group.command('remove <name>').description('Remove a stored group')).action(
    async (name: string, flags: { db?: string }) => {
      await withStore(flags.db, async (store) => {
        const removed = await removeActorGroup(store, name);
        process.stdout.write(
          removed
            ? `Removed group "${name}"\n`
            : `No stored group "${name}" (shipped groups can only be replaced)\n`,
        );
        if (!removed) process.exitCode = 1;
      });
    },
  );
  addDbOption(
    actors
      .command('merge <into>')
      .description(
        'Record a dated merger: members count as INTO from --date on; before it they stay themselves',
      )
      .requiredOption('--member <actor>', 'member actor id or name (repeat or comma-separate)', list)
      .requiredOption('--date <date>', 'day the merger took effect, YYYY-MM-DD', isoDate)
      .option('--evidence <text>', 'where this comes from'),
  ).action(
    async (into: string, flags: { member: string[]; date: string; evidence?: string; db?: string }) => {
      await withStore(flags.db, async (store) => {
        const recorded = await addMerger(store, {
          into,
          members: flags.member,
          date: flags.date,
          evidence: flags.evidence ?? null,
        });
        for (const m of recorded) process.stdout.write(`Recorded: ${m.member} → ${m.into} from ${m.date}\n`);
      });
    },
  );
}
