import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { placeCsv } from '../../test/support/place-csv.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { districtOf } from '../extract/places/admin-names.ts';
import { blankEvent } from '../schema/index.ts';
import { openStore } from '../store/open-store.ts';
import { ingestPaths } from './run-ingest.ts';

const opened: TestStore[] = [];
const dir = mkdtempSync(join(tmpdir(), 'sitrep-district-'));
after(async () => {
  for (const t of opened) await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const QUETTA = { latitude: 30.19, longitude: 67.01 };

it('districtOf gives a precise Pakistani point its district, only inside the province the record names', () => {
  const located = { country: 'Pakistan', admin1: 'Balochistan', admin2: 'Quetta' };
  const record = { country: 'Pakistan', admin1: 'Baluchistan', admin2: null, ...QUETTA, geoPrecision: 1 };
  assert.deepEqual(districtOf(record, located), located);
  assert.deepEqual(districtOf({ ...record, admin1: null, geoPrecision: null }, located), located);
  assert.equal(districtOf({ ...record, admin1: 'Sindh' }, located), null, 'another province');
  assert.equal(districtOf({ ...record, geoPrecision: 3 }, located), null, 'only the province is known');
  assert.equal(districtOf({ ...record, admin2: 'Pishin' }, located), null, 'the record names one');
  assert.equal(districtOf({ ...record, country: 'India' }, located), null);
});

/** country, admin1, admin2, geo precision; all at Quetta's coordinates but the last (Amritsar). */
const ROWS: Array<[string, string, string, number]> = [
  ['Pakistan', 'Balochistan', '', 1],
  ['Pakistan', '', '', 2],
  ['Pakistan', 'Sindh', '', 1],
  ['Pakistan', 'Balochistan', '', 3],
  ['Pakistan', 'Baluchistan', 'Pishin', 1],
  ['India', 'Punjab', '', 1],
];
const WANT = [
  ['Balochistan', 'Quetta'],
  ['Balochistan', 'Quetta'],
  ['Sindh', null],
  ['Balochistan', null],
  ['Balochistan', 'Pishin'],
  ['Punjab', null],
];
const path = join(dir, 'acled.csv');
writeFileSync(
  path,
  placeCsv(
    ROWS.map(([country, admin1, admin2, geoPrecision]) => ({
      country,
      admin1,
      admin2,
      geoPrecision,
      ...(country === 'India' ? { latitude: 31.63, longitude: 74.87 } : QUETTA),
    })),
  ),
);

const names = async (store: { query: TestStore['store']['query'] }) =>
  (
    await store.query<{ admin1: string | null; admin2: string | null }>(
      'SELECT admin1, admin2 FROM events ORDER BY id',
    )
  ).map((r) => [r.admin1, r.admin2]);

describe('a record naming no district gets the one its point lies in, on both ingest paths and stores', () => {
  for (const [label, kind, javascriptOnly] of [
    ['duckdb sql', 'duckdb', false],
    ['duckdb js', 'duckdb', true],
    ['postgres', 'postgres', false],
  ] as const) {
    it(label, async () => {
      const t = await freshStore(kind);
      opened.push(t);
      const first = await ingestPaths(t.store, [path], { javascriptOnly, learnPlaces: false });
      assert.equal(first.files[0]?.inserted, ROWS.length);
      assert.deepEqual(await names(t.store), WANT);
      const raw = (await t.store.eventById('acled:PAK0'))?.raw as Record<string, string> | null;
      assert.equal(raw?.admin2, '', 'the record as the source wrote it');
      for (const again of [true, false]) {
        const next = await ingestPaths(t.store, [path], { javascriptOnly: again, learnPlaces: false });
        assert.deepEqual([next.files[0]?.inserted, next.files[0]?.updated], [0, 0], `${label} again`);
      }
    });
  }
});

for (const kind of STORE_KINDS) {
  it(`migration 601 gives stored records their district (${kind})`, async () => {
    const t = await freshStore(kind);
    opened.push(t);
    const writer = await t.store.beginImport({ file: 'gtd', sha256: 'gtd', format: 'gtd' });
    await writer.add([
      blankEvent({
        id: 'gtd:1',
        source: 'gtd',
        sourceId: '1',
        eventDate: '2008-09-20',
        country: 'Pakistan',
        admin1: 'Balochistan',
        ...QUETTA,
        geoPrecision: 1,
      }),
      blankEvent({
        id: 'gtd:2',
        source: 'gtd',
        sourceId: '2',
        eventDate: '2008-09-21',
        country: 'Pakistan',
        admin1: 'Sindh',
        ...QUETTA,
        geoPrecision: 1,
      }),
    ]);
    await writer.finish({ rowsRead: 2, rowsRejected: 0 });
    assert.deepEqual(await names(t.store), [
      ['Balochistan', null],
      ['Sindh', null],
    ]);
    await t.store.query('DELETE FROM schema_migrations WHERE version = 601');
    await t.store.close();
    const store = await openStore(t.location);
    try {
      assert.deepEqual(await names(store), [
        ['Balochistan', 'Quetta'],
        ['Sindh', null],
      ]);
    } finally {
      await store.close();
    }
  });
}
