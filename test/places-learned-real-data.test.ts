import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readBoundaries } from '../src/extract/places/data-files.ts';
import {
  adminOfPolygon,
  canonicalAdmin2,
  Gazetteer,
  learnPlaces,
  readLearnedPlaces,
} from '../src/extract/places/index.ts';
import { ingestPaths } from '../src/ingest/run-ingest.ts';
import { sharedFile } from './support/shared-data.ts';
import { freshStore, type TestStore } from './support/stores.ts';

const ACLED = sharedFile('acled-balochistan-2020-2024h1.csv');
const GTD = sharedFile('gtd-pakistan-2008.geojson');

// Ingest → learn → geocode, across stages, on the real dev data (DuckDB; both drivers are covered by the unit tests).
describe('places learned from ingested ACLED and GTD', { skip: !ACLED || !GTD }, () => {
  let t: TestStore;
  before(async () => {
    t = await freshStore('duckdb');
    await ingestPaths(t.store, [ACLED as string, GTD as string]);
  });
  after(async () => t?.cleanup());

  it('learns every named, located, precise place once, and again gives the same table', async () => {
    const first = await learnPlaces(t.store);
    const rows = await readLearnedPlaces(t.store);
    assert.equal(rows.length, first.places);
    assert.ok(first.places > 100, `only ${first.places} places`);
    assert.deepEqual(await learnPlaces(t.store), first);
    assert.deepEqual(await readLearnedPlaces(t.store), rows);
  });

  it('puts every learned Pakistani district on the base map', async () => {
    const polygons = new Set(
      readBoundaries('pakistan-districts.geojson').map(
        (f) => adminOfPolygon(String(f.properties.districts))?.admin2,
      ),
    );
    for (const place of await readLearnedPlaces(t.store)) {
      if (place.admin2 === null) continue;
      assert.ok(
        polygons.has(canonicalAdmin2(place.admin2, place.admin1) ?? ''),
        `${place.name}: ${place.admin2}`,
      );
    }
  });

  it('then finds every ACLED location by name, in the district ACLED gives', async () => {
    await learnPlaces(t.store);
    const gazetteer = await Gazetteer.fromStore(t.store);
    const located = await t.store.query<{ location: string; admin1: string; admin2: string }>(
      "SELECT DISTINCT location, admin1, admin2 FROM events WHERE source = 'acled'",
    );
    let sameDistrict = 0;
    for (const row of located) {
      const place = gazetteer.lookup(row.location, { country: 'Pakistan', admin1: row.admin1 })[0];
      assert.ok(place, `${row.location} not found`);
      if (canonicalAdmin2(place.admin2) === canonicalAdmin2(row.admin2, row.admin1)) sameDistrict++;
    }
    // Trained and scored on the same rows this is recall, not accuracy (see bench/geocode.ts for that).
    assert.ok(sameDistrict / located.length > 0.95, `${sameDistrict}/${located.length}`);
  });
});
