import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freshStore, type TestStore } from '../../test/support/stores.ts';
import { ingestPaths } from './run-ingest.ts';

const opened: TestStore[] = [];
const dir = mkdtempSync(join(tmpdir(), 'sitrep-admin-names-'));
after(async () => {
  for (const t of opened) await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const HEADER =
  'event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,inter1,actor2,country,admin1,admin2,location,latitude,longitude,geo_precision,fatalities,notes,source';
/** Rows as the shared data sets write them (and worse). */
const NAMES: Array<[string, string, string]> = [
  ['Pakistan', 'Baluchistan', 'Las Bela'],
  ['Pakistan', 'KPK', 'Hungu'],
  ['Pakistan', 'North-West Frontier Province', ''],
  ['Pakistan', 'FATA', 'Bajaur  Agency'],
  ['Pakistan', 'Fata', 'South waziristan'],
  ['Pakistan', 'Federally Administered Tribal Areas', 'Lower Kurram Agency'],
  ['Pakistan', 'Capital', ''],
  ['Pakistan', 'AJK', ''],
  ['Pakistan', 'Balochistan', 'Duki'],
  ['Pakistan', 'Balochistan', 'Qila  Abdullah'],
  ['Pakistan', 'Sindh', 'Khairpur Mir’s'],
  ['Pakistan', 'Balochistan', 'Somewhere   New'],
  ['Pakistan', '', 'Bolan'],
  ['India', 'Punjab', 'Amritsar'],
  ['Bangladesh', 'Capital', 'Dhaka  City'],
  ['India', 'Rajasthan', 'Bolan'],
];
const WANT: Array<[string | null, string | null]> = [
  ['Balochistan', 'Lasbela'],
  ['Khyber Pakhtunkhwa', 'Hangu'],
  ['Khyber Pakhtunkhwa', null],
  ['Khyber Pakhtunkhwa', 'Bajaur'],
  ['Khyber Pakhtunkhwa', 'South Waziristan'],
  ['Khyber Pakhtunkhwa', 'Kurram'],
  ['Islamabad Capital Territory', null],
  ['Azad Jammu and Kashmir', null],
  ['Balochistan', 'Loralai'],
  ['Balochistan', 'Killa Abdullah'],
  ['Sindh', 'Khairpur'],
  ['Balochistan', 'Somewhere New'],
  [null, 'Kachhi'],
  ['Punjab', 'Amritsar'],
  ['Capital', 'Dhaka  City'],
  ['Rajasthan', 'Bolan'],
];
const csvRow = (n: number, [country, admin1, admin2]: [string, string, string], withCountry: boolean) =>
  [
    `PAK${String(n).padStart(2, '0')}`,
    `2024-01-${String(n + 1).padStart(2, '0')}`,
    '1',
    'Battles',
    'Armed clash',
    'BLA: Baloch Liberation Army',
    '2',
    '',
    ...(withCountry ? [country] : []),
    admin1,
    admin2,
    'Somewhere',
    // Without a country column the gazetteer places the row: Pakistani rows inside Pakistan.
    country === 'Pakistan' ? '29.5' : '23.7',
    country === 'Pakistan' ? '66.9' : '90.4',
    '1',
    '0',
    `note ${n}`,
    'Dawn',
  ].join(',');

function writeCsv(withCountry: boolean, repeated: boolean): string {
  const header = withCountry ? HEADER : HEADER.replace('country,', '');
  const path = join(dir, `${withCountry}-${repeated}.csv`);
  const rows = NAMES.map((n, i) => csvRow(i, n, withCountry));
  // A repeated id: the DuckDB path then stages the file instead of inserting it straight.
  if (repeated) rows.unshift(csvRow(3, ['Pakistan', 'Sindh', 'Karachi'], withCountry));
  writeFileSync(path, [header, ...rows].join('\n'));
  return path;
}

describe('a file gives the same admin names through both ingest paths, on both stores', () => {
  for (const [withCountry, repeated] of [
    [true, false],
    [false, false],
    [true, true],
  ]) {
    it(`${withCountry ? 'with' : 'without'} a country column${repeated ? ', an id repeated' : ''}`, async () => {
      const path = writeCsv(Boolean(withCountry), Boolean(repeated));
      const results: Record<string, unknown[]> = {};
      for (const [label, kind, javascriptOnly] of [
        ['duckdb sql', 'duckdb', false],
        ['duckdb js', 'duckdb', true],
        ['postgres', 'postgres', false],
      ] as const) {
        const t = await freshStore(kind);
        opened.push(t);
        const first = await ingestPaths(t.store, [path], { javascriptOnly, learnPlaces: false });
        assert.equal(first.files[0]?.inserted, NAMES.length, label);
        const rows = await t.store.query<{
          country: string;
          admin1: string | null;
          admin2: string | null;
          id: string;
        }>('SELECT id, country, admin1, admin2 FROM events ORDER BY id');
        results[label] = rows.map((r) => [r.country, r.admin1, r.admin2]);
        if (withCountry || label !== 'duckdb sql')
          assert.deepEqual(
            rows.map((r) => [r.admin1, r.admin2]),
            withCountry
              ? WANT
              : WANT.map((w, i) =>
                  NAMES[i]?.[0] === 'Pakistan' ? w : [NAMES[i]?.[1] || null, NAMES[i]?.[2] || null],
                ),
            label,
          );
        // What the source wrote stays in raw.
        const bajaur = await t.store.eventById(String(rows[3]?.id));
        assert.equal((bajaur?.raw as Record<string, string> | null)?.admin2, 'Bajaur  Agency');
        // Re-ingesting changes nothing, on either path.
        for (const again of [true, false]) {
          const next = await ingestPaths(t.store, [path], { javascriptOnly: again, learnPlaces: false });
          assert.deepEqual([next.files[0]?.inserted, next.files[0]?.updated], [0, 0], `${label} again`);
        }
      }
      assert.deepEqual(results['duckdb sql'], results['duckdb js']);
      assert.deepEqual(results['duckdb sql'], results.postgres);
    });
  }
});
