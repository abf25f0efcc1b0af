import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAnalysisFixture } from '../../test/support/analysis-fixture.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { listActorGroups, saveActorGroup } from './actor-groups.ts';
import { actorCatalogue, addMerger } from './actors.ts';
import { checkClaim, parseClaim } from './claim-check.ts';
import { exposure } from './exposure.ts';
import { resolveFilter, UnknownGroupError } from './filter.ts';
import { distanceToGeometryKm, haversineKm, type SiteGeometry } from './geo.ts';
import { network } from './network.ts';
import { relationEdges, saveRelations } from './relations.ts';
import { addSite, findSite, listSites } from './sites.ts';
import { spread } from './spread.ts';
import { trend } from './trend.ts';

type Row = Record<string, string | number | boolean | null>;

for (const kind of STORE_KINDS) {
  describe(`analysis: ${kind}`, () => {
    let t: TestStore;
    const sql = <T extends Row = Row>(text: string, params: (string | number)[] = []) =>
      t.store.query<T>(text, params);

    before(async () => {
      t = await freshStore(kind);
      await loadAnalysisFixture(t.store);
    });
    after(async () => t?.cleanup());

    it('trend by actor per year matches a hand-written GROUP BY', async () => {
      const result = await trend(t.store, { by: 'actor', period: 'year', filter: {} });
      const rows = await sql<{ k: string; y: number; n: number; f: number }>(
        `SELECT COALESCE(actor1_id, actor1) AS k, CAST(EXTRACT(YEAR FROM event_date) AS INTEGER) AS y, COUNT(*) AS n,
                COALESCE(SUM(fatalities_best), 0) AS f FROM events GROUP BY 1, 2`,
      );
      assert.ok(rows.length > 0);
      for (const row of rows) {
        const point = result.series
          .find((s) => s.key === row.k)
          ?.points.find((p) => p.period === String(row.y));
        assert.equal(point?.events, Number(row.n), `${row.k} ${row.y}`);
        assert.equal(point?.fatalities, Number(row.f), `${row.k} ${row.y} fatalities`);
      }
      assert.deepEqual(result.periods, ['2021', '2022', '2023', '2024']);
    });

    it('trend by actor with an actor filter keeps the rows of that actor, not of its opponents', async () => {
      const [fought] = await sql<{ n: number }>(
        `SELECT COUNT(*) AS n FROM events WHERE actor2 = 'Military Forces of Pakistan' AND actor1 LIKE 'BLA:%'`,
      );
      assert.ok(Number(fought?.n) > 0, 'the military appears beside BLA in the fixture');
      const result = await trend(t.store, {
        by: 'actor',
        period: 'year',
        filter: { actors: ['BLA: Baloch Liberation Army'] },
      });
      assert.deepEqual(
        result.series.map((s) => s.label),
        ['BLA: Baloch Liberation Army'],
      );
      // The military, filtered by itself, appears only as actor2: no rows of its own.
      const military = await trend(t.store, {
        by: 'actor',
        period: 'year',
        filter: { actors: ['Military Forces of Pakistan'] },
      });
      assert.deepEqual(military.series, []);
    });

    it('trend by admin2 per quarter: changes against previous period and against the mean of the previous N', async () => {
      const result = await trend(t.store, {
        by: 'admin2',
        period: 'quarter',
        filter: {},
        baselinePeriods: 2,
      });
      const kech = result.series.find((s) => s.key === 'Kech');
      assert.ok(kech);
      const quarterly = await sql<{ q: number; n: number }>(
        `SELECT CAST(EXTRACT(QUARTER FROM event_date) AS INTEGER) AS q, COUNT(*) AS n FROM events
         WHERE admin2 = 'Kech' AND EXTRACT(YEAR FROM event_date) = 2023 GROUP BY 1`,
      );
      const count = (q: number) => Number(quarterly.find((r) => r.q === q)?.n ?? 0);
      const q3 = kech.points.find((p) => p.period === '2023-Q3');
      assert.equal(q3?.events, count(3));
      assert.equal(q3?.baselineMean, Math.round(((count(1) + count(2)) / 2) * 10) / 10);
      const expectedPrev = count(2) === 0 ? null : Math.round(((count(3) - count(2)) / count(2)) * 1000) / 10;
      assert.equal(q3?.changePrevPct, expectedPrev);
    });

    it('a period the data only partly cover is flagged and banded on its pace', async () => {
      const result = await trend(t.store, { by: 'admin1', period: 'year', filter: { to: '2024-06-30' } });
      const last = result.series[0]?.points.at(-1);
      assert.equal(last?.period, '2024');
      assert.equal(result.coverage.last, '2024-12-24');
      // The filter ends the period early but the data do not: the year is complete as far as the data go.
      const full = await trend(t.store, { by: 'admin1', period: 'month', filter: {} });
      const december = full.series[0]?.points.at(-1);
      assert.equal(december?.period, '2024-12');
      assert.equal(december?.partial, true);
      assert.ok((december?.pace ?? 0) >= (december?.events ?? 0));
    });

    it('actor groups expand to their members whether or not events carry canonical ids', async () => {
      const { filter } = await resolveFilter(t.store, { groups: ['Baloch separatist groups'] });
      const expected = await sql<{ n: number }>(
        "SELECT COUNT(*) AS n FROM events WHERE actor1 LIKE 'BLA:%' OR actor1 LIKE 'BLF:%'",
      );
      assert.equal(await t.store.countEvents(filter), Number(expected[0]?.n));
      await assert.rejects(resolveFilter(t.store, { groups: ['no such group'] }), UnknownGroupError);
      await saveActorGroup(t.store, {
        name: 'Taliban',
        description: null,
        homeAdmin1: ['Khyber Pakhtunkhwa'],
        aliases: [],
        members: ['TTP'],
      });
      const groups = await listActorGroups(t.store);
      assert.ok(groups.some((g) => g.name === 'Taliban' && !g.builtin));
      const ttp = await resolveFilter(t.store, { groups: ['taliban'] });
      const ttpCount = await sql<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE actor1_id = 'ttp'");
      assert.equal(await t.store.countEvents(ttp.filter), Number(ttpCount[0]?.n));
    });

    it('spread finds districts first hit in the window, the first event, diffusion, and events outside home', async () => {
      const { filter } = await resolveFilter(t.store, { groups: ['Baloch separatist groups'] });
      const result = await spread(t.store, {
        filter,
        from: '2024-01-01',
        to: '2024-06-30',
        baselineMonths: 24,
        home: { admin1: ['Balochistan'], basis: 'group' },
      });
      assert.deepEqual(
        result.newDistricts.map((d) => [d.admin2, d.firstEvent?.id]),
        [
          ['Chagai', 'fx:chagai-1'],
          ['Karachi', 'fx:karachi-1'],
        ],
      );
      assert.deepEqual(
        result.newProvinces.map((p) => p.admin1),
        ['Sindh'],
      );
      const inWindow = await sql<{ n: number }>(
        `SELECT COUNT(DISTINCT admin2) AS n FROM events WHERE (actor1 LIKE 'BLA:%' OR actor1 LIKE 'BLF:%')
         AND event_date BETWEEN CAST('2024-01-01' AS DATE) AND CAST('2024-06-30' AS DATE)`,
      );
      assert.equal(result.districtsInWindow, Number(inWindow[0]?.n));
      const known = await sql<{ n: number }>('SELECT COUNT(DISTINCT admin2) AS n FROM events');
      assert.equal(
        result.diffusionIndex,
        Math.round((Number(inWindow[0]?.n) / Number(known[0]?.n)) * 1000) / 1000,
      );
      assert.equal(result.outsideHome.events, 1);
      assert.equal(result.outsideHome.latest[0]?.admin2, 'Karachi');
    });

    it('spread: events outside a given home (read beside the counts) equal those outside an inferred one', async () => {
      const { filter } = await resolveFilter(t.store, { groups: ['Baloch separatist groups'] });
      const window = { filter, from: '2023-01-01', to: '2024-06-30', baselineMonths: 12 };
      const inferred = await spread(t.store, window);
      assert.equal(inferred.home.basis, 'busiest province');
      const given = await spread(t.store, {
        ...window,
        home: { admin1: inferred.home.admin1, basis: 'given' },
      });
      assert.deepEqual(given.outsideHome, inferred.outsideHome);
      assert.ok(given.outsideHome.latest.length > 0);
      const latest = await sql<{ id: string }>(
        `SELECT id FROM events WHERE (actor1 LIKE 'BLA:%' OR actor1 LIKE 'BLF:%' OR actor2 LIKE 'BLA:%' OR actor2 LIKE 'BLF:%')
         AND event_date BETWEEN CAST('2023-01-01' AS DATE) AND CAST('2024-06-30' AS DATE)
         AND admin1 IS NOT NULL AND admin1 NOT IN ('${inferred.home.admin1[0]}')
         ORDER BY event_date DESC, id DESC LIMIT 20`,
      );
      assert.deepEqual(
        given.outsideHome.latest.map((e) => e.id),
        latest.map((r) => r.id),
      );
    });

    it('network: nodes and dated co-occurrence edges match the events', async () => {
      const result = await network(t.store, { filter: {} });
      const pairs = await sql<{ n: number; first: string }>(
        `SELECT COUNT(*) AS n, MIN(event_date) AS first FROM events
         WHERE actor1 = 'BLF: Baloch Liberation Front' AND actor2 = 'Military Forces of Pakistan'`,
      );
      const edge = result.edges.find(
        (e) => e.source === 'BLF: Baloch Liberation Front' && e.target === 'Military Forces of Pakistan',
      );
      assert.equal(edge?.kind, 'opposed');
      assert.equal(edge?.events, Number(pairs[0]?.n));
      assert.equal(edge?.first, pairs[0]?.first);
      assert.ok(edge?.evidence.length);
      // associated actors, split on ';', are on the same side as actor1: an alliance
      const allied = result.edges.find((e) => e.kind === 'allied' && [e.source, e.target].includes('ttp'));
      const assoc = await sql<{ n: number }>(
        "SELECT COUNT(*) AS n FROM events WHERE assoc_actor1 LIKE '%TTP: Tehreek-i-Taliban Pakistan%'",
      );
      assert.ok(Number(assoc[0]?.n) > 0);
      assert.ok(allied && allied.events > 0 && allied.events <= Number(assoc[0]?.n));
      const ttp = result.nodes.find((n) => n.id === 'ttp');
      assert.equal(ttp?.label, 'Tehreek-i-Taliban Pakistan');
    });

    it('dated mergers move later events to the merged actor and keep earlier ones with the member', async () => {
      await addMerger(t.store, {
        into: 'Baloch Front',
        members: ['BLF: Baloch Liberation Front'],
        date: '2024-01-01',
      });
      const result = await trend(t.store, { by: 'actor', period: 'year', filter: {} });
      const blf = result.series.find((s) => s.key === 'BLF: Baloch Liberation Front');
      const merged = result.series.find((s) => s.key === 'Baloch Front');
      const before2024 = await sql<{ n: number }>(
        "SELECT COUNT(*) AS n FROM events WHERE actor1 = 'BLF: Baloch Liberation Front' AND event_date < CAST('2024-01-01' AS DATE)",
      );
      const from2024 = await sql<{ n: number }>(
        "SELECT COUNT(*) AS n FROM events WHERE actor1 = 'BLF: Baloch Liberation Front' AND event_date >= CAST('2024-01-01' AS DATE)",
      );
      assert.equal(blf?.events, Number(before2024[0]?.n));
      assert.equal(blf?.points.find((p) => p.period === '2024')?.events, 0);
      assert.equal(merged?.events, Number(from2024[0]?.n));
      const catalogue = await actorCatalogue(t.store);
      assert.deepEqual(
        catalogue.mergers.map((m) => [m.member, m.into, m.date]),
        [['BLF: Baloch Liberation Front', 'Baloch Front', '2024-01-01']],
      );
      await saveRelations(
        t.store,
        relationEdges(
          [
            {
              kind: 'collaboration',
              actors: ['BLA', 'TTP'],
              new_name: null,
              date: '2025-03',
              evidence: { start: 0, end: 18 },
            },
          ],
          'BLA and TTP joined forces.',
          'column.txt',
        ),
      );
      const relations = (await network(t.store, { filter: {} })).relations;
      assert.ok(relations.some((r) => r.kind === 'merger' && r.target === 'Baloch Front'));
      assert.ok(
        relations.some(
          (r) => r.kind === 'collaboration' && r.date === '2025-03-01' && r.evidence === 'BLA and TTP joined',
        ),
      );
    });

    it('exposure around a point and along a line agrees with a direct distance query', async () => {
      const lat = 30.2;
      const lon = 67.0;
      const result = await exposure(t.store, {
        geometry: { type: 'Point', coordinates: [lon, lat] },
        radiusKm: 25,
        filter: {},
      });
      const all = await sql<{
        latitude: number;
        longitude: number;
        event_date: string;
        fatalities_best: number | null;
      }>('SELECT latitude, longitude, event_date, fatalities_best FROM events WHERE latitude IS NOT NULL');
      const near = all.filter((e) => haversineKm(lat, lon, e.latitude, e.longitude) <= 25);
      // the same figure from SQL trigonometry, as an independent check of the JS distance
      const direct = await sql<{ n: number }>(
        `SELECT COUNT(*) AS n FROM events WHERE 2 * 6371.0088 * ASIN(SQRT(
           POWER(SIN(RADIANS(latitude - $1) / 2), 2) +
           COS(RADIANS($1)) * COS(RADIANS(latitude)) * POWER(SIN(RADIANS(longitude - $2) / 2), 2))) <= 25`,
        [lat, lon],
      );
      assert.ok(near.length > 0);
      assert.equal(result.events, near.length);
      assert.equal(result.events, Number(direct[0]?.n));
      assert.equal(
        result.fatalities,
        near.reduce((n, e) => n + Number(e.fatalities_best ?? 0), 0),
      );
      assert.equal(
        result.byYear.reduce((n, y) => n + y.events, 0),
        result.events,
      );
      assert.equal(result.risk.parts.length, 4);
      assert.equal(result.risk.score, Math.round(result.risk.parts.reduce((n, p) => n + p.points, 0)));

      // A line from Quetta south: events in Quetta (≈ on the line) count, Kech (far) does not.
      await addSite(t.store, {
        name: 'Test rail',
        kind: 'rail',
        geometry: {
          type: 'LineString',
          coordinates: [
            [66.99, 30.18],
            [67.2, 30.5],
            [67.3, 31.0],
          ],
        },
      });
      const site = await findSite(t.store, 'test rail');
      assert.equal(site?.geometry.type, 'LineString');
      assert.equal((await listSites(t.store)).length, 1);
      const line = await exposure(t.store, { geometry: site!.geometry, radiusKm: 30, filter: {} });
      const quetta = await sql<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE admin2 = 'Quetta'");
      assert.equal(line.events, Number(quetta[0]?.n));

      // An area: events inside count at distance 0, and those within the radius outside it too.
      const area: SiteGeometry = {
        type: 'Polygon',
        coordinates: [
          [
            [62.9, 25.9],
            [63.1, 25.9],
            [63.1, 26.1],
            [62.9, 26.1],
            [62.9, 25.9],
          ],
        ],
      };
      const polygon = await exposure(t.store, { geometry: area, radiusKm: 15, filter: {} });
      const expected = all.filter((e) => distanceToGeometryKm(e.latitude, e.longitude, area) <= 15).length;
      assert.ok(expected > 0);
      assert.equal(polygon.events, expected);
    });

    it('claim check: parses the claim, recomputes it, and says when the data do not cover the period', async () => {
      const claim = await parseClaim(t.store, 'attacks by Baloch groups rose 119% between 2023 and 2024');
      assert.deepEqual(
        [claim.metric, claim.actors, claim.from, claim.to, claim.changePct],
        ['attacks', ['Baloch separatist groups'], '2023', '2024', 119],
      );
      const result = await checkClaim(t.store, claim);
      const count = async (year: number) =>
        Number(
          (
            await sql<{ n: number }>(
              `SELECT COUNT(*) AS n FROM events WHERE (actor1 LIKE 'BLA:%' OR actor1 LIKE 'BLF:%')
               AND event_type IN ('Battles', 'Explosions/Remote violence', 'Violence against civilians')
               AND EXTRACT(YEAR FROM event_date) = $1`,
              [year],
            )
          )[0]?.n,
        );
      const [a, b] = [await count(2023), await count(2024)];
      assert.equal(result.periods[0].value, a);
      assert.equal(result.periods[1]?.value, b);
      assert.equal(result.computedChangePct, Math.round(((b - a) / a) * 1000) / 10);
      // The other definitions come out of the same summed-per-day statement: fatalities too.
      const fatalities = async (year: number) =>
        Number(
          (
            await sql<{ f: number }>(
              `SELECT COALESCE(SUM(fatalities_best), 0) AS f FROM events
               WHERE (actor1 LIKE 'BLA:%' OR actor1 LIKE 'BLF:%') AND EXTRACT(YEAR FROM event_date) = $1`,
              [year],
            )
          )[0]?.f,
        );
      const dead = result.alternatives.find((alt) => alt.definition.startsWith('fatalities'));
      assert.deepEqual([dead?.from, dead?.to], [await fatalities(2023), await fatalities(2024)]);
      assert.ok((dead?.from ?? 0) + (dead?.to ?? 0) > 0, 'the fixture has deaths in those years');
      // data run to 2024-12-24: within the quiet tail, so the year counts as covered
      assert.equal(result.periods[1].complete, true);
      const expected = Math.abs(result.computedChangePct! - 119) <= 23.8 ? 'consistent' : 'inconsistent';
      assert.equal(result.verdict, expected);

      const cut = await checkClaim(t.store, { ...claim, changePct: 119 }, { to: '2024-06-30' });
      assert.equal(
        cut.verdict,
        result.verdict,
        'a date filter on the question does not cut the data coverage',
      );

      const future = await checkClaim(t.store, { ...claim, from: '2024', to: '2025' });
      assert.equal(future.verdict, 'not enough data');
      assert.match(future.explanation, /cover 0% of 2025/);

      const falling = await parseClaim(t.store, 'BLA attacks fell 50 per cent in 2024 compared with 2023');
      assert.deepEqual([falling.from, falling.to, falling.changePct], ['2023', '2024', -50]);
      assert.ok(falling.actors.includes('BLA: Baloch Liberation Army'));
    });
  });
}
