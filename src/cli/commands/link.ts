import type { Command } from 'commander';
import { type ManualLinkKind, setManualLink } from '../../resolve/links.ts';
import { resolveEvents } from '../../resolve/resolve-events.ts';
import { addDbOption, printJson, withStore } from '../shared-options.ts';

function register(program: Command, kind: ManualLinkKind, description: string): void {
  const command = program
    .command(`${kind} <recordA> <recordB>`)
    .description(description)
    .option('--no-resolve', 'only record the decision; apply it on the next `sitrep resolve`')
    .option('--json', 'print JSON');
  addDbOption(command).action(
    async (a: string, b: string, flags: { db?: string; json?: boolean; resolve: boolean }) => {
      await withStore(flags.db, async (store) => {
        await setManualLink(store, a, b, kind);
        const summary = flags.resolve ? await resolveEvents(store) : null;
        if (flags.json) return printJson({ kind, a, b, resolved: summary });
        process.stdout.write(
          `${kind === 'link' ? 'Linked' : 'Unlinked'} ${a} and ${b}; kept across re-runs of \`sitrep resolve\`` +
            `${summary ? ` (re-resolved: ${summary.resolvedEvents} events)` : ''}\n`,
        );
      });
    },
  );
}

/** `sitrep link A B` and `sitrep unlink A B`: an analyst's decision that overrides the scores. */
export function registerLink(program: Command): void {
  register(program, 'link', 'Mark two records as the same incident (overrides scoring, kept across re-runs)');
  register(
    program,
    'unlink',
    'Mark two records as different incidents (overrides scoring, kept across re-runs)',
  );
}
