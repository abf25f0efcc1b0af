import type { Command } from 'commander';
import { backtestFromStore } from '../../analyse/forecast/run.ts';
import { table } from '../../analyse/format.ts';
import { printJson, withStoreReading } from '../shared-options.ts';
import { addForecastOptions, type ForecastFlags, forecastQuery, parseMonth } from './forecast.ts';

const fixed = (x: number, digits = 3) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);

export function registerBacktest(program: Command): void {
  const command = program
    .command('backtest')
    .description(
      'Rolling-origin evaluation of the forecast model against naive baselines (MSE, MSLE, CRPS, coverage)',
    )
    .requiredOption('--from <month>', 'first month forecast, YYYY-MM', parseMonth)
    .option('--by-horizon', 'also show each horizon separately');
  addForecastOptions(command).action(async (flags: ForecastFlags & { from: string; byHorizon?: boolean }) => {
    await withStoreReading(flags.db, async (store) => {
      const result = await backtestFromStore(store, { ...forecastQuery(flags), from: flags.from });
      if (flags.json) return printJson(result);
      process.stdout.write(
        `Backtest per ${result.level}: ${result.origins} origins, forecasting ${result.from} … ${result.to}, horizons 1–${result.horizon}\n\n`,
      );
      const rows = (flags.byHorizon ? result.byHorizon : result.rows.map((r) => ({ ...r, horizon: 0 }))).map(
        (r) => [
          r.target,
          ...(flags.byHorizon ? [r.horizon] : []),
          r.model,
          r.n,
          fixed(r.mse),
          fixed(r.msle),
          fixed(r.crps),
          fixed(r.coverage[50]),
          fixed(r.coverage[80]),
          fixed(r.coverage[95]),
        ],
      );
      process.stdout.write(
        `${table(
          [
            'target',
            ...(flags.byHorizon ? ['h'] : []),
            'model',
            'n',
            'MSE',
            'MSLE',
            'CRPS',
            'cov50',
            'cov80',
            'cov95',
          ],
          rows,
        )}\n\n`,
      );
      for (const [target, v] of Object.entries(result.improvement)) {
        process.stdout.write(
          `${target}: model MSE ${v.mseReduction >= 0 ? `${(v.mseReduction * 100).toFixed(1)} % lower` : `${(-v.mseReduction * 100).toFixed(1)} % higher`} than the best baseline (${v.bestBaseline})\n`,
        );
      }
      process.stdout.write(
        'Baselines are scored as Poisson distributions around their value (zero: all mass at 0).\n',
      );
    });
  });
}
