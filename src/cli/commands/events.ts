import { type Command, InvalidArgumentError } from 'commander';
import { addGroupOption } from '../../analyse/cli-filter.ts';
import { CSV_HEADER, csvLine } from '../../ingest/export.ts';
import type { EventRecord } from '../../schema/index.ts';
import { placeLine } from '../../schema/place-name.ts';
import {
  addDbOption,
  addFilterOptions,
  type FilterFlags,
  filterFromFlags,
  printJson,
  storeFilterFromFlags,
  withStoreReading,
} from '../shared-options.ts';

interface EventsFlags extends FilterFlags {
  db?: string;
  group?: string[];
  limit: number;
  after?: string;
  json?: boolean;
  csv?: boolean;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new InvalidArgumentError('expected a whole number from 1 to 10000');
  return n;
}

const cut = (s: string | null, width: number) => {
  const text = s ?? '';
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
};

/** The date as far as the source gives it: "2024-10" for a month, "2016" for a year, never a made-up day. */
function shownDate(e: EventRecord): string {
  const date =
    e.timePrecision === 'month'
      ? e.eventDate.slice(0, 7)
      : e.timePrecision === 'year'
        ? e.eventDate.slice(0, 4)
        : e.eventDate;
  return date.padEnd(10);
}

/**
 * Deaths as the source gave them: "~3" when a text said only a vague word ("killed many"), which
 * extraction reads as a number but marks in `raw.vague_counts` (docs/extraction.md).
 */
function shownDeaths(e: EventRecord): string {
  if (e.fatalities.best === null) return '-';
  const vague = (e.raw as { vague_counts?: unknown } | null)?.vague_counts;
  return Array.isArray(vague) && vague.includes('killed')
    ? `~${e.fatalities.best}`
    : String(e.fatalities.best);
}

/**
 * One line per event for people: date, source, type, actors, place, deaths (~ for a vague word). The source column is as wide
 * as the page's longest source name (up to 26): cut at 10, "pakistan-suicide-attacks" and
 * "pakistan-drone-strikes" both read "pakistan-…".
 */
export function formatEventLine(e: EventRecord, sourceWidth = 10): string {
  const place = placeLine([e.location, e.admin2, e.admin1]);
  const type = e.subEventType ?? e.eventType ?? e.attackType;
  // An event whose text names only the side attacked keeps its place: "? vs X", never X as the attacker.
  const actors = e.actor2 ? `${e.actor1 ?? '?'} vs ${e.actor2}` : (e.actor1 ?? '');
  return `${shownDate(e)}  ${cut(e.source, sourceWidth)} ${cut(type, 28)} ${cut(actors, 48)} ${cut(place, 36)} ${shownDeaths(e)}`;
}

export function registerEvents(program: Command): void {
  addGroupOption(
    addFilterOptions(
      addDbOption(
        program
          .command('events')
          .description('List stored events, newest first, with filters.')
          .option('--limit <n>', 'how many events (1–10000)', positiveInt, 50)
          .option('--after <cursor>', 'the next page: the nextCursor of a previous --json output')
          .option('--json', 'print {events, nextCursor} as JSON (see docs/ingest.md)')
          .option('--csv', 'print CSV with the events table columns'),
      ),
    ),
  ).action(async (flags: EventsFlags) => {
    filterFromFlags(flags); // bad flags are refused before the store is opened
    const page = await withStoreReading(flags.db, async (store) =>
      store.events(await storeFilterFromFlags(store, flags), {
        limit: flags.limit,
        after: flags.after ?? null,
      }),
    );
    if (flags.json) return printJson(page);
    if (flags.csv) {
      process.stdout.write(`${CSV_HEADER}\n${page.events.map((e) => `${csvLine(e)}\n`).join('')}`);
      return;
    }
    if (page.events.length === 0) {
      process.stdout.write('no events match\n');
      return;
    }
    const sourceWidth = Math.min(26, Math.max(6, ...page.events.map((e) => e.source.length)));
    process.stdout.write(`${page.events.map((e) => formatEventLine(e, sourceWidth)).join('\n')}\n`);
    if (page.nextCursor) process.stdout.write(`… more: --after ${page.nextCursor}\n`);
  });
}
