import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { STORE_KINDS, storeWith, type TestStore } from '../../../test/support/stores.ts';
import { ExposureAnswer } from '../../analyse/exposure-answer.ts';
import { blankEvent } from '../../schema/index.ts';
import { createApp } from '../../serve/app.ts';
import { openStore } from '../../store/open-store.ts';

const sitrep = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });

// Reko Diq as the README adds it, and one clash in Chagai town, ~146 km east of it.
const REKO_DIQ = ['--lat', '29.12', '--lon', '62.10'];

for (const kind of STORE_KINDS) {
  describe(`exposure with nothing within the radius (${kind})`, () => {
    let t: TestStore;
    before(async () => {
      t = await storeWith(kind, [
        blankEvent({
          id: 'acled:chagai',
          source: 'acled',
          sourceId: 'chagai',
          eventDate: '2023-11-18',
          eventType: 'Battles',
          location: 'Chagai',
          admin2: 'Chagai',
          admin1: 'Balochistan',
          latitude: 29.2966,
          longitude: 63.5904,
        }),
      ]);
      await t.store.close();
    });
    after(async () => t?.cleanup());

    it('says how far the nearest recent event is and which flag widens the question', () => {
      const r = sitrep('exposure', ...REKO_DIQ, '--radius-km', '50', '--db', t.location);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^Within 50 km of 29\.12, 62\.1: 0 events, 0 fatalities$/m);
      assert.match(
        r.stdout,
        /No events within 50 km\. The nearest recent event is 14[56](?:\.\d)? km away \(2023-11-18, Chagai\): widen the radius to 146 km \(--radius-km 146, over HTTP radius_km=146\)\./,
      );
      assert.doesNotMatch(r.stdout, /^year +events/m, 'no empty tables');
      const wide = sitrep('exposure', ...REKO_DIQ, '--radius-km', '150', '--db', t.location);
      assert.match(wide.stdout, /^Within 150 km of 29\.12, 62\.1: 1 event, 0 fatalities$/m);
      assert.match(wide.stdout, /^2023 +1 +0$/m);
    });

    it('--json is the API’s answer: the same fields (site, beyond with the hint), nothing else on stdout', async () => {
      for (const [args, query] of [
        [[...REKO_DIQ, '--radius-km', '50'], 'lat=29.12&lon=62.10&radius_km=50'],
        [[...REKO_DIQ, '--radius-km', '150'], 'lat=29.12&lon=62.10&radius_km=150'],
      ] as const) {
        const r = sitrep('exposure', ...args, '--json', '--db', t.location);
        assert.equal(r.status, 0, r.stderr);
        const cli = JSON.parse(r.stdout) as Record<string, unknown>;
        assert.deepEqual(ExposureAnswer.parse(cli), cli, 'every field of the one schema, no other');
        const store = await openStore(t.location, { readOnly: true });
        try {
          const response = await createApp(store, { cache: false }).request(`/api/exposure?${query}`);
          assert.equal(response.status, 200);
          assert.deepEqual(cli, await response.json(), `CLI and API agree on ${query}`);
        } finally {
          await store.close();
        }
      }
      const none = JSON.parse(sitrep('exposure', ...REKO_DIQ, '--json', '--db', t.location).stdout);
      assert.deepEqual(none.site, { id: null, name: null, geometry: 'Point' });
      assert.equal(none.beyond.suggestedRadiusKm, 146);
      assert.equal(none.beyond.nearestRecent.id, 'acled:chagai');
      assert.match(none.beyond.message, /The nearest recent event is 14[56](?:\.\d)? km away/);
      const wide = JSON.parse(
        sitrep('exposure', ...REKO_DIQ, '--radius-km', '150', '--json', '--db', t.location).stdout,
      );
      assert.equal(wide.beyond, null, 'no hint when events lie within the radius');
    });

    it('names the stored sites when the one asked for is not there', () => {
      const none = sitrep('exposure', 'reko-dik', '--db', t.location);
      assert.equal(none.status, 1);
      assert.match(none.stderr, /no site "reko-dik"; none stored yet/);
      const add = sitrep('sites', 'add', 'Reko Diq', ...REKO_DIQ, '--db', t.location);
      assert.equal(add.status, 0, add.stderr);
      const typo = sitrep('exposure', 'reko-dik', '--db', t.location);
      assert.equal(typo.status, 1);
      assert.match(typo.stderr, /no site "reko-dik"; stored: reko-diq \(Reko Diq\)/);
      assert.equal(sitrep('sites', 'remove', 'reko-diq', '--db', t.location).status, 0);
    });

    it('points at the coordinates when nothing lies within 1,000 km', () => {
      const r = sitrep('exposure', '--lat', '62.10', '--lon', '29.12', '--db', t.location);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /nor within 1000 km: check the site's coordinates \(latitude first/);
    });
  });
}
