import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../../test/support/stores.ts';
import { blankEvent, type EventRecord } from '../../schema/index.ts';
import { Gazetteer } from './gazetteer.ts';
import { learnPlaces, placesFromEvents, readLearnedPlaces } from './learn.ts';

function sighting(n: number, fields: Partial<EventRecord>): EventRecord {
  return blankEvent({
    id: `t-${n}`,
    source: 'acled',
    sourceId: String(n),
    eventDate: '2024-01-01',
    ...fields,
  });
}

const EVENTS: EventRecord[] = [
  // Seen three times, once spelled differently: one place.
  ...[0, 1, 2].map((n) =>
    sighting(n, {
      location: n === 2 ? 'ZAMURAN' : 'Zamuran',
      country: 'Pakistan',
      admin1: 'Balochistan',
      admin2: 'Kech',
      latitude: 26.5 + n * 0.01,
      longitude: 62.6,
      geoPrecision: 1,
    }),
  ),
  // Province-level precision teaches nothing about the named place.
  sighting(3, {
    location: 'Vaguely Here',
    country: 'Pakistan',
    latitude: 28,
    longitude: 66,
    geoPrecision: 3,
  }),
  // No coordinates, no lesson.
  sighting(4, { location: 'Nowhere Known', country: 'Pakistan' }),
  // An old district name is stored canonically.
  sighting(5, {
    location: 'Gajar Kolwa',
    country: 'Pakistan',
    admin1: 'Baluchistan',
    admin2: 'Turbat',
    latitude: 26.2,
    longitude: 64.4,
    geoPrecision: 2,
  }),
  // A district named as the location is a unit the gazetteer already has, not a point.
  sighting(7, {
    location: 'Swat district',
    country: 'Pakistan',
    latitude: 35.2,
    longitude: 72.4,
    geoPrecision: 2,
  }),
  // Files without a country column (the ACLED export here) leave country empty: coordinates supply it.
  sighting(6, {
    location: 'Gichk Bazar',
    admin1: 'Balochistan',
    admin2: 'Panjgur',
    latitude: 26.6,
    longitude: 64.4,
  }),
];

for (const kind of STORE_KINDS) {
  describe(`learnPlaces on ${kind}`, () => {
    let t: TestStore;
    before(async () => {
      t = await freshStore(kind);
      const writer = await t.store.beginImport({ file: 'test.csv', sha256: 'x', format: 'acled' });
      await writer.add(EVENTS);
      await writer.finish({ rowsRead: EVENTS.length, rowsRejected: 0 });
    });
    after(async () => t.cleanup());

    it('learns named, located, precise places once each, and is idempotent', async () => {
      const first = await learnPlaces(t.store);
      assert.deepEqual(first, { places: 3, events: 5 });
      const rows = await readLearnedPlaces(t.store);
      const again = await learnPlaces(t.store);
      assert.deepEqual(again, first);
      assert.deepEqual(await readLearnedPlaces(t.store), rows);
      const zamuran = rows.find((r) => r.name === 'Zamuran');
      assert.equal(zamuran?.seen, 3);
      assert.ok(zamuran && Math.abs(zamuran.latitude - 26.51) < 1e-6);
      const gajar = rows.find((r) => r.name === 'Gajar Kolwa');
      assert.deepEqual([gajar?.admin1, gajar?.admin2], ['Balochistan', 'Kech']);
      // The in-memory path teaches exactly what the store path does.
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      assert.deepEqual(placesFromEvents(EVENTS).sort(byName), [...rows].sort(byName));
    });

    it('merges learned places into the gazetteer', async () => {
      await learnPlaces(t.store);
      const gazetteer = await Gazetteer.fromStore(t.store);
      assert.equal(gazetteer.learnedCount, 3);
      const gichk = gazetteer.lookup('Gichk Bazar')[0];
      assert.deepEqual([gichk?.country, gichk?.admin2], ['Pakistan', 'Panjgur']);
      assert.equal(gazetteer.lookup('zamuran')[0]?.admin2, 'Kech');
      assert.deepEqual(gazetteer.lookup('Vaguely Here'), []);
      assert.equal(gazetteer.findMentions('Clashes in Gajar Kolwa area.')[0]?.place.name, 'Gajar Kolwa');
      assert.equal((await Gazetteer.load()).lookup('Zamuran').length, 0);
    });

    it('stores names with quotes, backslashes and non-ASCII letters as written (the rows go over as JSON)', async () => {
      const name = `Qila "Saifullah" \\ Ḥub's Bāzār`;
      const writer = await t.store.beginImport({ file: 'more.csv', sha256: 'y', format: 'acled' });
      const more = [
        sighting(20, {
          location: name,
          country: 'Pakistan',
          latitude: 30.70123,
          longitude: 68.35987,
          geoPrecision: 1,
        }),
      ];
      await writer.add(more);
      await writer.finish({ rowsRead: 1, rowsRejected: 0 });
      await learnPlaces(t.store);
      const learned = (await readLearnedPlaces(t.store)).find((p) => p.latitude === 30.70123);
      assert.deepEqual(learned, { ...placesFromEvents(more)[0], name });
    });
  });
}

describe('withLearned', () => {
  it('merges one-row-per-sighting lists into one place seen that often', async () => {
    const base = await Gazetteer.load();
    const sighting = {
      name: 'Balgatar',
      country: 'Pakistan',
      admin1: 'Balochistan',
      admin2: 'Kech',
      seen: 1,
    };
    const gazetteer = base.withLearned([
      { ...sighting, latitude: 26.4, longitude: 64.0 },
      { ...sighting, latitude: 26.6, longitude: 64.2 },
    ]);
    assert.equal(gazetteer.learnedCount, 1);
    const found = gazetteer.lookup('Balgatar');
    assert.equal(found.length, 1);
    assert.ok(Math.abs((found[0]?.latitude ?? 0) - 26.5) < 1e-9);
  });
});
