import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
