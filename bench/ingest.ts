/**
 * Ingest benchmark: writes N synthetic ACLED-shaped rows (official export columns), ingests them into a
 * temporary DuckDB file through the real pipeline (the same code as `sitrep ingest`), and compares with
 * DuckDB's own `read_csv` of the same file.
 *
 *   npx tsx bench/ingest.ts [--rows 1000000] [--keep]
 */

import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { ingestPaths } from '../src/ingest/run-ingest.ts';
import { openStore } from '../src/store/open-store.ts';

const HEADER = [
  'event_id_cnty',
  'event_date',
  'year',
  'time_precision',
  'disorder_type',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'interaction',
  'civilian_targeting',
  'iso',
  'region',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'source_scale',
  'notes',
  'fatalities',
  'tags',
  'timestamp',
];

const TYPES: [string, string][] = [
  ['Battles', 'Armed clash'],
  ['Explosions/Remote violence', 'Remote explosive/landmine/IED'],
  ['Violence against civilians', 'Attack'],
  ['Explosions/Remote violence', 'Suicide bomb'],
  ['Strategic developments', 'Arrests'],
];
const ACTORS = [
  'BLA: Baloch Liberation Army',
  'BLF: Baloch Liberation Front',
  'Military Forces of Pakistan (2022-)',
  'Police Forces of Pakistan (2022-) Frontier Corps',
  'Unidentified Armed Group (Pakistan)',
  'TTP: Tehreek-e-Taliban Pakistan',
];
const DISTRICTS = [
  'Kech',
  'Quetta',
  'Panjgur',
  'Gwadar',
  'Kalat',
  'Mastung',
  'Kachhi',
  'Turbat',
  'Zhob',
  'Awaran',
];

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A deterministic pseudo-random row: the same N always gives the same file. */
function syntheticRow(i: number): string {
  const day = new Date(Date.UTC(2015, 0, 1) + (i % 3650) * 86_400_000).toISOString().slice(0, 10);
  const [type, sub] = TYPES[i % TYPES.length] as [string, string];
  const a1 = ACTORS[i % ACTORS.length] as string;
  const a2 = i % 3 ? (ACTORS[(i * 7 + 1) % ACTORS.length] as string) : 'Civilians (Pakistan)';
  const district = DISTRICTS[i % DISTRICTS.length] as string;
  const cells = [
    `PAK${i + 1}`,
    day,
    day.slice(0, 4),
    String((i % 3) + 1),
    'Political violence',
    type,
    sub,
    a1,
    '',
    '2',
    a2,
    '',
    '1',
    'State forces-Rebel group',
    i % 4 === 0 ? 'Civilian targeting' : '',
    '586',
    'Southern Asia',
    'Pakistan',
    'Balochistan',
    district,
    `${district} Tehsil`,
    `${district} village ${i % 997}`,
    (25 + (i % 500) / 100).toFixed(4),
    (62 + (i % 700) / 100).toFixed(4),
    String((i % 3) + 1),
    'Dawn; The Balochistan Post',
    'National',
    `On ${day}, synthetic event ${i}: militants attacked a checkpost near ${district}, "reports" said; ${i % 5} killed.`,
    String(i % 5),
    i % 10 === 0 ? 'crowd size=no report' : '',
    '1718000000',
  ];
  return cells.map(csvCell).join(',');
}

async function writeFile(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${HEADER.join(',')}\n`);
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    buffer += `${syntheticRow(i)}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

async function readCsvSeconds(path: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const started = performance.now();
  await connection.run(
    `CREATE TABLE t AS SELECT * FROM read_csv('${path.replaceAll("'", "''")}', header = true)`,
  );
  const seconds = (performance.now() - started) / 1000;
  connection.closeSync();
  instance.closeSync();
  return seconds;
}

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, keep: { type: 'boolean', default: false } },
});
const rows = Number(values.rows);
const dir = mkdtempSync(join(tmpdir(), 'sitrep-bench-'));
const csv = join(dir, 'acled-synthetic.csv');
try {
  let started = performance.now();
  await writeFile(csv, rows);
  const mb = statSync(csv).size / 1e6;
  console.log(
    `wrote ${rows.toLocaleString('en-US')} rows (${mb.toFixed(0)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const store = await openStore(join(dir, 'bench.duckdb'));
  started = performance.now();
  const report = await ingestPaths(store, [csv]);
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  const stored = report.files[0]?.stored ?? 0;
  if (stored !== rows) throw new Error(`stored ${stored} of ${rows} rows`);

  const duck = await readCsvSeconds(csv);
  const maxRss = process.resourceUsage().maxRSS / 1024; // kB → MiB
  console.log(
    `sitrep ingest: ${seconds.toFixed(2)} s, ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`,
  );
  console.log(`duckdb read_csv: ${duck.toFixed(2)} s  (sitrep / read_csv = ${(seconds / duck).toFixed(1)}×)`);
  console.log(`peak RSS: ${maxRss.toFixed(0)} MiB`);
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
