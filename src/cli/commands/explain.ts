import type { Command } from 'commander';
import { table } from '../../analyse/format.ts';
import { explainEvent } from '../../resolve/explain.ts';
import { addDbOption, printJson, wholeNumber, withStoreReading } from '../shared-options.ts';

const parts = (p: Record<string, number>) =>
  Object.entries(p)
    .map(([k, v]) => `${k} ${v > 0 ? '+' : ''}${v}`)
    .join(', ');

export function registerExplain(program: Command): void {
  const command = program
    .command('explain <id>')
    .description('Why records were merged into a resolved event (score parts) and which near-misses were not')
    .option('--limit <n>', 'near-misses to show', wholeNumber(0, 1000), 10)
    .option('--json', 'print JSON');
  addDbOption(command).action(async (id: string, flags: { db?: string; json?: boolean; limit: number }) => {
    await withStoreReading(flags.db, async (store) => {
      const explanation = await explainEvent(store, id, flags.limit);
      if (!explanation) {
        throw new Error(`no resolved event or linked record with id ${id} (run \`sitrep resolve\` first?)`);
      }
      if (flags.json) return printJson(explanation);
      const e = explanation.event;
      const range = (name: string) =>
        `${e[`${name}_low`] ?? '—'} / ${e[`${name}_best`] ?? '—'} / ${e[`${name}_high`] ?? '—'}`;
      process.stdout.write(
        `Resolved event ${explanation.resolvedId}: ${[e.event_date, e.location, e.admin1].filter(Boolean).join(', ')} — ${e.event_type ?? 'type unknown'}\n` +
          `killed low/best/high ${range('fatalities')}; injured ${range('injured')}; sources ${e.sources}\n\n`,
      );
      process.stdout.write(
        `${table(
          ['record', 'source', 'date', 'place', 'killed', 'how', 'with', 'score'],
          explanation.records.map((r) => [
            r.id,
            r.source,
            r.eventDate,
            r.location,
            r.fatalities,
            r.rule,
            r.matchedWith,
            r.score,
          ]),
        )}\n\n`,
      );
      if (explanation.pairs.length) {
        process.stdout.write(`Why (link threshold ${explanation.threshold}):\n`);
        for (const p of explanation.pairs) {
          process.stdout.write(
            `  ${p.a} ~ ${p.b}: ${p.score.blocked ? `blocked: ${p.score.blocked}` : `${p.score.total} = ${parts(p.score.parts)}`}\n`,
          );
        }
      }
      process.stdout.write(
        explanation.nearMisses.length ? '\nNear-misses (not merged):\n' : '\nNo near-misses.\n',
      );
      for (const m of explanation.nearMisses) {
        process.stdout.write(
          `  ${m.id} (${m.source}, ${m.eventDate}, ${m.location ?? '—'}) vs ${m.against}: ${m.why}` +
            `${m.score.blocked ? '' : ` [${parts(m.score.parts)}]`}\n`,
        );
      }
    });
  });
}
