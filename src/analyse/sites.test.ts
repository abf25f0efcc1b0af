import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { addSite, findSite, listSites, removeSite, siteId, sitesFromGeoJson } from './sites.ts';

const point = (lon: number, lat: number) => ({
  type: 'Point' as const,
  coordinates: [lon, lat] as [number, number],
});

for (const kind of STORE_KINDS) {
  describe(`sites: ${kind}`, () => {
    let t: TestStore;
    before(async () => {
      t = await freshStore(kind);
    });
    after(async () => {
      await t?.cleanup();
    });

    it('names with no letters or digits get ids of their own instead of replacing each other', async () => {
      // both were "site": adding the second silently deleted the first
      const first = await addSite(t.store, { name: '!!!', kind: null, geometry: point(62.1, 29.1) });
      const second = await addSite(t.store, { name: '???', kind: null, geometry: point(62.3, 25.1) });
      assert.notEqual(first.id, second.id);
      assert.deepEqual((await listSites(t.store)).map((s) => s.name).sort(), ['!!!', '???']);
      assert.equal((await findSite(t.store, first.id))?.name, '!!!');
      assert.equal(await removeSite(t.store, '???'), true);
      assert.deepEqual(
        (await listSites(t.store)).map((s) => s.name),
        ['!!!'],
      );
    });

    it('reads a site back with the creation time it was saved with, as ISO 8601 UTC', async () => {
      const saved = await addSite(
        t.store,
        { name: 'Gwadar port', kind: 'port', geometry: point(62.33, 25.12) },
        new Date('2025-03-25T08:09:10.123Z'),
      );
      assert.equal(saved.createdAt, '2025-03-25T08:09:10.123Z');
      // read back it was "2025-03-25 08:09:10.123" (no zone) while the answer to the write said ...Z
      assert.equal((await findSite(t.store, 'gwadar-port'))?.createdAt, saved.createdAt);
      const listed = (await listSites(t.store)).find((s) => s.id === 'gwadar-port');
      assert.equal(listed?.createdAt, saved.createdAt);
    });
  });
}

describe('sites from GeoJSON', () => {
  it('a bad feature is named by its number and field, in words rather than a dump of issues', () => {
    const doc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: 'Saindak' }, geometry: point(61.6, 29.26) },
        { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[62.3, 25.1]] } },
      ],
    };
    assert.throws(
      () => sitesFromGeoJson(doc, 'mines', null),
      (error: Error) => {
        assert.match(error.message, /^feature 2: geometry\.coordinates: .*2/);
        assert.doesNotMatch(error.message, /"code"|\[\s*\{/);
        return true;
      },
    );
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [62.3, 25.09],
          [62.36, 25.09],
          [62.36, 25.14],
        ],
      ],
    };
    assert.throws(() => sitesFromGeoJson(open, 'port', null), { message: /^coordinates\.0: .*4/ });
    assert.throws(() => sitesFromGeoJson({ type: 'MultiPoint', coordinates: [] }, 'x', null), {
      message: /^type: .*Point.*LineString/,
    });
    assert.throws(() => sitesFromGeoJson('not an object', 'x', null), { message: /^not GeoJSON/ });
  });

  it('keeps names of real places as they are', () => {
    assert.equal(siteId('Reko Diq'), 'reko-diq');
    assert.equal(siteId('ریکو ڈک'), 'ریکو-ڈک');
    assert.match(siteId('!!!'), /^site-[0-9a-f]{8}$/);
  });
});
