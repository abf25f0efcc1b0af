/**
 * Ingest benchmark: writes N synthetic ACLED-shaped rows (official export columns), ingests them into a
 * temporary DuckDB file through the real pipeline (the same code as `sitrep ingest`), and compares with
 * DuckDB's own `read_csv` of the same file.
 *
 *   npx tsx bench/ingest.ts [--rows 1000000] [--keep] [--javascript] [--rerun] [--memory 256MB]
 *
 * `--javascript` forces the JavaScript row pipeline (the reference) instead of the DuckDB-native path.
 * `--rerun` also times a second ingest of the same file (every row unchanged: the path that stages and
 * compares instead of inserting straight into `events`). `--memory` sets DuckDB's memory cap during the
 * ingest (`duckdbMemoryLimit`; the default is the CLI's).
 */

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { learnPlaces } from '../src/extract/places/index.ts';
import { ingestPaths } from '../src/ingest/run-ingest.ts';
import { openStore } from '../src/store/open-store.ts';
import { writeSyntheticAcled } from './synthetic-acled.ts';
import { exitWithUsageIfAsked } from './usage.ts';

exitWithUsageIfAsked(import.meta.url);

/**
 * DuckDB loading the same file by itself: into memory (the yardstick), or into a database file
 * with the ACLED id as primary key, as a user loading it into a table they keep would (`dbFile`).
 */
async function readCsvSeconds(
  path: string,
  dbFile?: string,
): Promise<{ seconds: number; cpuSeconds: number }> {
  const instance = await DuckDBInstance.create(dbFile ?? ':memory:');
  const connection = await instance.connect();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const source = `read_csv('${path.replaceAll("'", "''")}', header = true)`;
  if (dbFile) {
    await connection.run(`CREATE TABLE t AS SELECT * FROM ${source} LIMIT 0`);
    await connection.run('ALTER TABLE t ADD PRIMARY KEY (event_id_cnty)');
    await connection.run(`INSERT INTO t SELECT * FROM ${source}`);
    await connection.run('CHECKPOINT');
  } else await connection.run(`CREATE TABLE t AS SELECT * FROM ${source}`);
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (performance.now() - started) / 1000;
  connection.closeSync();
  instance.closeSync();
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
    javascript: { type: 'boolean', default: false },
    rerun: { type: 'boolean', default: false },
    memory: { type: 'string' },
  },
});
const rows = Number(values.rows);
const dir = mkdtempSync(join(tmpdir(), 'sitrep-bench-'));
const csv = join(dir, 'acled-synthetic.csv');
try {
  let started = performance.now();
  await writeSyntheticAcled(csv, rows);
  const mb = statSync(csv).size / 1e6;
  console.log(
    `wrote ${rows.toLocaleString('en-US')} rows (${mb.toFixed(0)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const store = await openStore(join(dir, 'bench.duckdb'));
  // What `sitrep ingest` runs: the file's import, then the gazetteer's rebuild from the stored events
  // (ingestPaths' `learnPlaces`, which a user pays for on every ingest that changes events). Both are in
  // the measured time; they are timed apart only to print the split.
  started = performance.now();
  const cpuBefore = process.cpuUsage();
  const report = await ingestPaths(store, [csv], {
    javascriptOnly: values.javascript,
    learnPlaces: false,
    duckdbMemoryLimit: values.memory,
  });
  const importSeconds = (performance.now() - started) / 1000;
  const importCpu = process.cpuUsage(cpuBefore);
  const learned = await learnPlaces(store);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const importCpuSeconds = (importCpu.user + importCpu.system) / 1e6;
  const ingestRss = process.resourceUsage().maxRSS / 1024; // kB → MiB
  console.log(
    `  of which the import ${importSeconds.toFixed(2)} s (CPU ${importCpuSeconds.toFixed(2)} s), learnPlaces ${(seconds - importSeconds).toFixed(2)} s (CPU ${(cpuSeconds - importCpuSeconds).toFixed(2)} s, ${learned.places.toLocaleString('en-US')} places)`,
  );
  if (values.rerun) {
    const rerunStarted = performance.now();
    const rerunCpu = process.cpuUsage();
    const again = await ingestPaths(store, [csv], {
      javascriptOnly: values.javascript,
      learnPlaces: false,
      duckdbMemoryLimit: values.memory,
    });
    const used = process.cpuUsage(rerunCpu);
    const file = again.files[0];
    console.log(
      `re-run of the same file: ${((performance.now() - rerunStarted) / 1000).toFixed(2)} s, CPU ${((used.user + used.system) / 1e6).toFixed(2)} s (${file?.inserted} inserted, ${file?.updated} updated, ${file?.unchanged} unchanged; peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB)`,
    );
  }
  await store.close();
  const storeMb = statSync(join(dir, 'bench.duckdb')).size / 1e6;
  const stored = report.files[0]?.stored ?? 0;
  if (stored !== rows) throw new Error(`stored ${stored} of ${rows} rows`);

  // Peak RSS of the ingest alone: read_csv below loads the whole file into memory in this process.
  const maxRss = ingestRss;
  const duck = await readCsvSeconds(csv);
  const duckToFile = await readCsvSeconds(csv, join(dir, 'read-csv.duckdb'));
  console.log(
    `sitrep ingest (${values.javascript ? 'JavaScript path' : 'DuckDB-native path'}, learnPlaces included): ${seconds.toFixed(2)} s, ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`,
  );
  // On a shared machine wall time depends on the neighbours; CPU time (all threads) much less so.
  console.log(
    `  CPU time ${cpuSeconds.toFixed(2)} s (load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores)`,
  );
  console.log(
    `duckdb read_csv: ${duck.seconds.toFixed(2)} s, CPU ${duck.cpuSeconds.toFixed(2)} s  (sitrep / read_csv = ${(seconds / duck.seconds).toFixed(1)}× wall, ${(cpuSeconds / duck.cpuSeconds).toFixed(1)}× CPU)`,
  );
  console.log(
    `duckdb read_csv into a database file with a primary key: ${duckToFile.seconds.toFixed(2)} s, CPU ${duckToFile.cpuSeconds.toFixed(2)} s  (sitrep / that = ${(seconds / duckToFile.seconds).toFixed(1)}× wall, ${(cpuSeconds / duckToFile.cpuSeconds).toFixed(1)}× CPU)`,
  );
  console.log(
    `peak RSS during the ingest: ${maxRss.toFixed(0)} MiB; the store's file: ${storeMb.toFixed(0)} MB`,
  );
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
