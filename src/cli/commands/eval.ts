import { type Command, InvalidArgumentError } from 'commander';
import { evaluateExtraction, type GoldFormat, readGold } from '../../extract/evaluate.ts';
import { Gazetteer } from '../../extract/places/gazetteer.ts';
import { printJson } from '../shared-options.ts';

interface EvalFlags {
  gold: string;
  format?: GoldFormat;
  folds: number;
  json?: boolean;
}

const TARGETS: Record<string, number> = {
  event_type: 0.92,
  sub_event_type: 0.8,
  actor1: 0.9,
  admin2: 0.9,
  date: 0.95,
  fatalities: 0.9,
  attack_type: 0.85,
  group: 0.8,
  nkill: 0.85,
};

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('Measure a stage against labelled data.')
    .command('extraction')
    .description(
      'Run the extractor on each gold record (ACLED notes or GTD summary), published the day after the gold date, ' +
        'and print per-field accuracy. With --folds k > 1 the trained parts and learned places come from the other folds only.',
    )
    .requiredOption('--gold <file>', 'ACLED CSV export or GTD GeoJSON/JSON export')
    .option('--format <format>', 'acled|gtd (default: from the file name/extension)', (v: string) => {
      if (v !== 'acled' && v !== 'gtd') throw new InvalidArgumentError('expected acled or gtd');
      return v as GoldFormat;
    })
    .option(
      '--folds <k>',
      'cross-validation folds (1 = score the shipped model in-sample)',
      (v: string) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
        return n;
      },
      5,
    )
    .option('--json', 'print the report as JSON')
    .action(async (flags: EvalFlags) => {
      const format: GoldFormat =
        flags.format ?? (/gtd|\.geojson$|\.json$/i.test(flags.gold) ? 'gtd' : 'acled');
      const records = readGold(flags.gold, format);
      const started = performance.now();
      const report = evaluateExtraction(records, {
        format,
        folds: flags.folds,
        gazetteer: await Gazetteer.load(),
      });
      const seconds = (performance.now() - started) / 1000;
      if (flags.json) {
        printJson({ ...report, seconds });
        return;
      }
      const lines = [
        `${format} gold: ${report.records} records, ${report.folds}-fold cross-validation, ${seconds.toFixed(1)} s`,
      ];
      for (const [field, s] of Object.entries(report.fields)) {
        const target = TARGETS[field];
        lines.push(
          `  ${field.padEnd(16)} ${s.accuracy.toFixed(3)}  (${s.correct}/${s.total})${target ? `  target ≥ ${target.toFixed(2)}` : ''}`,
        );
      }
      lines.push(
        `  median km        ${report.medianKm === null ? '-' : report.medianKm.toFixed(1)}  (${(report.geocoded * 100).toFixed(0)} % geocoded)`,
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
