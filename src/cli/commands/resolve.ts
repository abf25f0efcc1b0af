import type { Command } from 'commander';
import { resolveEvents } from '../../resolve/resolve-events.ts';
import { addDbOption, printJson, withStore } from '../shared-options.ts';

export function registerResolve(program: Command): void {
  const command = program
    .command('resolve')
    .description(
      'Link records of the same incident across sources into resolved events (re-runnable; keeps manual links)',
    )
    .option('--force', 'rewrite the resolved events even when no link changed')
    .option('--json', 'print JSON');
  addDbOption(command).action(async (flags: { db?: string; json?: boolean; force?: boolean }) => {
    await withStore(flags.db, async (store) => {
      const summary = await resolveEvents(store, { force: flags.force ?? false });
      if (flags.json) return printJson(summary);
      process.stdout.write(
        `${summary.records} records → ${summary.resolvedEvents} resolved events${summary.unchanged ? ' (unchanged, nothing written)' : ''} ` +
          `(${summary.mergedEvents} with several records, ${summary.linkedRecords} records linked) in ${summary.seconds} s\n` +
          `${summary.comparisons} comparisons, ${summary.candidatePairs} candidate pairs, ` +
          `${summary.rejectedByConstraint} refused (same source twice or unlinked by hand); ` +
          `manual: ${summary.manualLinks} links, ${summary.manualUnlinks} unlinks\n`,
      );
    });
  });
}
