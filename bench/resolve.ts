/**
 * Resolution benchmark. Prints figures; asserts nothing.
 *
 *   npx tsx bench/resolve.ts                  precision / recall on the hand-checked 2008 gold pairs
 *   npx tsx bench/resolve.ts --synthetic 1000000 [--db postgres://…]   speed on N synthetic records
 *
 * Real data is read from ../shared/data (or SITREP_SHARED_DATA); nothing from it is written to the repo.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { random } from '../src/analyse/forecast/test-panel.ts';
import { ingestPaths } from '../src/ingest/run-ingest.ts';
import { evaluateLinks, GOLD_2008_SCOPE, readGoldPairs } from '../src/resolve/evaluate.ts';
import { resolveEvents } from '../src/resolve/resolve-events.ts';
import { blankEvent, type EventRecord } from '../src/schema/index.ts';
import type { Store } from '../src/store/contract.ts';
import { openStore } from '../src/store/open-store.ts';
import { exitWithUsageIfAsked } from './usage.ts';

exitWithUsageIfAsked(import.meta.url);

const { values } = parseArgs({
  options: { synthetic: { type: 'string' }, db: { type: 'string' } },
});
const shared = process.env.SITREP_SHARED_DATA ?? resolve(import.meta.dirname, '../../shared/data');
const dir = mkdtempSync(join(tmpdir(), 'sitrep-bench-resolve-'));
const store = await openStore(values.db ?? join(dir, 'bench.duckdb'));

const PROVINCES = [
  ['Balochistan', 28.5, 65.5],
  ['Khyber Pakhtunkhwa', 34.2, 71.8],
  ['Punjab', 31.0, 72.5],
  ['Sindh', 26.0, 68.5],
  ['FATA', 33.0, 70.5],
] as const;

/**
 * N records: incidents spread over 20 years across five provinces, each reported by one to three
 * sources with jittered date (±1 day for 20 %), place (a few km) and toll, so both true duplicates and
 * same-day neighbours are common. Returns the number of true cross-source pairs.
 */
async function loadSynthetic(db: Store, n: number): Promise<{ truePairs: Set<string> }> {
  const next = random(42);
  const truePairs = new Set<string>();
  const sources = ['alpha', 'beta', 'gamma'];
  const start = Date.parse('2004-01-01T00:00:00Z');
  const days = 20 * 365;
  let written = 0;
  let incident = 0;
  const writer = await db.beginImport({ file: `synthetic-${n}`, sha256: String(n), format: 'synthetic' });
  let batch: EventRecord[] = [];
  while (written < n) {
    incident++;
    const [admin1, lat0, lon0] = PROVINCES[Math.floor(next() * PROVINCES.length)]!;
    const day = Math.floor(next() * days);
    const lat = lat0 + (next() - 0.5) * 4;
    const lon = lon0 + (next() - 0.5) * 4;
    const killed = Math.floor(-Math.log(1 - next()) * 4);
    const suicide = next() < 0.15;
    const reports = 1 + Math.floor(next() * 3);
    const ids: string[] = [];
    for (let r = 0; r < reports && written < n; r++) {
      const source = sources[r]!;
      const shift = next() < 0.2 ? (next() < 0.5 ? -1 : 1) : 0;
      const id = `${source}:${incident}`;
      ids.push(id);
      batch.push(
        blankEvent({
          id,
          source,
          sourceId: String(incident),
          eventDate: new Date(start + (day + shift) * 86_400_000).toISOString().slice(0, 10),
          eventType: 'Explosions/Remote violence',
          suicide,
          admin1,
          latitude: lat + (next() - 0.5) * 0.05,
          longitude: lon + (next() - 0.5) * 0.05,
          geoPrecision: 1 + Math.floor(next() * 2),
          fatalities: { low: killed, best: killed + (next() < 0.3 ? 1 : 0), high: killed + 1 },
        }),
      );
      written++;
    }
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) truePairs.add(`${ids[i]}\u0000${ids[j]}`);
    if (batch.length >= 50_000) {
      await writer.add(batch);
      batch = [];
    }
  }
  await writer.add(batch);
  await writer.finish({ rowsRead: n, rowsRejected: 0 });
  return { truePairs };
}

async function syntheticPrecisionRecall(db: Store, truePairs: Set<string>) {
  const rows = await db.query(
    `SELECT a.record_id AS a, b.record_id AS b FROM event_links a JOIN event_links b
     ON a.resolved_id = b.resolved_id AND a.record_id < b.record_id`,
  );
  let tp = 0;
  for (const r of rows) {
    const [x, y] = [String(r.a), String(r.b)];
    if (truePairs.has(`${x}\u0000${y}`) || truePairs.has(`${y}\u0000${x}`)) tp++;
  }
  return { predicted: rows.length, precision: tp / rows.length, recall: tp / truePairs.size };
}

try {
  if (values.synthetic) {
    const n = Number(values.synthetic);
    let t = performance.now();
    const { truePairs } = await loadSynthetic(store, n);
    console.log(
      `loaded ${n} synthetic records in ${((performance.now() - t) / 60_000).toFixed(2)} min (${store.location.startsWith('postgres') ? 'postgres' : 'duckdb'})`,
    );
    t = performance.now();
    const cpu = process.cpuUsage();
    const summary = await resolveEvents(store);
    const minutes = (performance.now() - t) / 60_000;
    const used = process.cpuUsage(cpu);
    // CPU time of this process (JS and, for DuckDB, the database's threads); wall time depends on the machine's load.
    const cpuMinutes = (used.user + used.system) / 60e6;
    console.log(
      `resolve: ${minutes.toFixed(2)} min wall, ${cpuMinutes.toFixed(2)} min CPU for ${summary.records} records`,
      summary,
    );
    const quality = await syntheticPrecisionRecall(store, truePairs);
    console.log(
      `synthetic pairs: ${truePairs.size} true, ${quality.predicted} predicted, precision ${quality.precision.toFixed(3)}, recall ${quality.recall.toFixed(3)}`,
    );
    t = performance.now();
    const again = await resolveEvents(store);
    console.log(`re-run (idempotent): ${((performance.now() - t) / 60_000).toFixed(2)} min`, again.phases);
  } else {
    await ingestPaths(store, [join(shared, 'gtd-pakistan-2008.geojson')]);
    await ingestPaths(store, [join(shared, 'pakistan-suicide-attacks-1995-2018.csv')], {
      mappingPath: resolve(import.meta.dirname, '../data/mappings/pakistan-suicide-attacks.json'),
    });
    const summary = await resolveEvents(store);
    const gold = readGoldPairs(resolve(import.meta.dirname, '../data/resolution/gold-pairs-2008.json'));
    const result = await evaluateLinks(store, gold, GOLD_2008_SCOPE);
    console.log(
      `records ${summary.records}, resolved events ${summary.resolvedEvents}, merged ${summary.mergedEvents} (${summary.seconds} s)`,
    );
    console.log(
      `GTD 2008 suicide × suicide-attacks 2008: gold ${result.gold}, predicted ${result.predicted}, true ${result.truePositives}, ambiguous ignored ${result.ignoredAmbiguous}`,
    );
    console.log(`precision ${result.precision.toFixed(3)}  recall ${result.recall.toFixed(3)}`);
    for (const [a, b] of result.falsePositives) console.log(`  false link: ${a} ~ ${b}`);
    for (const [a, b] of result.falseNegatives) console.log(`  missed:     ${a} ~ ${b}`);
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
