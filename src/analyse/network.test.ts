import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { describeAcledThenCorrected } from '../../test/support/acled-corrected.ts';
import { analysisEvents, loadAnalysisFixture } from '../../test/support/analysis-fixture.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { Gazetteer } from '../extract/places/gazetteer.ts';
import { storeDocument } from '../ingest/text/store-document.ts';
import { ActorRegistry } from '../resolve/actor-registry.ts';
import { blankEvent, type EventFilter, type EventRecord } from '../schema/index.ts';
import { districtChoropleth } from '../serve/routes/districts.ts';
import { actorPairMonthsSelect } from '../store/actor-pair-months.ts';
import { placeMonthsSelect, rebuildPlaceMonths } from '../store/place-months.ts';
import { addMerger } from './actors.ts';
import { checkClaim, parseClaim } from './claim-check.ts';
import { dataCoverage } from './coverage.ts';
import { network } from './network.ts';
import { addMonths, PERIODS } from './periods.ts';
import { spread } from './spread.ts';
import { trend } from './trend.ts';

/** Trend by actor over whole months is read from `actor_pair_months` too; `fromEvents` forces the events. */
async function trendAgrees(t: TestStore, filter: EventFilter, label: string) {
  for (const period of PERIODS) {
    const fromMonths = await trend(t.store, { by: 'actor', period, filter, limit: 500 });
    const fromEvents = await trend(t.store, { by: 'actor', period, filter, limit: 500, fromEvents: true });
    assert.ok(fromMonths.series.length > 0, `${label}: a trend to compare`);
    assert.deepEqual(
      fromMonths,
      fromEvents,
      `trend by actor and ${period}, ${label} ${JSON.stringify(filter)}`,
    );
  }
}

/**
 * `place_months` (stats, the choropleth, trend by place or type, coverage) must equal the same sums taken
 * from the events, and the questions it answers must equal their answers from the events.
 */
async function placeMonthsAgree(t: TestStore, label: string) {
  const norm = (rows: Record<string, unknown>[]) =>
    rows
      .map((r) =>
        JSON.stringify(
          Object.values(r).map((v) => (typeof v === 'number' || /^\d+$/.test(String(v)) ? Number(v) : v)),
        ),
      )
      .sort();
  const keys = 'month, source, admin1, admin2, event_type, sub_event_type';
  const table = await t.store.query(
    `SELECT ${keys}, SUM(events) AS events, SUM(fatalities) AS fatalities, MIN(first) AS first, MAX(last) AS last
     FROM place_months GROUP BY ${keys}`,
  );
  const fromEvents = await t.store.query(`SELECT * FROM (${placeMonthsSelect('TRUE')}) x`);
  assert.ok(table.length > 0, `${label}: place_months has rows`);
  assert.deepEqual(norm(table), norm(fromEvents), `place_months after ${label}`);
  const stats = await t.store.stats(['admin2', 'month'], { from: '2024-01-01' });
  const statsSql = await t.store.query(
    `SELECT admin2 AS k0, SUBSTR(CAST(event_date AS TEXT), 1, 7) AS k1, COUNT(*) AS events,
            COALESCE(SUM(fatalities_best), 0) AS fatalities
     FROM events WHERE event_date >= CAST('2024-01-01' AS DATE) GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  assert.deepEqual(
    stats.map((r) => [r.keys.admin2, r.keys.month, r.events, r.fatalities]),
    statsSql.map((r) => [r.k0, r.k1, Number(r.events), Number(r.fatalities)]),
    `stats after ${label}`,
  );
  for (const filter of [...WHOLE_MONTHS, { admin1: ['Balochistan'], from: '2023-01-01', to: '2024-06-30' }]) {
    for (const by of ['admin2', 'event_type'] as const) {
      const period = 'quarter';
      assert.deepEqual(
        await trend(t.store, { by, period, filter, limit: 500 }),
        await trend(t.store, { by, period, filter, limit: 500, fromEvents: true }),
        `trend by ${by}, ${label} ${JSON.stringify(filter)}`,
      );
    }
  }
  // A start on the 1st of a month reads place_months, on the 2nd the events; every event is later.
  const choropleth = async (from: string) => {
    const map = await districtChoropleth(t.store, { from });
    return { ...map, unmatched: map.unmatched.sort((a, b) => a.admin2.localeCompare(b.admin2)) };
  };
  assert.deepEqual(
    await choropleth('1900-01-01'),
    await choropleth('1900-01-02'),
    `choropleth after ${label}`,
  );
  const [known] = await t.store.query<{ n: number }>('SELECT COUNT(DISTINCT admin2) AS n FROM events');
  const spreadNow = await spread(t.store, { filter: {}, from: '2024-01-01', to: '2024-06-30' });
  assert.equal(spreadNow.districtsKnown, Number(known?.n), `districts known after ${label}`);
  const provinces = await t.store.query<{ admin1: string }>(
    'SELECT DISTINCT admin1 FROM events WHERE admin1 IS NOT NULL ORDER BY admin1',
  );
  const claimed = await checkClaim(
    t.store,
    await parseClaim(t.store, 'events rose 10% between 2023 and 2024'),
  );
  assert.deepEqual(
    claimed.coverage.admin1,
    provinces.map((r) => r.admin1),
    `claim's provinces after ${label}`,
  );
  const [span] = await t.store.query<{ first: string; last: string }>(
    "SELECT MIN(event_date) AS first, MAX(event_date) AS last FROM events WHERE source <> 'text'",
  );
  const coverage = await dataCoverage(t.store, {});
  assert.deepEqual([coverage.first, coverage.last], [span?.first, span?.last], `coverage after ${label}`);
}

/**
 * Whole-month questions are answered from `actor_pair_months`, kept up to date by the import; any other
 * filter reads the events. Naming every source forces the events path over the same events, so the two
 * must agree after every kind of write.
 */
async function bothPaths(t: TestStore, filter: EventFilter) {
  const sources = (await t.store.query<{ source: string }>('SELECT DISTINCT source FROM events')).map(
    (r) => r.source,
  );
  const fromMonths = await network(t.store, { filter });
  const fromEvents = await network(t.store, { filter: { ...filter, sources } });
  return { fromMonths, fromEvents };
}

// All years; one whole year; months before whole years; months on both sides of one (actor_pair_years).
const WHOLE_MONTHS: EventFilter[] = [
  {},
  { from: '2024-01-01', to: '2024-12-31' },
  { from: '2022-03-01' },
  { from: '2022-03-01', to: '2024-06-30' },
];

/** `actor_pair_years` must hold, key by key, the events' sums by year. */
async function actorPairYearsAgree(t: TestStore, label: string) {
  const keys = 'year, a1, a2, assoc_actor1, assoc_actor2';
  const sums = `${keys}, MIN(n1) AS n1, MIN(n2) AS n2, SUM(events) AS events, SUM(fatalities) AS fatalities,
    MIN(first) AS first, MAX(last) AS last, MIN(first_key) AS first_key, MAX(last_key) AS last_key`;
  const norm = (rows: Record<string, unknown>[]) =>
    rows
      .map((r) => JSON.stringify(Object.values(r).map((v) => (typeof v === 'number' ? String(v) : v))))
      .sort();
  const table = await t.store.query(`SELECT ${sums} FROM actor_pair_years GROUP BY ${keys}`);
  const fromEvents = await t.store.query(
    `SELECT ${sums} FROM (${actorPairMonthsSelect('TRUE', 'year')}) x GROUP BY ${keys}`,
  );
  assert.ok(table.length > 0, `${label}: actor_pair_years has rows`);
  assert.deepEqual(norm(table), norm(fromEvents), `actor_pair_years after ${label}`);
}

async function importEvents(t: TestStore, events: EventRecord[], file: string) {
  const writer = await t.store.beginImport({ file, sha256: file, format: 'fixture' });
  await writer.add(events);
  return writer.finish({ rowsRead: events.length, rowsRejected: 0 });
}

for (const kind of STORE_KINDS) {
  describe(`network's monthly sums stay true to the events: ${kind}`, () => {
    let t: TestStore;

    before(async () => {
      t = await freshStore(kind);
      await loadAnalysisFixture(t.store);
    });
    after(async () => t?.cleanup());

    const agree = async (label: string) => {
      for (const filter of WHOLE_MONTHS) {
        const { fromMonths, fromEvents } = await bothPaths(t, filter);
        assert.ok(
          fromMonths.nodes.length > 0 && fromMonths.edges.length > 0,
          `${label}: something to compare`,
        );
        assert.deepEqual(fromMonths, fromEvents, `${label} ${JSON.stringify(filter)}`);
        await trendAgrees(t, filter, label);
      }
      await actorPairYearsAgree(t, label);
      await placeMonthsAgree(t, label);
    };

    const edgeEvents = async (a: string, b: string) => {
      const [row] = await t.store.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM events
         WHERE (COALESCE(actor1_id, actor1) = $1 AND COALESCE(actor2_id, actor2) = $2)
            OR (COALESCE(actor1_id, actor1) = $2 AND COALESCE(actor2_id, actor2) = $1)`,
        [a, b],
      );
      return Number(row?.n);
    };

    it('after the first import', async () => {
      await agree('first import');
    });

    it('after new events, a changed event moved to another month and new actors', async () => {
      const [first] = analysisEvents();
      assert.ok(first);
      const before = (await network(t.store, { filter: {} })).edges.find(
        (e) => e.source === 'Newcomers' || e.target === 'Newcomers',
      );
      assert.equal(before, undefined);
      const summary = await importEvents(
        t,
        [
          // The stored fx:1 again, now a year later, between other actors.
          { ...first, eventDate: '2022-07-15', actor1: 'Newcomers', actor1Id: null, actor2: 'Old Guard' },
          ...Array.from({ length: 3 }, (_, i) =>
            blankEvent({
              id: `later:${i}`,
              source: 'later',
              sourceId: String(i),
              eventDate: `2024-0${i + 2}-10`,
              eventType: 'Battles',
              actor1: 'Newcomers',
              actor2: 'Old Guard',
              assocActor1: 'TTP; Friends of Newcomers',
              fatalities: { low: 1, best: 2, high: 3 },
            }),
          ),
        ],
        'later.csv',
      );
      assert.deepEqual([summary.inserted, summary.updated], [3, 1]);
      await agree('second import');
      const edge = (await network(t.store, { filter: {} })).edges.find(
        (e) => e.source === 'Newcomers' && e.target === 'Old Guard',
      );
      assert.equal(edge?.events, await edgeEvents('Newcomers', 'Old Guard'));
      assert.equal(edge?.events, 4);
      assert.deepEqual(edge?.evidence, [first.id, 'later:2']);
    });

    it('after imports of more than a thousand actor combinations, over many months and over a few', async () => {
      for (const [file, months] of [
        ['many-months.csv', 30],
        ['few-months.csv', 3],
      ] as const) {
        const events = Array.from({ length: 1100 }, (_, i) =>
          blankEvent({
            id: `${file}:${i}`,
            source: 'bulk',
            sourceId: `${file}:${i}`,
            eventDate: addMonths('2021-01-05', i % months),
            eventType: 'Battles',
            actor1: `Band ${i}`,
            actor2: i % 2 ? 'Military Forces of Pakistan' : null,
            fatalities: { low: 0, best: i % 3, high: 2 },
          }),
        );
        const summary = await importEvents(t, events, file);
        assert.equal(summary.inserted, 1100);
        await agree(file);
      }
    });

    it('after documents adding one event at a time to the same actors, past the point where they are summed into one row', async () => {
      for (let i = 0; i < 20; i++) {
        const summary = await importEvents(
          t,
          [
            blankEvent({
              id: `doc:${i}`,
              source: 'doc',
              sourceId: String(i),
              eventDate: `2024-08-${String(i + 1).padStart(2, '0')}`,
              eventType: 'Battles',
              actor1: 'BLA: Baloch Liberation Army',
              actor2: 'Military Forces of Pakistan',
              assocActor1: i >= 18 ? 'TTP' : null,
              fatalities: { low: 1, best: i, high: 30 },
            }),
          ],
          `doc-${i}.txt`,
        );
        assert.equal(summary.inserted, 1);
        if (i % 5 === 4) await agree(`document ${i}`);
      }
      const [rows] = await t.store.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM actor_pair_months WHERE month = CAST('2024-08-01' AS DATE)
           AND a1 = 'BLA: Baloch Liberation Army' AND a2 = 'Military Forces of Pakistan' AND assoc_actor1 IS NULL`,
      );
      // PostgreSQL sums a group's appended rows into one past 16; DuckDB leaves them to the next file.
      const most = kind === 'postgres' ? 16 : 18;
      assert.ok(Number(rows?.n) >= 1 && Number(rows?.n) <= most, `rows of one group: ${rows?.n}`);
    });

    it('after documents imported at the same time into the same actors', async () => {
      const summaries = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          importEvents(
            t,
            [
              blankEvent({
                id: `together:${i}`,
                source: 'together',
                sourceId: String(i),
                eventDate: '2024-09-09',
                eventType: 'Battles',
                actor1: 'BLA: Baloch Liberation Army',
                actor2: 'Military Forces of Pakistan',
                fatalities: { low: 1, best: 1, high: 1 },
              }),
            ],
            `together-${i}.txt`,
          ),
        ),
      );
      assert.deepEqual(
        summaries.map((s) => s.inserted),
        [1, 1, 1, 1],
      );
      await agree('concurrent documents');
    });

    it('after a document is stored, re-dated into another month, and stored again unchanged', async () => {
      const text =
        'QUETTA: Militants of the Baloch Liberation Army attacked a Frontier Corps post in Turbat, Kech ' +
        'district, on Monday, killing three soldiers, officials said.';
      const tools = {
        actors: await ActorRegistry.fromStore(t.store),
        gazetteer: await Gazetteer.fromStore(t.store),
      };
      const textEvents = async () =>
        t.store.query<{ d: string }>(
          "SELECT CAST(event_date AS TEXT) AS d FROM events WHERE source = 'text'",
        );
      await storeDocument(t.store, { text, published: '2024-05-08', source: 'wire' }, tools);
      const first = await textEvents();
      assert.ok(first.length > 0, 'the report gives an event');
      await agree('document stored');
      await storeDocument(t.store, { text, published: '2024-09-04', source: 'wire' }, tools);
      const redated = await textEvents();
      assert.equal(redated.length, first.length);
      assert.ok(
        redated.every((r) => r.d.startsWith('2024-09')),
        JSON.stringify(redated),
      );
      await agree('document re-dated');
      await storeDocument(t.store, { text, published: '2024-09-04', source: 'wire' }, tools);
      await agree('document stored again');
    });

    it('after a re-run of the same file and after an alias change', async () => {
      const summary = await importEvents(t, analysisEvents(), 'fixture.csv');
      assert.ok(summary.updated > 0);
      await agree('re-import');
      await t.store.saveActors([
        { id: 'friends', name: 'Friends', kind: null, aliases: ['Friends of Newcomers'] },
      ]);
      await agree('alias added');
      const friends = (await network(t.store, { filter: {} })).nodes.find((n) => n.id === 'friends');
      assert.equal(friends?.events, 3);
    });

    it('place_months is what stats, trend and the choropleth read: a row deleted behind the writers is seen', async () => {
      const byDistrict = (fromEvents: boolean) =>
        trend(t.store, { by: 'admin2', period: 'year', filter: {}, limit: 500, fromEvents });
      const stats = () => t.store.stats(['admin2'], {});
      const before = await stats();
      await t.store.query(
        'DELETE FROM place_months WHERE admin2 = (SELECT MIN(admin2) FROM place_months) AND month = (SELECT MIN(month) FROM place_months WHERE admin2 = (SELECT MIN(admin2) FROM place_months))',
      );
      assert.notDeepEqual(await byDistrict(false), await byDistrict(true));
      assert.notDeepEqual(await stats(), before);
      await rebuildPlaceMonths(t.store);
      assert.deepEqual(await byDistrict(false), await byDistrict(true));
      assert.deepEqual(await stats(), before);
    });

    it('trend by actor: the monthly sums are what it reads (a row deleted behind the writers is seen), and a merger reads the events', async () => {
      const filter = { from: '2024-01-01', to: '2024-12-31' };
      const byActor = (fromEvents: boolean) =>
        trend(t.store, { by: 'actor', period: 'month', filter, limit: 500, fromEvents });
      await t.store.query(
        "DELETE FROM actor_pair_months WHERE a1 = 'Newcomers' AND month = CAST('2024-02-01' AS DATE)",
      );
      assert.notDeepEqual(await byActor(false), await byActor(true));
      await addMerger(t.store, { into: 'Old Guard', members: ['Newcomers'], date: '2024-03-15' });
      assert.deepEqual(await byActor(false), await byActor(true), 'with a merger both read the events');
      const guard = (await byActor(false)).series.find((s) => s.key === 'Old Guard');
      assert.deepEqual(
        guard?.points.filter((p) => p.events > 0).map((p) => p.period),
        ['2024-04'],
        'the merger of 15 March moves the event of 10 April, not that of 10 March',
      );
    });
  });
}

// The corrected file adds five deaths to each of its first ten events: the whole network's toll must rise.
let tollAfterFirstIngest = 0;
const toll = async (t: TestStore) =>
  (await network(t.store, { filter: {}, limit: 500 })).nodes.reduce((n, node) => n + node.fatalities, 0);
describeAcledThenCorrected("network's monthly sums after ingesting the ACLED file", async (t, after) => {
  for (const filter of WHOLE_MONTHS) {
    const { fromMonths, fromEvents } = await bothPaths(t, filter);
    if (after === 'first ingest') assert.ok(fromMonths.edges.length > 0);
    assert.deepEqual(fromMonths, fromEvents, `${after} ${JSON.stringify(filter)}`);
    await trendAgrees(t, filter, after);
  }
  await actorPairYearsAgree(t, after);
  await placeMonthsAgree(t, after);
  if (after === 'first ingest') tollAfterFirstIngest = await toll(t);
  else assert.ok((await toll(t)) > tollAfterFirstIngest);
});
