import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { addGroupOption, questionFilter } from '../../analyse/cli-filter.ts';
import { table } from '../../analyse/format.ts';
import { network } from '../../analyse/network.ts';
import { relationEdges, relationLine, saveRelations } from '../../analyse/relations.ts';
import { extractDocument } from '../../extract/extract-document.ts';
import { ActorRegistry } from '../../resolve/actor-registry.ts';
import {
  addDbOption,
  addFilterOptions,
  calendarDay,
  clip,
  type FilterFlags,
  filterFromFlags,
  printJson,
  resolveQuestion,
  wholeNumber,
  withStore,
} from '../shared-options.ts';

export function registerNetwork(program: Command): void {
  const command = program
    .command('network')
    .description(
      'Actors as nodes, shared events as dated edges with evidence, and dated relations (mergers, text)',
    )
    .option('--limit <n>', 'most active actors to keep (1–500)', wholeNumber(1, 500), 50)
    .option('--min-events <n>', 'drop edges seen in fewer events', wholeNumber(1, 1_000_000), 1)
    .option(
      '--learn-text <file>',
      'extract relations from a text file and store them (dated, with the sentence)',
    )
    .option('--published <date>', 'publication date of --learn-text, YYYY-MM-DD', calendarDay)
    .option('--json', 'print JSON');
  addGroupOption(addFilterOptions(addDbOption(command))).action(
    async (
      flags: FilterFlags & {
        limit: number;
        minEvents: number;
        learnText?: string;
        published?: string;
        group?: string[];
        json?: boolean;
        db?: string;
      },
    ) => {
      // Today would be a guess: "earlier this month" in a months-old column would land in the wrong month.
      if (flags.learnText && !flags.published)
        throw new InvalidArgumentError('--learn-text needs --published YYYY-MM-DD (relative dates need it)');
      const question = questionFilter(filterFromFlags(flags), flags.group);
      // Only --learn-text writes: without it the question reads beside a `sitrep serve` (DuckDB read-only).
      await withStore(
        flags.db,
        async (store) => {
          if (flags.learnText && flags.published) {
            // Today would be a guess: "earlier this month" in a months-old column would land in the wrong month.
            if (!flags.published)
              throw new InvalidArgumentError(
                '--learn-text needs --published YYYY-MM-DD (relative dates need it)',
              );
            const text = readFileSync(flags.learnText, 'utf8');
            const actors = await ActorRegistry.fromStore(store);
            const extracted = extractDocument(text, { published: flags.published, actors });
            const saved = await saveRelations(
              store,
              relationEdges(
                extracted.relations,
                text,
                flags.learnText,
                (name) => actors.resolve(name)?.id ?? null,
              ),
            );
            if (!flags.json)
              process.stdout.write(`Stored ${saved} relation edge(s) from ${flags.learnText}\n\n`);
          }
          const { filter } = await resolveQuestion(store, question);
          const result = await network(store, { filter, limit: flags.limit, minEvents: flags.minEvents });
          if (flags.json) return printJson(result);
          const label = new Map(result.nodes.map((n) => [n.id, n.label]));
          process.stdout.write(
            `${table(
              ['actor', 'events', 'as actor1', 'fatalities', 'first', 'last'],
              result.nodes.map((n) => [
                clip(n.label, 50),
                n.events,
                n.asPrimary,
                n.fatalities,
                n.first,
                n.last,
              ]),
            )}\n\n`,
          );
          process.stdout.write(
            `${table(
              ['actor', 'with', 'kind', 'events', 'first', 'last', 'evidence'],
              result.edges
                .slice(0, 40)
                .map((e) => [
                  clip(label.get(e.source) ?? e.source, 40),
                  clip(label.get(e.target) ?? e.target, 40),
                  e.kind,
                  e.events,
                  e.first,
                  e.last,
                  e.evidence.join(' '),
                ]),
            )}\n`,
          );
          if (result.relations.length) {
            process.stdout.write('\nDated relations:\n');
            for (const r of result.relations) process.stdout.write(`  ${relationLine(r)}\n`);
          }
        },
        { readOnly: !flags.learnText },
      );
    },
  );
}
