/**
 * A long news text against its size: time (CPU and wall) and peak RSS of storing one document of 1, 2, 4
 * and 8 MB, so that a step growing faster than the text shows as a rising "CPU s/MB" column.
 *
 *   npx tsx bench/text-size.ts [--sizes 1,2,4,8] [--postgres URL]
 *
 * The document is one attack report (a date, an actor, a place and a toll) repeated one a line, so every
 * line is an event: 1 MB holds about 10,000. Each size runs in a fresh process (peak RSS is the process's
 * own) through `ingestTextPaths` (with the store's gazetteer and actors) into a fresh DuckDB file (or, with --postgres, a fresh schema there), as
 * `sitrep ingest --format text FILE` does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Gazetteer } from '../src/extract/places/gazetteer.ts';
import { ingestTextPaths } from '../src/ingest/text/store-document.ts';
import { ActorRegistry } from '../src/resolve/actor-registry.ts';
import { openStore } from '../src/store/open-store.ts';
import { exitWithUsageIfAsked } from './usage.ts';

exitWithUsageIfAsked(import.meta.url);

const REPORT =
  'On 3 May 2024, BLA militants attacked a police checkpost in Turbat, Kech district, killing two soldiers.\n';

interface Measured {
  events: number;
  parts: number;
  extractCpu: number;
  storeCpu: number;
  wall: number;
  peakRssMb: number;
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

/** One size, in this process: the figures go to stdout as JSON for the parent. */
async function child(file: string, location: string): Promise<void> {
  const store = await openStore(location);
  const started = performance.now();
  const cpu = process.cpuUsage();
  // CPU of reading events and of writing them, summed over the parts of a file stored as several documents
  let extractCpu = 0;
  let stage: 'extract' | 'store' = 'extract';
  let mark = 0;
  // as `sitrep ingest --format text FILE` (src/cli/commands/ingest.ts) does it
  const result = await ingestTextPaths(store, [file], {
    published: '2024-05-10',
    gazetteer: await Gazetteer.fromStore(store),
    actors: await ActorRegistry.fromStore(store),
    onProgress: (now) => {
      if (now === stage) return;
      const at = cpuSeconds(cpu);
      if (stage === 'extract') extractCpu += at - mark;
      stage = now;
      mark = at;
    },
  });
  const total = cpuSeconds(cpu);
  if (stage === 'extract') extractCpu += total - mark;
  const wall = (performance.now() - started) / 1000;
  await store.close();
  const measured: Measured = {
    events: result.events,
    parts: result.split[0]?.parts ?? 1,
    extractCpu,
    storeCpu: total - extractCpu,
    wall,
    // resourceUsage's maxRSS is in kilobytes
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(measured));
}

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    db: { type: 'string' },
    sizes: { type: 'string', default: '1,2,4,8' },
    postgres: { type: 'string' },
  },
});

if (values.child && values.db) {
  await child(values.child, values.db);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-text-size-'));
  try {
    process.stdout.write(
      `one report a line, stored as sitrep ingest --format text does (${values.postgres ? 'PostgreSQL' : 'DuckDB file'}); load ${loadavg()[0]?.toFixed(1)}\n`,
    );
    process.stdout.write(
      `${'MB'.padStart(5)} ${'events'.padStart(8)} ${'parts'.padStart(6)} ${'extract CPU s'.padStart(14)} ${'store CPU s'.padStart(12)} ${'CPU s/MB'.padStart(9)} ${'wall s'.padStart(7)} ${'peak RSS MB'.padStart(12)}\n`,
    );
    for (const mb of values.sizes.split(',').map(Number)) {
      const file = join(dir, `report-${mb}mb.txt`);
      writeFileSync(file, REPORT.repeat(Math.round((mb * 1024 * 1024) / REPORT.length)));
      const location = values.postgres
        ? `${values.postgres}${values.postgres.includes('?') ? '&' : '?'}schema=sitrep_text_size_${process.pid}_${String(mb).replace('.', '_')}`
        : join(dir, `store-${mb}.duckdb`);
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', file, '--db', location],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      const m = JSON.parse(out) as Measured;
      const cpu = m.extractCpu + m.storeCpu;
      process.stdout.write(
        `${String(mb).padStart(5)} ${String(m.events).padStart(8)} ${String(m.parts).padStart(6)} ${m.extractCpu.toFixed(1).padStart(14)} ${m.storeCpu.toFixed(1).padStart(12)} ${(cpu / mb).toFixed(2).padStart(9)} ${m.wall.toFixed(1).padStart(7)} ${m.peakRssMb.toFixed(0).padStart(12)}\n`,
      );
      rmSync(file, { force: true });
      if (values.postgres) await dropSchema(location);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function dropSchema(location: string): Promise<void> {
  const schema = new URL(location).searchParams.get('schema');
  const base = location.replace(/[?&]schema=[^&]*/, '');
  const pg = await import('pg');
  const client = new pg.default.Client({ connectionString: base });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}
