import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Gazetteer } from '../../extract/places/gazetteer.ts';
import { placeOfSite } from './sites.ts';

const sitrep = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });

test('a site named as extraction names it is placed where the gazetteer puts it, or refused', async () => {
  const gazetteer = await Gazetteer.load();
  const reko = placeOfSite('Reko Diq', gazetteer);
  assert.deepEqual([reko.admin2, reko.admin1], ['Chaghi', 'Balochistan']);
  assert.equal(placeOfSite('Karachi', gazetteer).kind, 'city', 'the city, not the district centroid');
  assert.throws(() => placeOfSite('Nowhere Town', gazetteer), /no place called "Nowhere Town"/);
  assert.throws(() => placeOfSite('Hyderabad', gazetteer), /names places far apart: .*India.*Sindh/);
});

test('sites add NAME without coordinates stores the gazetteer point and says so', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-sites-'));
  try {
    const db = join(dir, 'x.duckdb');
    const added = sitrep('sites', 'add', 'Reko Diq', '--kind', 'mine', '--db', db);
    assert.equal(added.status, 0, added.stderr);
    assert.match(
      added.stderr,
      /placed "Reko Diq" at the gazetteer's landmark Reko Diq \(Chaghi, Balochistan/,
    );
    const listed = sitrep('sites', 'list', '--json', '--db', db);
    const [site] = JSON.parse(listed.stdout) as {
      id: string;
      kind: string;
      geometry: { coordinates: number[] };
    }[];
    assert.deepEqual([site?.id, site?.kind], ['reko-diq', 'mine']);
    assert.deepEqual(site?.geometry.coordinates, [62.11, 29.13]);
    const half = sitrep('sites', 'add', 'Somewhere', '--lat', '29', '--db', db);
    assert.equal(half.status, 1);
    assert.match(half.stderr, /give both --lat and --lon/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sites add --geojson says what is wrong with the file, and refuses coordinates beside it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-sites-'));
  try {
    const db = join(dir, 'x.duckdb');
    const file = join(dir, 'rail.geojson');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: 'Saindak' },
            geometry: { type: 'Point', coordinates: [61.6, 29.26] },
          },
          { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[62.3, 25.1]] } },
        ],
      }),
    );
    const bad = sitrep('sites', 'add', 'Rail', '--geojson', file, '--db', db);
    assert.equal(bad.status, 1);
    // it printed zod's issue array, 20 lines of JSON
    assert.match(bad.stderr, /rail\.geojson: not a usable GeoJSON site: feature 2: geometry\.coordinates: /);
    assert.doesNotMatch(bad.stderr, /"code"/);
    const both = sitrep('sites', 'add', 'Port', '--geojson', file, '--lat', '25', '--lon', '62', '--db', db);
    assert.equal(both.status, 1);
    assert.match(both.stderr, /either --geojson FILE or --lat and --lon, not both/);
    const listed = sitrep('sites', 'list', '--json', '--db', db);
    assert.deepEqual(JSON.parse(listed.stdout), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sites add --geojson without NAME names each site by its feature, else by the file; no NAME at all is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-sites-'));
  try {
    const db = join(dir, 'x.duckdb');
    const feature = (name: string | null, coordinates: number[]) => ({
      type: 'Feature',
      properties: name ? { name } : {},
      geometry: { type: 'Point', coordinates },
    });
    const port = join(dir, 'port.geojson');
    writeFileSync(port, JSON.stringify(feature('Gwadar Port', [62.33, 25.12])));
    const unnamed = join(dir, 'saindak-mine.geojson');
    writeFileSync(unnamed, JSON.stringify(feature(null, [61.58, 29.26])));
    const both = join(dir, 'two.geojson');
    writeFileSync(
      both,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [feature('Quetta station', [67.0, 30.19]), feature('Sibi station', [67.88, 29.54])],
      }),
    );
    for (const file of [port, unnamed, both]) {
      const added = sitrep('sites', 'add', '--geojson', file, '--db', db);
      assert.equal(added.status, 0, added.stderr);
    }
    const listed = JSON.parse(sitrep('sites', 'list', '--json', '--db', db).stdout) as { name: string }[];
    assert.deepEqual(listed.map((s) => s.name).sort(), [
      'Gwadar Port',
      'Quetta station',
      'Sibi station',
      'saindak-mine',
    ]);
    const bare = sitrep('sites', 'add', '--db', db);
    assert.equal(bare.status, 1);
    assert.match(bare.stderr, /give the site a NAME/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
