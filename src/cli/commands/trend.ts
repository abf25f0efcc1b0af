import { type Command, Option } from 'commander';
import { addGroupOption, questionFilter } from '../../analyse/cli-filter.ts';
import { plural, signed, table } from '../../analyse/format.ts';
import { PERIODS, type Period } from '../../analyse/periods.ts';
import { TREND_DIMENSIONS, type TrendDimension, trend } from '../../analyse/trend.ts';
import {
  addDbOption,
  addFilterOptions,
  clip,
  type FilterFlags,
  filterFromFlags,
  printJson,
  resolveQuestion,
  wholeNumber,
  withStoreReading,
} from '../shared-options.ts';

export function registerTrend(program: Command): void {
  const command = program
    .command('trend')
    .description(
      'Events and fatalities per actor/place/type per period, with change and Trendfinder-style bands',
    )
    .addOption(new Option('--by <dimension>', 'group by').choices(TREND_DIMENSIONS).default('actor'))
    .addOption(new Option('--period <period>', 'period').choices(PERIODS).default('year'))
    .option('--baseline <n>', 'compare each period with the mean of the previous N', wholeNumber(1, 100), 3)
    .option('--limit <n>', 'series with most events to show', wholeNumber(1, 1000), 20)
    .option('--json', 'print JSON');
  addGroupOption(addFilterOptions(addDbOption(command))).action(
    async (
      flags: FilterFlags & {
        by: TrendDimension;
        period: Period;
        baseline: number;
        limit: number;
        group?: string[];
        json?: boolean;
        db?: string;
      },
    ) => {
      const question = questionFilter(filterFromFlags(flags), flags.group);
      await withStoreReading(flags.db, async (store) => {
        const { filter } = await resolveQuestion(store, question);
        const result = await trend(store, {
          by: flags.by,
          period: flags.period,
          filter,
          baselinePeriods: flags.baseline,
          limit: flags.limit,
        });
        if (flags.json) return printJson(result);
        const last = result.periods.at(-1);
        const shown = shownPeriods(result.series, result.periods.length);
        process.stdout.write(
          `Events by ${result.by} per ${result.period} (data ${result.coverage.first ?? '—'} … ${result.coverage.last ?? '—'})\n\n`,
        );
        process.stdout.write(
          `${table(
            [
              result.by,
              ...result.periods.slice(shown),
              'total',
              `Δ prev`,
              `vs mean ${result.baselinePeriods}`,
              'band',
            ],
            result.series.map((s) => {
              const p = s.points.at(-1);
              return [
                clip(s.label, 40),
                ...s.points.slice(shown).map((x) => x.events),
                s.events,
                signed(p?.changePrevPct ?? null),
                signed(p?.changeMeanPct ?? null),
                `${p?.band ?? '—'}${p?.partial ? ` (partial: pace ${p.pace})` : ''}`,
              ];
            }),
          )}\n`,
        );
        if (shown > 0) {
          process.stdout.write(
            `\n${shown} earlier ${result.period}s (${result.periods[0]} … ${result.periods[shown - 1]}) not shown: ${
              result.series.some((s) => s.points.slice(0, shown).some((x) => x.events > 0))
                ? 'they are in the totals; pass --from, or --json for every period'
                : 'no events of these series'
            }.\n`,
          );
        }
        const outside = result.outsideCoverage;
        if (outside.events > 0) {
          const when = outside.first === outside.last ? outside.first : `${outside.first} … ${outside.last}`;
          process.stdout.write(
            `\nNot counted: ${plural(outside.events, 'event')} (${when}) read from news text, dated outside the data (${result.coverage.first} … ${result.coverage.last}): periods span the data sets, which one article does not extend. Ask with --source text to see them.\n`,
          );
        }
        if (last && result.series.some((s) => s.points.at(-1)?.partial)) {
          process.stdout.write(
            `\n${last} runs past the end of the data (${result.coverage.last}): its counts are incomplete; its change and band compare the pace so far (events scaled to the whole period).\n`,
          );
        }
      });
    },
  );
}

/** Columns a terminal can take: the text table shows at most this many of the latest periods. */
const MAX_COLUMNS = 12;

/**
 * How many leading periods the text table leaves out: those where no series shown has an event (a data
 * set reaching back to 1995 should not push a group active since 2020 off the screen), then any more than
 * the latest MAX_COLUMNS.
 */
export function shownPeriods(
  series: readonly { points: readonly { events: number }[] }[],
  periods: number,
): number {
  let firstActive = 0;
  while (firstActive < periods && series.every((s) => (s.points[firstActive]?.events ?? 0) === 0))
    firstActive++;
  return Math.min(Math.max(firstActive, periods - MAX_COLUMNS), Math.max(0, periods - 1));
}
