import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { ingestPaths } from '../../ingest/run-ingest.ts';
import { formatIngestReport } from '../../ingest/summary.ts';
import type { StatRow } from '../../schema/index.ts';
import type { Store } from '../../store/contract.ts';
import { addDbOption, clip, printJson, withStore } from '../shared-options.ts';
import { sourcesOf } from './sources.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Third-party files the demo reads when `../shared/data` is there; the repo may not ship them. */
const SHARED_FILES = [
  'acled-balochistan-2020-2024h1.csv',
  'gtd-pakistan-2008.geojson',
  'pakistan-suicide-attacks-1995-2018.csv',
  'pakistan-drone-strikes-2004-2018.csv',
];
/** What the repository itself carries: a synthetic sample in UCDP GED's layout. */
const BUNDLED_FILES = ['test/fixtures/ucdp-ged-sample.csv'];

export function demoFiles(sharedDir: string): { files: string[]; sharedFound: boolean } {
  const shared = SHARED_FILES.map((f) => join(sharedDir, f)).filter((p) => existsSync(p));
  const bundled = BUNDLED_FILES.map((f) => join(REPO, f));
  return { files: [...shared, ...bundled].map(displayPath), sharedFound: shared.length > 0 };
}

/**
 * A path as the README says it: relative to the working folder while that climbs at most one level
 * ("../shared/data" beside the repository), else absolute ("/work/shared/data", not
 * "../../../work/shared/data" from a folder elsewhere).
 */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  const climbs = rel.split(/[/\\]/).filter((part) => part === '..').length;
  return rel && climbs <= 1 && !isAbsolute(rel) ? rel : resolve(path);
}

async function summary(store: Store) {
  const { sources } = await sourcesOf(store);
  const byActor = (await store.stats(['actor'], {})).filter((r) => r.keys.actor !== null);
  byActor.sort((a, b) => b.events - a.events);
  return { sources, topActors: byActor.slice(0, 10), byYear: await store.stats(['year'], {}) };
}

function bar(value: number, max: number, width = 30): string {
  return '#'.repeat(max > 0 ? Math.max(value > 0 ? 1 : 0, Math.round((value / max) * width)) : 0);
}

function formatSummary(s: Awaited<ReturnType<typeof summary>>): string {
  const lines = ['', 'events per source:'];
  for (const src of s.sources) {
    lines.push(
      `  ${src.source.padEnd(26)} ${String(src.events).padStart(6)}  ${src.firstDate} … ${src.lastDate}`,
    );
  }
  lines.push('', 'top actors (actor 1, canonical):');
  for (const r of s.topActors) {
    lines.push(
      `  ${clip(String(r.keys.actor), 40).padEnd(40)} ${String(r.events).padStart(6)} events ${String(r.fatalities).padStart(6)} killed`,
    );
  }
  lines.push('', 'events by year:');
  const max = Math.max(0, ...s.byYear.map((r: StatRow) => r.events));
  for (const r of s.byYear)
    lines.push(`  ${r.keys.year}  ${String(r.events).padStart(6)}  ${bar(r.events, max)}`);
  return lines.join('\n');
}

export function registerDemo(program: Command): void {
  addDbOption(
    program
      .command('demo')
      .description(
        "Ingest what is available (../shared/data's ACLED, GTD and the two Pakistan compilations, plus the repo's UCDP sample) " +
          'and print a summary: events per source, top actors, events by year. Safe to run again: nothing is added twice.',
      )
      .option(
        '--shared <dir>',
        'where the third-party data sets are',
        process.env.SITREP_SHARED_DATA ?? join(REPO, '../shared/data'),
      )
      .option('--json', 'print {files, sources, topActors, byYear} as JSON'),
  ).action(async (flags: { db?: string; shared: string; json?: boolean }) => {
    const { files, sharedFound } = demoFiles(flags.shared);
    if (!flags.json) {
      process.stdout.write(
        sharedFound
          ? `reading the data sets in ${displayPath(flags.shared)}\n`
          : `${flags.shared} not found: ingesting only what the repository may redistribute (a synthetic UCDP GED sample); put ACLED/GTD exports there for the real demo\n`,
      );
    }
    const result = await withStore(flags.db, async (store) => {
      const report = await ingestPaths(store, files, { progress: !flags.json });
      return { report, summary: await summary(store) };
    });
    if (flags.json) return printJson({ files: result.report.files, ...result.summary });
    process.stdout.write(`${formatIngestReport(result.report, 5)}\n${formatSummary(result.summary)}\n`);
  });
}
