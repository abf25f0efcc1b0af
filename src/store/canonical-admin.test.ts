import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { placeCsv } from '../../test/support/place-csv.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { eventsVersion } from '../analyse/memo.ts';
import { ingestPaths } from '../ingest/run-ingest.ts';
import type { Store } from './contract.ts';
import { openStore } from './open-store.ts';

/**
 * Stores written before migration 600 hold each source's spelling of Pakistani provinces and districts.
 * Opening such a store rewrites them to the names an ingest now stores (and the copies: resolved events,
 * learned places); re-ingesting the same file afterwards changes nothing.
 */

const dir = mkdtempSync(join(tmpdir(), 'sitrep-canonical-admin-'));
const opened: TestStore[] = [];
after(async () => {
  for (const t of opened) await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const ROWS: Array<[string, string, string]> = [
  ['Pakistan', 'Baluchistan', 'Las Bela'],
  ['Pakistan', 'KPK', 'Hungu'],
  ['Pakistan', 'FATA', 'Bajaur  Agency'],
  ['Pakistan', 'North-West Frontier Province', ''],
  ['Pakistan', 'Balochistan', 'Duki'],
  ['Pakistan', 'Balochistan', 'Quetta'],
  ['India', 'Punjab', 'Amritsar'],
  ['Bangladesh', 'Capital', 'Dhaka'],
];
const path = join(dir, 'acled.csv');
writeFileSync(path, placeCsv(ROWS.map(([country, admin1, admin2]) => ({ country, admin1, admin2 }))));

/** Puts the names back as the source wrote them (as ingest stored them before), and 600 not yet run. */
async function asBeforeMigration600(store: Store): Promise<void> {
  const rows = await store.query<{ id: string }>('SELECT id FROM events');
  for (const row of rows) {
    const raw = ((await store.eventById(row.id))?.raw ?? {}) as Record<string, string>;
    await store.query('UPDATE events SET admin1 = $1, admin2 = $2 WHERE id = $3', [
      raw.admin1?.trim() || null,
      raw.admin2?.trim() || null,
      row.id,
    ]);
  }
  // Copies made from the events then: a resolved event and a learned place.
  await store.query(
    `INSERT INTO resolved_events (id, event_date, admin1, admin2, n_records, sources, resolved_at)
     VALUES ('r1', CAST('2023-05-01' AS DATE), 'KPK', 'Hungu', 1, 'acled', CAST('2024-01-01' AS TIMESTAMP))`,
  );
  await store.query(
    `INSERT INTO event_links (record_id, resolved_id, rule) VALUES ('acled:PAK1', 'r1', 'alone')`,
  );
  await store.query(
    `INSERT INTO places (id, name_key, name, country, admin1, admin2, latitude, longitude, seen, origin, updated_at)
     VALUES ('p1', 'town', 'Town', 'Pakistan', 'Baluchistan', 'Las Bela', 29.1, 66.1, 1, 'events', CAST('2024-01-01' AS TIMESTAMP)),
            ('p2', 'town', 'Town', 'Bangladesh', 'Capital', 'Dhaka', 23.7, 90.4, 1, 'events', CAST('2024-01-01' AS TIMESTAMP))`,
  );
  await store.query('DELETE FROM schema_migrations WHERE version = 600');
}

const names = (store: Store, table = 'events') =>
  store
    .query<{ admin1: string | null; admin2: string | null }>(
      `SELECT admin1, admin2 FROM ${table} ORDER BY id`,
    )
    .then((rows) => rows.map((r) => [r.admin1, r.admin2]));

for (const kind of STORE_KINDS) {
  describe(`migration 600, canonical admin names of stored events: ${kind}`, () => {
    it('rewrites Pakistani names and their copies, leaves other countries, and a re-ingest is unchanged', async () => {
      const t = await freshStore(kind);
      opened.push(t);
      const first = await ingestPaths(t.store, [path], { learnPlaces: false });
      assert.equal(first.files[0]?.inserted, ROWS.length);
      const canonical = await names(t.store);
      await asBeforeMigration600(t.store);
      assert.deepEqual((await names(t.store))[0], ['Baluchistan', 'Las Bela']);
      const versionBefore = await eventsVersion(t.store);
      await t.store.close();

      const store = await openStore(t.location);
      try {
        assert.deepEqual(await names(store), canonical);
        assert.deepEqual(canonical, [
          ['Balochistan', 'Lasbela'],
          ['Khyber Pakhtunkhwa', 'Hangu'],
          ['Khyber Pakhtunkhwa', 'Bajaur'],
          ['Khyber Pakhtunkhwa', null],
          ['Balochistan', 'Loralai'],
          ['Balochistan', 'Quetta'],
          ['Punjab', 'Amritsar'],
          ['Capital', 'Dhaka'],
        ]);
        assert.deepEqual(await names(store, 'resolved_events'), [['Khyber Pakhtunkhwa', 'Hangu']]);
        assert.deepEqual(await names(store, 'places'), [
          ['Balochistan', 'Lasbela'],
          ['Capital', 'Dhaka'],
        ]);
        // Figures remembered from the events are recomputed.
        assert.notEqual(await eventsVersion(store), versionBefore);
        for (const javascriptOnly of [false, true]) {
          const again = await ingestPaths(store, [path], { javascriptOnly, learnPlaces: false });
          assert.deepEqual([again.files[0]?.inserted, again.files[0]?.updated], [0, 0]);
        }
      } finally {
        await store.close();
      }
    });
  });
}
