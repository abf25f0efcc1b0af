import { type Command, InvalidArgumentError, Option } from 'commander';
import { questionFilter } from '../analyse/cli-filter.ts';
import { type QuestionFilter, type ResolvedFilter, resolveFilter } from '../analyse/filter.ts';
import { isCalendarDay } from '../ingest/text/read-document.ts';
import { EventFilter } from '../schema/index.ts';
import type { Store } from '../store/contract.ts';
import { openStore, resolveDbLocation } from '../store/open-store.ts';
import { warnUnknownActors } from './unknown-actors.ts';

/** `--db PATH|postgres://…`, shared by every command that touches the store. */
export function addDbOption(command: Command): Command {
  return command.option(
    '--db <location>',
    'DuckDB file or postgres:// URL, ?schema=NAME for a schema of its own (default: $SITREP_DB or ./sitrep.duckdb)',
  );
}

/**
 * Opens the store named by `--db`, runs `work`, and always closes it, but only once every call `work`
 * started has settled: an analysis that fails while its sibling queries are still running (they are
 * issued together) would otherwise close DuckDB under a running query, which hangs or crashes the process.
 * Commands that only read pass `readOnly`, so that they can ask questions of a DuckDB file that a `sitrep
 * serve` (or another question) has open (docs/ingest.md, "One store, several processes").
 */
export async function withStore<T>(
  db: string | undefined,
  work: (store: Store) => Promise<T>,
  options: { readOnly?: boolean } = {},
): Promise<T> {
  const store = await openStore(resolveDbLocation(db), options);
  const pending = new Set<Promise<unknown>>();
  const tracked = new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function' || key === 'close') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (result instanceof Promise) {
          pending.add(result);
          const settle = () => pending.delete(result);
          result.then(settle, settle);
        }
        return result;
      };
    },
  });
  try {
    return await work(tracked);
  } finally {
    while (pending.size > 0) await Promise.allSettled([...pending]);
    await store.close();
  }
}

/** A repeatable flag whose values may also be comma-separated: `--actor BLA,BLF --actor TTP`. */
export const list = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

/** The filters every question takes: actor, type, place, period, bounding box. */
export function addFilterOptions(command: Command): Command {
  return command
    .option('--actor <names>', 'actor name, alias or id (repeat or comma-separate)', list)
    .option('--type <types>', 'ACLED event type (repeat or comma-separate)', list)
    .option('--sub-type <types>', 'ACLED sub-event type (repeat or comma-separate)', list)
    .option('--admin1 <names>', 'province / state (repeat or comma-separate)', list)
    .option('--admin2 <names>', 'district (repeat or comma-separate)', list)
    .option('--source <names>', 'data set the record came from: acled, gtd, ucdp, text, …', list)
    .option('--from <date>', 'first day, YYYY-MM-DD', calendarDay)
    .option('--to <date>', 'last day, YYYY-MM-DD', calendarDay)
    .addOption(new Option('--bbox <w,s,e,n>', 'bounding box in degrees').argParser(parseBbox));
}

/**
 * A parser for a whole-number flag within [min, max]: "abc", "2.5" or "-3" are refused by the flag
 * parser, naming the flag, instead of reaching an analysis as NaN.
 *
 * @example program.option('--limit <n>', 'how many', wholeNumber(1, 500), 50)
 */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/** A real calendar day as YYYY-MM-DD (2024-13-45 and 2023-02-29 are refused before they reach SQL). */
export function calendarDay(value: string): string {
  if (!isCalendarDay(value)) throw new InvalidArgumentError('expected a calendar date as YYYY-MM-DD');
  return value;
}

export { isCalendarDay };

function parseBbox(value: string): [number, number, number, number] {
  const parts = value.split(',').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
    throw new InvalidArgumentError('expected four numbers: west,south,east,north');
  }
  return parts as [number, number, number, number];
}

export interface FilterFlags {
  actor?: string[];
  type?: string[];
  subType?: string[];
  admin1?: string[];
  admin2?: string[];
  source?: string[];
  from?: string;
  to?: string;
  bbox?: [number, number, number, number];
}

/** Turns parsed flags into a validated EventFilter, with a message that names the bad flag. */
export function filterFromFlags(flags: FilterFlags): EventFilter {
  const candidate = {
    actors: flags.actor,
    eventTypes: flags.type,
    subEventTypes: flags.subType,
    admin1: flags.admin1,
    admin2: flags.admin2,
    sources: flags.source,
    from: flags.from,
    to: flags.to,
    bbox: flags.bbox,
  };
  const defined = Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined));
  const parsed = EventFilter.safeParse(defined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidArgumentError(`--${String(issue?.path[0] ?? 'filter')}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * The filter flags plus `--group`, with groups expanded into their members against the store: what
 * `events`, `stats` and `export` select, the same events `trend` or `check` count for the same flags.
 */
export async function storeFilterFromFlags(
  store: Store,
  flags: FilterFlags & { group?: string[] },
): Promise<EventFilter> {
  return (await resolveQuestion(store, questionFilter(filterFromFlags(flags), flags.group))).filter;
}

/** resolveFilter for a command's flags: also warns (stderr) about `--actor` values the store does not know. */
export async function resolveQuestion(store: Store, question: QuestionFilter): Promise<ResolvedFilter> {
  await warnUnknownActors(store, question.actors);
  return resolveFilter(store, question);
}

/**
 * A name cut to fit a table column, with "…" when it was cut: a silently clipped actor name
 * ("Unidentified Armed Group (Pakista") reads as a different name.
 *
 * @example clip('BLA-AA: Baloch Liberation Army-Aslam Acho', 20) // 'BLA-AA: Baloch Libe…'
 */
export function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/**
 * `withStore` for commands that only read: several of them, and a `sitrep serve` without a token, can have
 * one DuckDB file open at once (a write through this store fails).
 */
export function withStoreReading<T>(db: string | undefined, work: (store: Store) => Promise<T>): Promise<T> {
  return withStore(db, work, { readOnly: true });
}
