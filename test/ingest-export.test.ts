import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { CsvSplitter } from '../src/ingest/csv-records.ts';
import { exportEvents } from '../src/ingest/export.ts';
import { ingestPaths } from '../src/ingest/run-ingest.ts';
import { freshStore, STORE_KINDS, type TestStore } from './support/stores.ts';

const UCDP = 'test/fixtures/ucdp-ged-sample.csv';

async function parquetRows(path: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT id, event_date::VARCHAR AS event_date, fatalities_best, latitude FROM read_parquet('${path}') ORDER BY id`,
    );
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

for (const kind of STORE_KINDS) {
  describe(`export: ${kind}`, () => {
    let t: TestStore;
    let dir: string;
    before(async () => {
      t = await freshStore(kind);
      dir = mkdtempSync(join(tmpdir(), 'sitrep-export-'));
      await ingestPaths(t.store, [UCDP]);
    });
    after(async () => {
      await t?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('writes CSV, GeoJSON and Parquet with the same events, filters applied', async () => {
      const filter = { admin1: ['Balochistan'] };
      const expected = await t.store.countEvents(filter);
      assert.equal(expected, 5);

      const csv = join(dir, 'e.csv');
      assert.equal(await exportEvents(t.store, filter, 'csv', csv), expected);
      const splitter = new CsvSplitter();
      const records = [...splitter.push(readFileSync(csv, 'utf8')), ...splitter.end()];
      assert.equal(records.length, expected + 1);
      const header = records[0]?.cells ?? [];
      const quetta = records.find((r) => r.cells[header.indexOf('id')] === 'ucdp:900006');
      assert.equal(
        quetta?.cells[header.indexOf('notes')],
        'Synthetic sample: "raid" in Quetta, with a comma',
      );

      const geojson = join(dir, 'e.geojson');
      assert.equal(await exportEvents(t.store, filter, 'geojson', geojson), expected);
      const collection = JSON.parse(readFileSync(geojson, 'utf8')) as {
        features: { id: string; geometry: { coordinates: number[] } | null }[];
      };
      assert.equal(collection.features.length, expected);
      assert.deepEqual(
        collection.features.find((f) => f.id === 'ucdp:900006')?.geometry?.coordinates,
        [67.0014, 30.1841],
      );

      const parquet = join(dir, 'e.parquet');
      assert.equal(await exportEvents(t.store, filter, 'parquet', parquet), expected);
      const rows = await parquetRows(parquet);
      assert.equal(rows.length, expected);
      assert.deepEqual(
        rows.find((r) => r.id === 'ucdp:900003'),
        {
          id: 'ucdp:900003',
          event_date: '2023-07-10',
          fatalities_best: 14,
          latitude: 31.3411,
        },
      );
    });
  });
}
