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
      // A new user's next step is `sitrep explain ID`: name a few merged events so they have an id to try.
      const examples = await store.query(
        `SELECT id, event_date, location, sources FROM resolved_events WHERE n_records > $1
         ORDER BY n_records DESC, event_date DESC, id LIMIT 3`,
        [1],
      );
      if (examples.length > 0) {
        process.stdout.write('why records were merged: sitrep explain ID, e.g.\n');
        for (const r of examples) {
          process.stdout.write(`  ${r.id}  ${r.event_date} ${r.location ?? '?'} (${r.sources})\n`);
        }
      }
    });
  });
}
