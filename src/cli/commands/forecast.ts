import { type Command, InvalidArgumentError, Option } from 'commander';
import { forecastFromStore } from '../../analyse/forecast/run.ts';
import { table } from '../../analyse/format.ts';
import { addDbOption, printJson, withStoreReading } from '../shared-options.ts';

export const LEVELS = ['admin1', 'admin2'] as const;

export function parseMonth(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError('expected a month as YYYY-MM');
  return value;
}

export function parseHorizon(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 24) throw new InvalidArgumentError('expected 1 … 24 months');
  return n;
}

const repeated = (value: string, previous: string[] = []) => [...previous, value.trim()].filter(Boolean);

export interface ForecastFlags {
  db?: string;
  level: (typeof LEVELS)[number];
  horizon: number;
  actor?: string[];
  admin1?: string[];
  source?: string[];
  boundaries?: string;
  json?: boolean;
}

/** The options `forecast` and `backtest` share: unit, horizon, which events, polygons. */
export function addForecastOptions(command: Command): Command {
  return addDbOption(
    command
      .addOption(new Option('--level <level>', 'unit').choices(LEVELS).default('admin2'))
      .option('--horizon <months>', 'months ahead', parseHorizon, 6)
      .option('--actor <name>', 'only events of this actor (repeatable)', repeated)
      .option('--admin1 <name>', 'only this province (repeatable)', repeated)
      .option('--source <name>', 'only records of this data set (repeatable)', repeated)
      .option('--boundaries <file>', 'GeoJSON polygons of the units, for neighbours (default: the gazetteer)')
      .option('--json', 'print JSON'),
  );
}

/** The question the shared options ask. */
export function forecastQuery(flags: ForecastFlags) {
  return {
    level: flags.level,
    horizon: flags.horizon,
    filter: {
      ...(flags.actor ? { actors: flags.actor } : {}),
      ...(flags.admin1 ? { admin1: flags.admin1 } : {}),
      ...(flags.source ? { sources: flags.source } : {}),
    },
    ...(flags.boundaries ? { boundaries: flags.boundaries } : {}),
  };
}

export function registerForecast(program: Command): void {
  const command = program
    .command('forecast')
    .description('Expected events and fatalities per unit for the next months, with 50/80/95 % intervals')
    .option(
      '--until <month>',
      'last observed month, YYYY-MM (default: the last month with data)',
      parseMonth,
    );
  addForecastOptions(command).action(async (flags: ForecastFlags & { until?: string }) => {
    await withStoreReading(flags.db, async (store) => {
      const result = await forecastFromStore(store, {
        ...forecastQuery(flags),
        ...(flags.until ? { until: flags.until } : {}),
      });
      if (flags.json) return printJson(result);
      process.stdout.write(
        `Forecast per ${result.level} after ${result.origin} (${result.units} units, ${result.unitsWithNeighbours} with neighbours; ${result.model.family})\n\n`,
      );
      const band = (p: { intervals: Record<50 | 80 | 95, [number, number]> }, level: 50 | 80 | 95) =>
        `${p.intervals[level][0]}–${p.intervals[level][1]}`;
      process.stdout.write(
        `${table(
          ['unit', 'month', 'events', '50%', '80%', '95%', 'fatalities', '80% ', '95% '],
          result.forecasts.map((f) => [
            f.unit,
            f.month,
            Math.round(f.events.mean * 10) / 10,
            band(f.events, 50),
            band(f.events, 80),
            band(f.events, 95),
            Math.round(f.fatalities.mean * 10) / 10,
            band(f.fatalities, 80),
            band(f.fatalities, 95),
          ]),
        )}\n`,
      );
      if (result.units > 1) process.stdout.write(`\n${totalsTable(result.totals)}\n`);
      const note = meanAboveRangeNote(result.forecasts);
      if (note) process.stdout.write(`\n${note}\n`);
    });
  });
}

interface Predicted {
  mean: number;
  intervals: Record<80, [number, number]>;
}

/**
 * A note for rows whose expected value lies above their own 80 % range (4.8 fatalities against 0–1): the
 * expected value is a mean, lifted by a small chance of one deadly event, while the ranges are quantiles.
 * Read side by side without it, the table looks wrong. Null when no row is like that.
 */
export function meanAboveRangeNote(
  forecasts: readonly { unit: string; month: string; events: Predicted; fatalities: Predicted }[],
): string | null {
  const above = forecasts.flatMap((f) =>
    (['events', 'fatalities'] as const)
      .filter((measure) => f[measure].mean > f[measure].intervals[80][1])
      .map((measure) => ({ f, measure, p: f[measure] })),
  );
  // The starkest case makes the point best.
  const example = above.sort(
    (a, b) => b.p.mean - b.p.intervals[80][1] - (a.p.mean - a.p.intervals[80][1]),
  )[0];
  if (!example) return null;
  const { f, measure, p } = example;
  return `Note: in ${above.length} of ${forecasts.length * 2} figures the expected value lies above its 80 % range (e.g. ${f.unit} ${f.month}: ${Math.round(p.mean * 10) / 10} ${measure} against ${p.intervals[80][0]}–${p.intervals[80][1]}). The expected value is a mean, lifted by a small chance of a large event; the ranges are quantiles of the same forecast.`;
}

/**
 * All units together, per month: the sum's own interval (`totalPrediction`), which is not the sum of
 * the rows' intervals above — said in the heading, since adding up the table is the obvious thing to try.
 */
export function totalsTable(
  totals: readonly { month: string; events: Predicted; fatalities: Predicted }[],
): string {
  const band = (p: Predicted) => `${p.intervals[80][0]}–${p.intervals[80][1]}`;
  return `All units together (the total's own 80 % range, not the sum of the ranges above):\n${table(
    ['month', 'events', '80%', 'fatalities', '80% '],
    totals.map((t) => [
      t.month,
      Math.round(t.events.mean * 10) / 10,
      band(t.events),
      Math.round(t.fatalities.mean * 10) / 10,
      band(t.fatalities),
    ]),
  )}`;
}
