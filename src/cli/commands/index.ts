import type { Command } from 'commander';
import { registerActors } from './actors.ts';
import { registerBacktest } from './backtest.ts';
import { registerCheck } from './check.ts';
import { registerDemo } from './demo.ts';
import { registerEval } from './eval.ts';
import { registerEvents } from './events.ts';
import { registerExplain } from './explain.ts';
import { registerExport } from './export.ts';
import { registerExposure } from './exposure.ts';
import { registerExtract } from './extract.ts';
import { registerForecast } from './forecast.ts';
import { registerIngest } from './ingest.ts';
import { registerLink } from './link.ts';
import { registerNetwork } from './network.ts';
import { registerPlaces } from './places.ts';
import { registerReport } from './report.ts';
import { registerResolve } from './resolve.ts';
import { registerServe } from './serve.ts';
import { registerSites } from './sites.ts';
import { registerSources } from './sources.ts';
import { registerSpread } from './spread.ts';
import { registerStats } from './stats.ts';
import { registerStatus } from './status.ts';
import { registerTrend } from './trend.ts';
import { registerWatch } from './watch.ts';
import { registerWorker } from './worker.ts';

/** Each command module adds itself to the program; the order here is the order in `--help`. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [
  registerIngest,
  registerEvents,
  registerStats,
  registerExport,
  registerSources,
  registerDemo,
  registerExtract,
  registerEval,
  registerPlaces,
  registerResolve,
  registerExplain,
  registerLink,
  registerTrend,
  registerSpread,
  registerNetwork,
  registerActors,
  registerSites,
  registerExposure,
  registerCheck,
  registerForecast,
  registerBacktest,
  registerServe,
  registerReport,
  registerWatch,
  registerWorker,
  registerStatus,
];
