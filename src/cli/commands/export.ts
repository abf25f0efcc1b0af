import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { addGroupOption } from '../../analyse/cli-filter.ts';
import { EXPORT_FORMATS, type ExportFormat, exportEvents } from '../../ingest/export.ts';
import {
  addDbOption,
  addFilterOptions,
  type FilterFlags,
  filterFromFlags,
  printJson,
  storeFilterFromFlags,
  withStoreReading,
} from '../shared-options.ts';

interface ExportFlags extends FilterFlags {
  db?: string;
  group?: string[];
  format: ExportFormat;
  out: string;
  json?: boolean;
}

function parseFormat(value: string): ExportFormat {
  if (!(EXPORT_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${EXPORT_FORMATS.join(', ')}`);
  }
  return value as ExportFormat;
}

export function registerExport(program: Command): void {
  addGroupOption(
    addFilterOptions(
      addDbOption(
        program
          .command('export')
          .description('Write the events a filter selects to CSV, Parquet or GeoJSON.')
          .requiredOption('--format <format>', EXPORT_FORMATS.join('|'), parseFormat)
          .requiredOption('--out <file>', 'output file (replaced if it exists)')
          .option('--json', 'print {file, format, events} as JSON'),
      ),
    ),
  ).action(async (flags: ExportFlags) => {
    filterFromFlags(flags); // bad flags are refused before the store is opened
    const folder = dirname(resolve(flags.out));
    if (!existsSync(folder) || !statSync(folder).isDirectory())
      throw new InvalidArgumentError(`--out ${flags.out}: the folder ${folder} does not exist`);
    const events = await withStoreReading(flags.db, async (store) =>
      exportEvents(store, await storeFilterFromFlags(store, flags), flags.format, flags.out),
    );
    if (flags.json) printJson({ file: flags.out, format: flags.format, events });
    else process.stdout.write(`wrote ${events.toLocaleString('en-US')} events to ${flags.out}\n`);
  });
}
