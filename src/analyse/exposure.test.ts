import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { blankEvent, type EventRecord } from '../schema/index.ts';
import type { Queryable, SqlParam, SqlRow } from '../store/contract.ts';
import { CELLS_PER_DEGREE } from '../store/event-places.ts';
import { exposure, trendScore } from './exposure.ts';
import { distanceToGeometryKm, EARTH_RADIUS_KM, type SiteGeometry } from './geo.ts';
import { addDays, addMonths, windowStart } from './periods.ts';
import { trendBand } from './trend.ts';

const POINT: SiteGeometry = { type: 'Point', coordinates: [66.99, 30.18] };
const LINE: SiteGeometry = {
  type: 'LineString',
  coordinates: [
    [66.0, 29.0],
    [66.99, 30.18],
    [68.2, 30.9],
  ],
};
const RADIUS_KM = 25;

/** The position `km` from (lat, lon) on a bearing, on the sphere geo.ts measures on. */
function destination(lat: number, lon: number, bearingDeg: number, km: number): [number, number] {
  const rad = Math.PI / 180;
  const d = km / EARTH_RADIUS_KM;
  const b = bearingDeg * rad;
  const lat1 = lat * rad;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lon2 =
    lon * rad +
    Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return [lat2 / rad, lon2 / rad];
}

/**
 * Events on the edge of the radius (a hair inside and outside, both sides of the point and of the line's
 * vertices), a pile at one spot (ties for the nearest), and a spread of others, over three years.
 */
function edgeEvents(): EventRecord[] {
  const events: EventRecord[] = [];
  let n = 0;
  const add = (lat: number, lon: number) => {
    n++;
    events.push(
      blankEvent({
        id: `edge:${n}`,
        source: 'edge',
        sourceId: String(n),
        eventDate: addDays('2022-01-01', (n * 37) % 1000),
        eventType: 'Battles',
        actor1: `Group ${n % 4}`,
        actor1Id: n % 3 === 0 ? null : `g${n % 4}`,
        latitude: lat,
        longitude: lon,
        fatalities: { low: n % 3, best: n % 5 === 0 ? null : n % 3, high: n % 3 },
      }),
    );
  };
  const [plon, plat] = POINT.coordinates as [number, number];
  for (let bearing = 0; bearing < 360; bearing += 7.5) {
    for (const km of [
      RADIUS_KM - 1e-7,
      RADIUS_KM,
      RADIUS_KM + 1e-7,
      RADIUS_KM - 3e-6,
      RADIUS_KM + 3e-6,
      3,
      40,
    ]) {
      add(...destination(plat, plon, bearing, km));
    }
  }
  // Beyond the line's ends and off its middle, just inside and outside the corridor.
  for (const [lon, lat] of [
    [66.0, 29.0],
    [68.2, 30.9],
  ] as const) {
    for (let bearing = 0; bearing < 360; bearing += 15) {
      for (const km of [RADIUS_KM - 1e-7, RADIUS_KM + 1e-7]) add(...destination(lat, lon, bearing, km));
    }
  }
  for (let i = 0; i < 30; i++) add(plat + 0.01, plon + 0.01);
  return events;
}

for (const kind of STORE_KINDS) {
  describe(`exposure on the radius's edge: ${kind}`, () => {
    let t: TestStore;
    let events: EventRecord[];

    before(async () => {
      t = await freshStore(kind);
      events = edgeEvents();
      const writer = await t.store.beginImport({ file: 'edge.csv', sha256: 'edge', format: 'fixture' });
      await writer.add(events);
      await writer.finish({ rowsRead: events.length, rowsRejected: 0 });
    });
    after(async () => t?.cleanup());

    for (const [name, geometry, fromEvents] of [
      ['point', POINT, false],
      ['line', LINE, false],
      ['point, read from the events', POINT, true],
      ['line, read from the events', LINE, true],
    ] as const) {
      it(`${name}: counts, tallies and the nearest recent events agree with the JavaScript distance`, async () => {
        const result = await exposure(t.store, { geometry, radiusKm: RADIUS_KM, filter: {}, fromEvents });
        const measured = events
          .map((e) => ({ e, km: distanceToGeometryKm(e.latitude ?? 0, e.longitude ?? 0, geometry) }))
          .filter((m) => m.km <= RADIUS_KM);
        // The fixture must put events on both sides of the edge for this to test anything.
        assert.ok(measured.some((m) => m.km > RADIUS_KM - 1e-6));
        assert.ok(
          events.some((e) => {
            const km = distanceToGeometryKm(e.latitude ?? 0, e.longitude ?? 0, geometry);
            return km > RADIUS_KM && km < RADIUS_KM + 1e-6;
          }),
        );
        const fatalities = (e: EventRecord) => e.fatalities.best ?? 0;
        assert.equal(result.events, measured.length);
        assert.equal(
          result.fatalities,
          measured.reduce((n, m) => n + fatalities(m.e), 0),
        );
        const byYear = new Map<number, number>();
        for (const m of measured) {
          const year = Number(m.e.eventDate.slice(0, 4));
          byYear.set(year, (byYear.get(year) ?? 0) + 1);
        }
        assert.deepEqual(
          result.byYear.map((y) => [y.year, y.events]),
          [...byYear.entries()].sort((a, b) => a[0] - b[0]),
        );
        const byActor = new Map<string, number>();
        for (const m of measured) {
          const key = m.e.actor1Id ?? m.e.actor1 ?? '(unknown)';
          byActor.set(key, (byActor.get(key) ?? 0) + 1);
        }
        assert.deepEqual(
          Object.fromEntries(result.byActor.map((a) => [a.actor, a.events])),
          Object.fromEntries(byActor),
        );
        const asOf = result.asOf as string;
        assert.equal(
          asOf,
          events
            .map((e) => e.eventDate)
            .sort()
            .at(-1),
        );
        const recentFrom = windowStart(asOf, 12);
        const recent = measured.filter((m) => m.e.eventDate >= recentFrom && m.e.eventDate <= asOf);
        const previous = measured.filter(
          (m) => m.e.eventDate < recentFrom && m.e.eventDate >= addMonths(recentFrom, -12),
        );
        assert.equal(result.trend.recentEvents, recent.length);
        assert.equal(result.trend.previousEvents, previous.length);
        const nearest = recent
          .sort(
            (a, b) =>
              a.km - b.km || b.e.eventDate.localeCompare(a.e.eventDate) || a.e.id.localeCompare(b.e.id),
          )
          .slice(0, 10);
        assert.deepEqual(
          result.nearestRecent.map((r) => r.id),
          nearest.map((m) => m.e.id),
        );
      });
    }

    // The sums by position pick positions by cell, unless a cell holds positions on both sides of the
    // radius (the hairs around 25 km do; nothing straddles 10 km); as-of days inside a month cut the
    // windows' first and last months, which are then counted from the listed events.
    it('the sums by position give the answer of the events path, whichever way positions are picked', async () => {
      const cellOf = (e: EventRecord) =>
        `${Math.floor((e.latitude ?? 0) * CELLS_PER_DEGREE)} ${Math.floor((e.longitude ?? 0) * CELLS_PER_DEGREE)}`;
      for (const [geometry, radiusKm, straddles] of [
        [POINT, RADIUS_KM, true],
        [POINT, 10, false],
        [LINE, RADIUS_KM, true],
        [LINE, 10, false],
        [POINT, 400, false],
      ] as const) {
        const inside = new Set(
          events
            .filter((e) => distanceToGeometryKm(e.latitude ?? 0, e.longitude ?? 0, geometry) <= radiusKm)
            .map(cellOf),
        );
        const shared = events.some(
          (e) =>
            distanceToGeometryKm(e.latitude ?? 0, e.longitude ?? 0, geometry) > radiusKm &&
            inside.has(cellOf(e)),
        );
        assert.equal(shared, straddles, `${geometry.type} ${radiusKm} km: a cell on both sides`);
        for (const asOf of [undefined, '2023-09-17', '2024-02-29', '2022-03-01']) {
          const options = { geometry, radiusKm, filter: {}, ...(asOf ? { asOf } : {}) };
          const fromPlaces = await exposure(t.store, options);
          assert.ok(fromPlaces.events > 0);
          assert.deepEqual(
            fromPlaces,
            await exposure(t.store, { ...options, fromEvents: true }),
            `${geometry.type} ${radiusKm} km as of ${asOf}`,
          );
        }
      }
    });

    // DuckDB bounds the cells by a range (four bounds plan faster than two lists), PostgreSQL probes its cell
    // index with the lists; both keep the exact list of cells, so the rectangle's other cells are left out.
    it('picks the positions by their cells: a range of them on DuckDB, lists on PostgreSQL', async () => {
      const statements: string[] = [];
      const db: Queryable = {
        dialect: t.store.dialect,
        query<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlParam[]) {
          statements.push(sql);
          return t.store.query<T>(sql, params);
        },
      };
      const options = { geometry: LINE, radiusKm: 10, filter: {} };
      const result = await exposure(db, options);
      const near = statements.find((s) => s.includes('WITH near AS MATERIALIZED')) ?? '';
      assert.match(near, /p\.lat_cell \* CAST\(\d+ AS BIGINT\) \+ p\.lon_cell IN/);
      if (kind === 'duckdb') assert.match(near, /p\.lat_cell BETWEEN[\s\S]*p\.lon_cell BETWEEN/);
      else assert.match(near, /p\.lat_cell IN[\s\S]*p\.lon_cell IN/);
      // The corridor's rectangle holds events outside it: the exact cells keep them out.
      const [lon0, lat0] = LINE.coordinates[0] as [number, number];
      const [lon1, lat1] = LINE.coordinates[2] as [number, number];
      assert.ok(
        events.some(
          (e) =>
            (e.latitude ?? 0) > lat0 &&
            (e.latitude ?? 0) < lat1 &&
            (e.longitude ?? 0) > lon0 &&
            (e.longitude ?? 0) < lon1 &&
            distanceToGeometryKm(e.latitude ?? 0, e.longitude ?? 0, LINE) > 10,
        ),
      );
      assert.deepEqual(result, await exposure(t.store, { ...options, fromEvents: true }));
    });
  });
}

describe('exposure risk: the trend part', () => {
  it('scores nothing where the trend band beside it says stable, and follows the change otherwise', () => {
    // 3 events against 1 is +200 % but "stable" in the band: it used to take the full 15 points.
    assert.equal(trendBand(3, 1), 'stable');
    assert.equal(trendScore(3, 1), 0);
    assert.equal(trendScore(2, 0), 0);
    assert.equal(trendScore(0, 0), 0);
    assert.equal(trendScore(4, 0), 1);
    assert.equal(trendScore(15, 10), 0.5);
    assert.equal(trendScore(30, 10), 1);
    assert.equal(trendScore(5, 10), 0);
  });
});

for (const kind of STORE_KINDS) {
  describe(`exposure's recent window and the latest news reports (${kind})`, () => {
    let t: TestStore;
    const [lon, lat] = POINT.coordinates as [number, number];
    // A data set that stops at the end of June, and a news report of September 10 km from the site.
    const acled = (n: number, date: string, km: number) => {
      const [elat, elon] = destination(lat, lon, 45, km);
      return blankEvent({
        id: `acled:${n}`,
        source: 'acled',
        sourceId: String(n),
        eventDate: date,
        eventType: 'Battles',
        actor1: 'BLA: Baloch Liberation Army',
        latitude: elat,
        longitude: elon,
      });
    };
    const [tlat, tlon] = destination(lat, lon, 180, 10);
    const report = blankEvent({
      id: 'text:wire:0',
      source: 'text',
      sourceId: 'wire:0',
      eventDate: '2024-09-10',
      eventType: 'Explosions/Remote violence',
      actor1: 'BLF: Baloch Liberation Front',
      latitude: tlat,
      longitude: tlon,
      fatalities: { low: 3, best: 3, high: 3 },
    });
    before(async () => {
      t = await freshStore(kind);
      const writer = await t.store.beginImport({ file: 'fixture', sha256: 'x', format: 'test' });
      await writer.add([
        acled(1, '2023-05-02', 20),
        acled(2, '2024-02-11', 15),
        acled(3, '2024-06-30', 18),
        report,
      ]);
      await writer.finish({ rowsRead: 4, rowsRejected: 0 });
    });
    after(async () => t?.cleanup());

    it('ends at the latest report, news text included, and says so', async () => {
      const result = await exposure(t.store, { geometry: POINT, radiusKm: RADIUS_KM, filter: {} });
      assert.equal(result.coverage.last, '2024-06-30', 'the data sets still end in June');
      assert.equal(result.coverage.lastReport, '2024-09-10');
      assert.deepEqual(
        { from: result.recent?.from, to: result.recent?.to, endsAt: result.recent?.endsAt },
        { from: windowStart('2024-09-10', 12), to: '2024-09-10', endsAt: 'latest report' },
      );
      assert.match(
        String(result.recent?.why),
        /latest report \(2024-09-10, news text\); the data sets end 2024-06-30/,
      );
      assert.equal(
        result.nearestRecent[0]?.id,
        'text:wire:0',
        'the newest report is the nearest recent event',
      );
      assert.equal(result.trend.recentEvents, 3);
      assert.equal(result.events, 4);
    });

    it('keeps to the day asked for, and to the filter’s last day', async () => {
      const asked = await exposure(t.store, {
        geometry: POINT,
        radiusKm: RADIUS_KM,
        filter: {},
        asOf: '2024-06-30',
      });
      assert.equal(asked.recent?.endsAt, 'as_of');
      assert.equal(asked.recent?.to, '2024-06-30');
      assert.ok(
        !asked.nearestRecent.some((e) => e.id === 'text:wire:0'),
        'a report after the day is not recent',
      );
      const filtered = await exposure(t.store, {
        geometry: POINT,
        radiusKm: RADIUS_KM,
        filter: { to: '2024-03-31' },
      });
      assert.equal(filtered.recent?.endsAt, 'filter');
      assert.equal(filtered.recent?.to, '2024-03-31');
      const datasets = await exposure(t.store, {
        geometry: POINT,
        radiusKm: RADIUS_KM,
        filter: { sources: ['acled'] },
      });
      assert.equal(datasets.recent?.endsAt, 'data end');
      assert.equal(datasets.recent?.to, '2024-06-30');
    });
  });
}

for (const kind of STORE_KINDS) {
  describe(`exposure and events placed only at an area's centre (${kind})`, () => {
    let t: TestStore;
    const [lon, lat] = POINT.coordinates as [number, number];
    const at = (id: string, km: number, geoPrecision: number | null) => {
      const [elat, elon] = destination(lat, lon, 90, km);
      return blankEvent({
        id: `gtd:${id}`,
        source: 'gtd',
        sourceId: id,
        eventDate: '2024-05-01',
        eventType: 'Bombing/Explosion',
        latitude: elat,
        longitude: elon,
        geoPrecision,
        fatalities: { low: 1, best: 1, high: 1 },
      });
    };
    before(async () => {
      t = await freshStore(kind);
      const writer = await t.store.beginImport({ file: 'fixture', sha256: 'x', format: 'test' });
      // a province's centre 2 km away, a town 15 km away, an event of unknown precision 20 km away
      await writer.add([at('centre', 2, 4), at('town', 15, 1), at('unknown', 20, null)]);
      await writer.finish({ rowsRead: 3, rowsRejected: 0 });
    });
    after(async () => t?.cleanup());

    it('counts them, lists them with their precision, and measures proximity by the nearest placed finer', async () => {
      // from the sums by position, and from the events
      for (const fromEvents of [false, true]) {
        const result = await exposure(t.store, {
          geometry: POINT,
          radiusKm: RADIUS_KM,
          filter: {},
          fromEvents,
        });
        assert.equal(result.events, 3);
        assert.deepEqual(
          result.nearestRecent.map((e) => [e.id, e.geoPrecision]),
          [
            ['gtd:centre', 4],
            ['gtd:town', 1],
            ['gtd:unknown', null],
          ],
        );
        const proximity = result.risk.parts.find((p) => p.name === 'proximity');
        assert.ok(Math.abs(Number(proximity?.measured) - 15) < 0.2, String(proximity?.measured));
      }
    });
  });
}
