import { type Command, InvalidArgumentError } from 'commander';
import { addGroupOption } from '../../analyse/cli-filter.ts';
import { STAT_FIELDS, type StatField } from '../../schema/index.ts';
import {
  addDbOption,
  addFilterOptions,
  type FilterFlags,
  filterFromFlags,
  printJson,
  storeFilterFromFlags,
  withStoreReading,
} from '../shared-options.ts';

interface StatsFlags extends FilterFlags {
  db?: string;
  group?: string[];
  by: StatField[];
  json?: boolean;
}

function parseFields(value: string): StatField[] {
  const fields = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = fields.find((f) => !(STAT_FIELDS as readonly string[]).includes(f));
  if (bad !== undefined || fields.length === 0) {
    throw new InvalidArgumentError(
      `expected fields from ${STAT_FIELDS.join(', ')}${bad ? `; got ${bad}` : ''}`,
    );
  }
  return fields as StatField[];
}

export function registerStats(program: Command): void {
  addGroupOption(
    addFilterOptions(
      addDbOption(
        program
          .command('stats')
          .description('Count events and fatalities (best estimate) grouped by one or more fields.')
          .requiredOption('--by <fields>', `comma-separated: ${STAT_FIELDS.join(', ')}`, parseFields)
          .option('--json', 'print {by, rows: [{keys, events, fatalities}]} as JSON (see docs/ingest.md)'),
      ),
    ),
  ).action(async (flags: StatsFlags) => {
    filterFromFlags(flags); // bad flags are refused before the store is opened
    const rows = await withStoreReading(flags.db, async (store) =>
      store.stats(flags.by, await storeFilterFromFlags(store, flags)),
    );
    if (flags.json) return printJson({ by: flags.by, rows });
    const header = [...flags.by, 'events', 'fatalities'];
    const table = rows.map((r) => [
      ...flags.by.map((f) => String(r.keys[f] ?? '(none)')),
      String(r.events),
      String(r.fatalities),
    ]);
    const widths = header.map((h, i) =>
      Math.min(48, Math.max(h.length, ...table.map((row) => row[i]?.length ?? 0))),
    );
    const line = (cells: string[]) =>
      cells
        .map((c, i) =>
          i >= flags.by.length ? c.padStart(widths[i] ?? 0) : c.slice(0, 48).padEnd(widths[i] ?? 0),
        )
        .join('  ');
    process.stdout.write(`${[line(header), ...table.map(line)].join('\n')}\n`);
  });
}
