import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ingestPaths } from '../src/ingest/run-ingest.ts';
import { eventFromRow, eventSelectSql, eventsFromSql } from '../src/store/columns.ts';
import { sharedFile } from './support/shared-data.ts';
import { freshStore, STORE_KINDS, type TestStore } from './support/stores.ts';

const ACLED = sharedFile('acled-balochistan-2020-2024h1.csv');
const GTD = sharedFile('gtd-pakistan-2008.geojson');
const SUICIDE = sharedFile('pakistan-suicide-attacks-1995-2018.csv');
const DRONES = sharedFile('pakistan-drone-strikes-2004-2018.csv');
const UCDP = 'test/fixtures/ucdp-ged-sample.csv';

const one = async (t: TestStore, sql: string, params: (string | number)[] = []) =>
  Number(Object.values((await t.store.query(sql, params))[0] ?? {})[0]);

for (const kind of STORE_KINDS) {
  describe(`ingest real data sets: ${kind}`, () => {
    let t: TestStore;
    before(async () => {
      t = await freshStore(kind);
    });
    after(async () => t?.cleanup());

    it('ACLED: 1,341 events in 30 districts; a re-run adds nothing', { skip: !ACLED }, async () => {
      const first = await ingestPaths(t.store, [ACLED as string]);
      assert.equal(first.files[0]?.format, 'acled');
      assert.equal(first.files[0]?.inserted, 1341);
      assert.equal(await one(t, "SELECT COUNT(*) FROM events WHERE source = 'acled'"), 1341);
      assert.equal(await one(t, "SELECT COUNT(DISTINCT source_id) FROM events WHERE source = 'acled'"), 1341);
      assert.equal(await one(t, "SELECT COUNT(DISTINCT admin2) FROM events WHERE source = 'acled'"), 30);
      // every actor is linked to a canonical actor, and BLA's three spellings are one
      assert.equal(
        await one(t, 'SELECT COUNT(*) FROM events WHERE actor1 IS NOT NULL AND actor1_id IS NULL'),
        0,
      );
      assert.equal(
        await one(
          t,
          "SELECT COUNT(*) FROM events WHERE actor1 = 'BLA: Baloch Liberation Army' AND actor1_id <> 'baloch-liberation-army'",
        ),
        0,
      );
      const again = await ingestPaths(t.store, [ACLED as string]);
      assert.deepEqual(
        [again.files[0]?.inserted, again.files[0]?.updated, again.files[0]?.unchanged],
        [0, 0, 1341],
      );
      assert.equal(await one(t, "SELECT COUNT(*) FROM events WHERE source = 'acled'"), 1341);
    });

    it('GTD GeoJSON: 567 incidents with stable ids, dates and unknown counts as null', {
      skip: !GTD,
    }, async () => {
      const report = await ingestPaths(t.store, [GTD as string]);
      assert.equal(report.files[0]?.format, 'gtd');
      assert.equal(report.files[0]?.stored, 567);
      assert.equal(await one(t, "SELECT COUNT(DISTINCT id) FROM events WHERE source = 'gtd'"), 567);
      assert.equal(
        await one(
          t,
          "SELECT COUNT(*) FROM events WHERE source = 'gtd' AND EXTRACT(YEAR FROM event_date) <> 2008",
        ),
        0,
      );
      assert.equal(
        await one(t, "SELECT COUNT(*) FROM events WHERE source = 'gtd' AND fatalities_best < 0"),
        0,
      );
      assert.equal(
        await one(
          t,
          "SELECT COUNT(*) FROM events WHERE actor1 = 'Tehrik-i-Taliban Pakistan (TTP)' AND actor1_id = 'tehrik-i-taliban-pakistan'",
        ),
        111,
      );
      const again = await ingestPaths(t.store, [GTD as string]);
      assert.equal(again.files[0]?.unchanged, 567, 'the derived ids are stable across runs');
    });

    it('suicide attacks (Latin-1, mapping found by header): 492, dates parsed, min/max kept', {
      skip: !SUICIDE,
    }, async () => {
      const report = await ingestPaths(t.store, [SUICIDE as string]);
      assert.equal(report.files[0]?.mapping, 'pakistan-suicide-attacks');
      assert.equal(report.files[0]?.stored, 492);
      assert.equal(report.files[0]?.rejected, 0);
      const source = 'pakistan-suicide-attacks';
      assert.equal(await one(t, 'SELECT COUNT(*) FROM events WHERE source = $1', [source]), 492);
      const [first] = (
        await t.store.query(
          `SELECT ${eventSelectSql('e')} FROM ${eventsFromSql('e')} WHERE e.source = $1 AND e.source_id = $2`,
          [source, '1'],
        )
      ).map(eventFromRow);
      assert.equal(first?.eventDate, '1995-11-19');
      assert.equal(first?.raw?.Date, 'Sunday-November 19-1995');
      const ranges = await one(
        t,
        'SELECT COUNT(*) FROM events WHERE source = $1 AND fatalities_low < fatalities_high',
        [source],
      );
      assert.ok(ranges > 50, `killed min < max on ${ranges} events`);
      // low/high are the file's own min/max columns
      const events = (
        await t.store.query(`SELECT ${eventSelectSql('e')} FROM ${eventsFromSql('e')} WHERE e.source = $1`, [
          source,
        ])
      ).map(eventFromRow);
      for (const event of events) {
        const raw = event.raw as Record<string, string>;
        const values = [raw['Killed Min'], raw['Killed Max']].filter((v) => v !== '').map(Number);
        if (values.length === 2)
          assert.deepEqual(
            [event.fatalities.low, event.fatalities.high],
            [Math.min(...values), Math.max(...values)],
          );
      }
    });

    it('drone strikes: 404 events and the totals row rejected with its line', { skip: !DRONES }, async () => {
      const report = await ingestPaths(t.store, [DRONES as string]);
      const file = report.files[0];
      assert.equal(file?.stored, 404);
      assert.equal(file?.rejected, 1);
      assert.equal(file?.rejects[0]?.line, 406);
      assert.equal(file?.rejects[0]?.field, 'Date');
      assert.match(file?.rejects[0]?.reason ?? '', /totals row/);
      assert.equal(await one(t, "SELECT COUNT(*) FROM events WHERE source = 'pakistan-drone-strikes'"), 404);
      const [batch] = (await t.store.listBatches()).filter((b) => b.file === DRONES);
      assert.deepEqual([batch?.rowsRead, batch?.rowsStored, batch?.rowsRejected], [405, 404, 1]);
    });

    it('UCDP GED sample: low/best/high and canonical sides', async () => {
      const report = await ingestPaths(t.store, [UCDP]);
      assert.equal(report.files[0]?.format, 'ucdp');
      assert.equal(report.files[0]?.stored, 6);
      const event = await t.store.eventById('ucdp:900003');
      assert.deepEqual(event?.fatalities, { low: 12, best: 14, high: 16 });
      assert.equal(event?.actor1Id, 'military-forces-of-pakistan');
      assert.equal(event?.actor2Id, 'tehrik-i-taliban-pakistan');
      assert.equal(event?.admin2, 'Zhob');
      assert.equal(event?.timePrecision, 'week');
      assert.equal(event?.endDate, '2023-07-12');
      // type_of_violence → ACLED's type: 1 (state-based) is a clash, 3 (one-sided) an attack on civilians.
      const clash = await t.store.eventById('ucdp:900001');
      assert.deepEqual([clash?.eventType, clash?.subEventType], ['Battles', 'Armed clash']);
      const oneSided = await t.store.eventById('ucdp:900002');
      assert.deepEqual(
        [oneSided?.eventType, oneSided?.subEventType],
        ['Violence against civilians', 'Attack'],
      );
    });

    it('stats by actor and year agree with a direct SQL count', async () => {
      const stats = await t.store.stats(['actor', 'year'], { sources: ['acled', 'ucdp'] });
      const direct = await t.store.query(
        `SELECT COALESCE(a.name, e.actor1) AS actor, CAST(EXTRACT(YEAR FROM e.event_date) AS INTEGER) AS year, COUNT(*) AS n
         FROM events e LEFT JOIN actors a ON a.id = e.actor1_id WHERE e.source IN ('acled', 'ucdp') GROUP BY 1, 2`,
      );
      const key = (actor: unknown, year: unknown) => `${actor}|${year}`;
      const expected = new Map(direct.map((r) => [key(r.actor, r.year), Number(r.n)]));
      assert.equal(stats.length, expected.size);
      for (const row of stats) assert.equal(row.events, expected.get(key(row.keys.actor, row.keys.year)));
      if (ACLED) {
        const bla2023 = stats.find((r) => r.keys.actor === 'Baloch Liberation Army' && r.keys.year === 2023);
        assert.equal(
          bla2023?.events,
          await one(
            t,
            "SELECT COUNT(*) FROM events WHERE actor1_id = 'baloch-liberation-army' AND EXTRACT(YEAR FROM event_date) = 2023 AND source IN ('acled', 'ucdp')",
          ),
        );
      }
    });
  });
}
