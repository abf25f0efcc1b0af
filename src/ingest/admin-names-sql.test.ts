import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freshStore, type TestStore } from '../../test/support/stores.ts';
import { adminLookupForms, canonicalEventAdmin } from '../extract/places/admin-names.ts';
import { adminNamesClean, adminNamesSql } from './admin-names-sql.ts';
import { ingestPaths } from './run-ingest.ts';

const opened: TestStore[] = [];
const dir = mkdtempSync(join(tmpdir(), 'sitrep-admin-names-'));
after(async () => {
  for (const t of opened) await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** Spellings a source might use: every form the table knows, re-cased, re-spaced and with admin words. */
function spellings(): string[] {
  const forms = adminLookupForms();
  const out = new Set<string>();
  for (const f of [...forms.admin1, ...forms.admin2]) {
    out.add(f);
    out.add(f.toUpperCase());
    out.add(f.replaceAll(' ', '  '));
    out.add(`${f}\tDistrict`);
    out.add(`District of ${f}`);
    out.add(`${f} division`);
    out.add(`${f}'s`);
    out.add(f.replaceAll('-', ' - '));
  }
  for (const odd of [
    'Qila  Abdullah',
    'kila saifullah',
    'Killah Abdullah Agency',
    'Khairpur Mir`s',
    'D.I.Khan',
    'Unknown  Town\t Bazaar',
    'Tehsil',
    'District',
    'District of',
    'x',
    '--',
    'Kandahar',
  ])
    out.add(odd);
  return [...out];
}

describe('admin names in SQL agree with canonicalEventAdmin', () => {
  it('for every known form, re-spelled, in every province context and country', async () => {
    const t = await freshStore('duckdb');
    opened.push(t);
    const names = spellings();
    const contexts: Array<[string | null, string | null]> = [
      ['Pakistan', null],
      ['Pakistan', 'Balochistan'],
      ['Pakistan', 'Punjab'],
      ['Pakistan', 'NWFP'],
      ['Pakistan', 'FATA'],
      ['Pakistan', 'Sind'],
      ['Pakistan', 'Kandahar'],
      ['India', 'Punjab'],
      [null, 'Baluchistan'],
    ];
    const rows = contexts.flatMap(([country, admin1]) =>
      names.flatMap((name) => [
        { country, admin1, admin2: name },
        { country, admin1: name, admin2: admin1 },
      ]),
    );
    const got = await t.store.transaction(async (tx) => {
      await tx.query(
        'CREATE TEMP TABLE input (n INTEGER, t_country VARCHAR, t_admin1 VARCHAR, t_admin2 VARCHAR)',
      );
      for (let i = 0; i < rows.length; i += 500) {
        const part = rows.slice(i, i + 500);
        await tx.query(
          `INSERT INTO input VALUES ${part.map((_, j) => `($${4 * j + 1}, $${4 * j + 2}, $${4 * j + 3}, $${4 * j + 4})`).join(', ')}`,
          part.flatMap((r, j) => [i + j, r.country, r.admin1, r.admin2]),
        );
      }
      const admin = await adminNamesSql(tx, 'test', 't_country');
      return tx.query<{ n: number; admin1: string | null; admin2: string | null; clean: boolean }>(
        `SELECT n, ${admin.admin1} AS admin1, ${admin.admin2} AS admin2, ${adminNamesClean('t_country')} AS clean
         FROM input ${admin.joins} ORDER BY n`,
      );
    });
    assert.equal(got.length, rows.length);
    let compared = 0;
    for (const g of got) {
      const row = rows[Number(g.n)];
      assert.ok(row);
      // Non-ASCII Pakistani names go to toEvent; every spelling here is ASCII.
      assert.equal(g.clean, true);
      const want = { ...row };
      canonicalEventAdmin(want);
      assert.deepEqual([g.admin1, g.admin2], [want.admin1, want.admin2], JSON.stringify(row));
      compared++;
    }
    assert.ok(compared > 5000, `compared ${compared}`);
  });

  it('leaves Pakistani names with other characters to toEvent, not other countries’', async () => {
    const t = await freshStore('duckdb');
    opened.push(t);
    const [row] = await t.store.query<{ pk: boolean; other: boolean; unknown: boolean; plain: boolean }>(
      `SELECT ${adminNamesClean("'Pakistan'").replaceAll('t_admin1', "'Khairpur Mir’s'")} AS pk,
              ${adminNamesClean("'Mexico'").replaceAll('t_admin1', "'Michoacán'")} AS other,
              ${adminNamesClean(null).replaceAll('t_admin1', "'Kohāt'")} AS unknown,
              ${adminNamesClean(null).replaceAll('t_admin1', "'Kohat'")} AS plain
       FROM (SELECT CAST(NULL AS VARCHAR) AS t_admin2)`,
    );
    assert.deepEqual({ ...row }, { pk: false, other: true, unknown: false, plain: true });
  });
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

function writeCsv(withCountry: boolean): string {
  const header = withCountry ? HEADER : HEADER.replace('country,', '');
  const path = join(dir, withCountry ? 'with-country.csv' : 'without-country.csv');
  writeFileSync(path, [header, ...NAMES.map((n, i) => csvRow(i, n, withCountry))].join('\n'));
  return path;
}

describe('a file gives the same admin names through both ingest paths, on both stores', () => {
  for (const withCountry of [true, false]) {
    it(`${withCountry ? 'with' : 'without'} a country column`, async () => {
      const path = writeCsv(withCountry);
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
          raw: string;
        }>('SELECT country, admin1, admin2, CAST(raw AS TEXT) AS raw FROM events ORDER BY id');
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
        assert.equal(JSON.parse(String(rows[3]?.raw)).admin2, 'Bajaur  Agency');
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
