import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { describeAcledThenCorrected } from '../../test/support/acled-corrected.ts';
import { analysisEvents, loadAnalysisFixture } from '../../test/support/analysis-fixture.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { type ExposureOptions, exposure } from '../analyse/exposure.ts';
import type { SiteGeometry } from '../analyse/geo.ts';
import { Gazetteer } from '../extract/places/gazetteer.ts';
import { storeDocument } from '../ingest/text/store-document.ts';
import { replaceDocumentEvents } from '../ingest/text/write-events.ts';
import { ActorRegistry } from '../resolve/actor-registry.ts';
import { blankEvent, type EventRecord } from '../schema/index.ts';
import type { Queryable, Store } from './contract.ts';
import { ENTRY_END, ENTRY_FIELD, PLACE_KIND } from './event-places.ts';

/**
 * `event_places` must hold, after every kind of write to `events`, exactly what the events say: the same
 * sums per position by month and by actor, and the same events listed per position and month. It is
 * compared with sums computed here from the events themselves, and exposure from it with exposure read
 * from the events.
 */

type Sums = Map<string, { events: number; fatalities: number; entries: string[] }>;

/** The table as readers see it: each key's rows summed, each month's entries net of removals. */
async function tableSums(store: Store): Promise<Sums> {
  const rows = await store.query<{
    kind: number;
    latitude: number;
    longitude: number;
    month: string | null;
    actor: string | null;
    events: number;
    fatalities: number;
    added: string | null;
    removed: string | null;
  }>('SELECT kind, latitude, longitude, month, actor, events, fatalities, added, removed FROM event_places');
  const counts = new Map<string, { events: number; fatalities: number; entries: Map<string, number> }>();
  for (const r of rows) {
    const key = `${r.kind} ${r.latitude} ${r.longitude} ${r.month} ${r.actor}`;
    const sum = counts.get(key) ?? { events: 0, fatalities: 0, entries: new Map<string, number>() };
    sum.events += Number(r.events);
    sum.fatalities += Number(r.fatalities);
    for (const e of r.added ? r.added.split(ENTRY_END) : [])
      sum.entries.set(e, (sum.entries.get(e) ?? 0) + 1);
    for (const e of r.removed ? r.removed.split(ENTRY_END) : [])
      sum.entries.set(e, (sum.entries.get(e) ?? 0) - 1);
    counts.set(key, sum);
  }
  const sums: Sums = new Map();
  for (const [key, sum] of counts) {
    const entries = [...sum.entries].flatMap(([e, n]) => {
      assert.ok(n >= 0, `${key}: ${e} removed more often than added`);
      return Array<string>(n).fill(e);
    });
    if (sum.events !== 0 || sum.fatalities !== 0 || entries.length)
      sums.set(key, { events: sum.events, fatalities: sum.fatalities, entries: entries.sort() });
  }
  return sums;
}

/** The same, computed here from every event. */
async function eventSums(store: Store): Promise<Sums> {
  const sums: Sums = new Map();
  const add = (key: string, f: number, entry?: string) => {
    const sum = sums.get(key) ?? { events: 0, fatalities: 0, entries: [] };
    sum.events++;
    sum.fatalities += f;
    if (entry) sum.entries.push(entry);
    sums.set(key, sum);
  };
  for (const e of await store.query<{
    id: string;
    latitude: number | null;
    longitude: number | null;
    d: string;
    f: number | null;
    actor: string | null;
  }>(
    `SELECT id, latitude, longitude, CAST(event_date AS TEXT) AS d, fatalities_best AS f,
            COALESCE(actor1_id, actor1) AS actor FROM events`,
  )) {
    if (e.latitude === null || e.longitude === null) continue;
    const f = Number(e.f ?? 0);
    const at = `${e.latitude} ${e.longitude}`;
    add(`${PLACE_KIND.position} ${at} null null`, f);
    add(`${PLACE_KIND.month} ${at} ${e.d.slice(0, 7)}-01 null`, f, [e.d, f, e.id].join(ENTRY_FIELD));
    add(`${PLACE_KIND.actor} ${at} null ${e.actor}`, f);
  }
  for (const sum of sums.values()) sum.entries.sort();
  return sums;
}

const SITES: SiteGeometry[] = [
  { type: 'Point', coordinates: [66.99, 30.18] },
  { type: 'Point', coordinates: [63.0, 26.0] },
  {
    type: 'LineString',
    coordinates: [
      [63.0, 26.0],
      [66.99, 30.18],
    ],
  },
  {
    type: 'Polygon',
    coordinates: [
      [
        [62.0, 25.5],
        [64.0, 25.5],
        [64.0, 29.5],
        [62.0, 29.5],
        [62.0, 25.5],
      ],
    ],
  },
];

/**
 * The store behind a Queryable of its own: analyses memoise the data's coverage per Queryable for two
 * seconds, which must not carry a figure from before a write into the comparison after it.
 */
const fresh = (store: Store): Queryable => ({
  dialect: store.dialect,
  query: (sql, params) => store.query(sql, params),
});

async function agree(t: TestStore, label: string): Promise<void> {
  assert.deepEqual(
    await tableSums(t.store),
    await eventSums(t.store),
    `${label}: the table against the events`,
  );
  for (const geometry of SITES) {
    for (const asOf of [undefined, '2024-05-17']) {
      const options: ExposureOptions = { geometry, radiusKm: 60, filter: {}, ...(asOf ? { asOf } : {}) };
      const fromPlaces = await exposure(fresh(t.store), options);
      assert.ok(fromPlaces.events > 0, `${label}: something to compare`);
      assert.deepEqual(
        fromPlaces,
        await exposure(fresh(t.store), { ...options, fromEvents: true }),
        `${label}: exposure around ${JSON.stringify(geometry.coordinates[0])} as of ${asOf}`,
      );
    }
  }
}

async function importEvents(t: TestStore, events: EventRecord[], file: string) {
  const writer = await t.store.beginImport({ file, sha256: file, format: 'fixture' });
  await writer.add(events);
  return writer.finish({ rowsRead: events.length, rowsRejected: 0 });
}

const textEvent = (document: string, i: number, changes: Partial<EventRecord> = {}) =>
  blankEvent({
    id: `text:${document}:${i}`,
    source: 'text',
    sourceId: `${document}:${i}`,
    eventDate: `2024-04-${String(10 + i).padStart(2, '0')}`,
    eventType: 'Battles',
    actor1: 'BLA: Baloch Liberation Army',
    latitude: 30.18,
    longitude: 66.99,
    fatalities: { low: 1, best: i + 1, high: 9 },
    ...changes,
  });

for (const kind of STORE_KINDS) {
  describe(`exposure's sums by position stay true to the events: ${kind}`, () => {
    let t: TestStore;

    before(async () => {
      t = await freshStore(kind);
      await loadAnalysisFixture(t.store);
    });
    after(async () => t?.cleanup());

    it('after the first import', async () => {
      assert.ok((await t.store.query('SELECT 1 AS one FROM event_places LIMIT 1')).length > 0);
      await agree(t, 'first import');
    });

    it('after new events, events moved to other positions and months, and fatalities corrected', async () => {
      const [first, second, third] = analysisEvents();
      assert.ok(first && second && third);
      const summary = await importEvents(
        t,
        [
          { ...first, eventDate: '2022-07-15', latitude: 26.5, longitude: 63.25 },
          // Same position and month: only the fatalities change (the sums move, the count does not).
          { ...second, fatalities: { low: 5, best: 17, high: 20 } },
          // Same month, another day: only the listed event changes.
          {
            ...third,
            eventDate: `${third.eventDate.slice(0, 8)}${third.eventDate.endsWith('28') ? '27' : '28'}`,
          },
          ...Array.from({ length: 3 }, (_, i) =>
            blankEvent({
              id: `later:${i}`,
              source: 'later',
              sourceId: String(i),
              eventDate: `2024-0${i + 2}-10`,
              eventType: 'Battles',
              actor1: 'Newcomers',
              latitude: 30.18 + i * 0.05,
              longitude: 66.99,
              fatalities: { low: 1, best: 2, high: 3 },
            }),
          ),
        ],
        'later.csv',
      );
      assert.deepEqual([summary.inserted, summary.updated], [3, 3]);
      await agree(t, 'second import');
    });

    it("after documents' events are stored, changed, re-dated and removed", async () => {
      const write = (records: EventRecord[]) =>
        t.store.transaction((tx) =>
          replaceDocumentEvents(tx, 'd1', records, {
            file: 'document:d1',
            sha256: 'd1',
            rowsRead: records.length,
            now: '2025-01-01T00:00:00.000Z',
          }),
        );
      assert.equal((await write([0, 1, 2].map((i) => textEvent('d1', i)))).inserted, 3);
      await agree(t, 'document stored');
      const changed = await write([
        textEvent('d1', 0, { eventDate: '2024-06-02' }),
        textEvent('d1', 1, { fatalities: { low: 0, best: 0, high: 0 } }),
      ]);
      assert.deepEqual([changed.updated, changed.removed], [2, 1]);
      await agree(t, 'document changed');
      assert.equal((await write([])).removed, 2);
      await agree(t, 'document emptied');
    });

    it('after many documents add one event each at one position, past the point where they are summed', async () => {
      for (let i = 0; i < 20; i++) {
        const records = [
          textEvent(`many${i}`, 0, { latitude: 28.5, longitude: 65.5, eventDate: '2024-03-03' }),
        ];
        await t.store.transaction((tx) =>
          replaceDocumentEvents(tx, `many${i}`, records, {
            file: `document:many${i}`,
            sha256: `many${i}`,
            rowsRead: 1,
            now: '2025-01-01T00:00:00.000Z',
          }),
        );
      }
      await agree(t, 'many documents');
      const [rows] = await t.store.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM event_places WHERE kind = ${PLACE_KIND.month} AND latitude = 28.5 AND longitude = 65.5`,
      );
      // PostgreSQL sums a key's appended rows into one past 16; DuckDB leaves them to the next file.
      if (kind === 'postgres') assert.ok(Number(rows?.n) >= 1 && Number(rows?.n) <= 17, `rows: ${rows?.n}`);
      else assert.equal(Number(rows?.n), 20);
    });

    it('after a report is stored through extraction, re-dated, and stored again unchanged', async () => {
      const text =
        'QUETTA: Militants of the Baloch Liberation Army attacked a Frontier Corps post in Turbat, Kech ' +
        'district, on Monday, killing three soldiers, officials said.';
      const tools = {
        actors: await ActorRegistry.fromStore(t.store),
        gazetteer: await Gazetteer.fromStore(t.store),
      };
      await storeDocument(t.store, { text, published: '2024-05-08', source: 'wire' }, tools);
      await agree(t, 'report stored');
      await storeDocument(t.store, { text, published: '2024-09-04', source: 'wire' }, tools);
      await agree(t, 'report re-dated');
      await storeDocument(t.store, { text, published: '2024-09-04', source: 'wire' }, tools);
      await agree(t, 'report stored again');
    });

    it('after a re-run of the same file, and a file into a table with rows from documents', async () => {
      const before = await t.store.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM event_places WHERE latitude = 30.18 AND longitude = 66.99',
      );
      const summary = await importEvents(t, analysisEvents(), 'fixture.csv');
      assert.ok(summary.updated > 0);
      await agree(t, 're-import');
      // The documents appended rows at Quetta; the file, which touches Quetta, summed them into one per key.
      const keys = await t.store.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM event_places WHERE latitude = 30.18 AND longitude = 66.99
         GROUP BY kind, month, actor`,
      );
      assert.ok(keys.length > 0 && keys.every((k) => Number(k.n) === 1), JSON.stringify(keys));
      assert.ok(Number(before[0]?.n) > keys.length, 'there were rows to sum');
    });

    it('and a check on the table would see it fall behind the events', async () => {
      await t.store.query(
        `DELETE FROM event_places WHERE kind = ${PLACE_KIND.actor} AND latitude = 30.18 AND longitude = 66.99`,
      );
      await assert.rejects(agree(t, 'stale'), /the table against the events/);
      const options: ExposureOptions = { geometry: SITES[0] as SiteGeometry, radiusKm: 60, filter: {} };
      assert.notDeepEqual(
        await exposure(fresh(t.store), options),
        await exposure(fresh(t.store), { ...options, fromEvents: true }),
      );
    });
  });
}

describeAcledThenCorrected("exposure's sums by position after ingesting the ACLED file", (t, after) =>
  agree(t, after),
);
