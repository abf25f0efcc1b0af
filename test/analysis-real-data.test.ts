import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addMerger } from '../src/analyse/actors.ts';
import {
  checkClaim,
  claimFromExtraction,
  parseClaim,
  withActorsFromText,
} from '../src/analyse/claim-check.ts';
import { exposure } from '../src/analyse/exposure.ts';
import { resolveFilter } from '../src/analyse/filter.ts';
import { distanceToGeometryKm, type SiteGeometry } from '../src/analyse/geo.ts';
import { network } from '../src/analyse/network.ts';
import { spread } from '../src/analyse/spread.ts';
import { trend } from '../src/analyse/trend.ts';
import { extractDocument } from '../src/extract/extract-document.ts';
import { ingestPaths } from '../src/ingest/run-ingest.ts';
import { type RunningServer, startServer } from '../src/serve/server.ts';
import { SHARED_DATA, sharedFile } from './support/shared-data.ts';
import { freshStore, STORE_KINDS, type TestStore } from './support/stores.ts';

const ACLED = sharedFile('acled-balochistan-2020-2024h1.csv');
/** The analysis column (read in place, never copied into the repository). */
const COLUMN = join(SHARED_DATA, '../samples/analysis-balochistan-2025.txt');
const CLAIM = 'attacks by Baloch groups rose 119% between 2023 and 2024';
/** Dalbandin, Chagai district. */
const CHAGAI: SiteGeometry = { type: 'Point', coordinates: [64.41, 28.89] };
/** The Quetta–Sibi–Jacobabad railway, roughly, through the Bolan pass. */
const RAIL: SiteGeometry = {
  type: 'LineString',
  coordinates: [
    [67.01, 30.19],
    [67.3, 29.95],
    [67.6, 29.6],
    [67.88, 29.54],
    [68.44, 28.28],
  ],
};

for (const kind of STORE_KINDS) {
  describe(`analysis on the real ACLED file: ${kind}`, { skip: !ACLED }, () => {
    let t: TestStore;
    let server: RunningServer;
    const api = async (path: string) =>
      (await fetch(`${server.url}${path}`)).json() as Promise<Record<string, unknown>>;
    const sql = <T extends Record<string, string | number | boolean | null>>(
      text: string,
      params: (string | number)[] = [],
    ) => t.store.query<T>(text, params);

    before(async () => {
      t = await freshStore(kind);
      await ingestPaths(t.store, [ACLED as string]);
      server = await startServer(t.store, { port: 0 });
    });
    after(async () => {
      await server?.close();
      await t?.cleanup();
    });

    it('yearly trend by actor matches a hand-written SQL count, over HTTP too', async () => {
      const result = await trend(t.store, { by: 'actor', period: 'year', filter: {}, limit: 100 });
      const rows = await sql<{ k: string; y: number; n: number }>(
        `SELECT actor1_id AS k, CAST(EXTRACT(YEAR FROM event_date) AS INTEGER) AS y, COUNT(*) AS n FROM events GROUP BY 1, 2`,
      );
      assert.ok(rows.length > 20);
      for (const r of rows) {
        assert.equal(
          result.series.find((s) => s.key === r.k)?.points.find((p) => p.period === String(r.y))?.events,
          Number(r.n),
        );
      }
      const bla = result.series.find((s) => s.key === 'baloch-liberation-army');
      assert.equal(bla?.label, 'Baloch Liberation Army');
      assert.equal(bla?.points.at(-1)?.partial, true, 'ACLED data stop on 2024-06-30');
      assert.deepEqual(
        await api('/api/trend?by=actor&period=year&limit=100'),
        JSON.parse(JSON.stringify(result)),
      );
    });

    it('spread lists the districts first hit in 2024H1 against 2022–2023', async () => {
      const result = await spread(t.store, {
        filter: {},
        from: '2024-01-01',
        to: '2024-06-30',
        baselineMonths: 24,
      });
      const expected = await sql<{ admin2: string; first: string }>(
        `SELECT admin2, MIN(event_date) AS first FROM events
         WHERE event_date BETWEEN CAST('2024-01-01' AS DATE) AND CAST('2024-06-30' AS DATE)
           AND admin2 NOT IN (SELECT admin2 FROM events WHERE admin2 IS NOT NULL
                              AND event_date BETWEEN CAST('2022-01-01' AS DATE) AND CAST('2023-12-31' AS DATE))
         GROUP BY admin2 ORDER BY admin2`,
      );
      assert.deepEqual(
        result.newDistricts.map((d) => [d.admin2, d.firstEvent?.date]).sort(),
        expected.map((r) => [r.admin2, r.first]),
      );
      const http = await api('/api/spread?from=2024-01-01&to=2024-06-30&baseline_months=24');
      assert.deepEqual(http.newDistricts, JSON.parse(JSON.stringify(result.newDistricts)));
    });

    it('the network shows BLA, BLF and the others with their co-occurrences', async () => {
      const result = await network(t.store, { filter: {} });
      const ids = result.nodes.map((n) => n.id);
      for (const id of [
        'baloch-liberation-army',
        'baloch-liberation-front',
        'baloch-separatists',
        'baloch-raaji-aajoi-sangar',
      ]) {
        assert.ok(ids.includes(id), id);
      }
      const top = result.edges[0];
      assert.ok(top);
      const [a, b] = [top.source, top.target];
      const [row] = await sql<{ n: number }>(
        `SELECT COUNT(*) AS n FROM events WHERE (actor1_id = $1 AND actor2_id = $2) OR (actor1_id = $2 AND actor2_id = $1)`,
        [a, b],
      );
      assert.equal(top.events, Number(row?.n), `${a} – ${b}`);
    });

    it('exposure around a point in Chagai and along a rail line agrees with direct distance computations', async () => {
      const point = await exposure(t.store, { geometry: CHAGAI, radiusKm: 100, filter: {} });
      const [direct] = await sql<{ n: number; f: number }>(
        `SELECT COUNT(*) AS n, COALESCE(SUM(fatalities_best), 0) AS f FROM events WHERE 2 * 6371.0088 * ASIN(SQRT(
           POWER(SIN(RADIANS(latitude - $1) / 2), 2) +
           COS(RADIANS($1)) * COS(RADIANS(latitude)) * POWER(SIN(RADIANS(longitude - $2) / 2), 2))) <= 100`,
        [28.89, 64.41],
      );
      assert.ok(point.events > 0);
      assert.deepEqual([point.events, point.fatalities], [Number(direct?.n), Number(direct?.f)]);

      const line = await exposure(t.store, { geometry: RAIL, radiusKm: 20, filter: {} });
      const all = await sql<{ latitude: number; longitude: number }>(
        'SELECT latitude, longitude FROM events WHERE latitude IS NOT NULL',
      );
      const brute = all.filter((e) => distanceToGeometryKm(e.latitude, e.longitude, RAIL) <= 20).length;
      assert.ok(line.events > 0);
      assert.equal(line.events, brute);
      const http = await api('/api/exposure?lat=28.89&lon=64.41&radius_km=100');
      assert.equal(http.events, point.events);
    });

    it('checks the 119% claim with the figures the store supports and explains the gap', async () => {
      const claim = await parseClaim(t.store, CLAIM);
      const result = await checkClaim(t.store, claim);
      assert.equal(result.verdict, 'not enough data');
      assert.match(result.explanation, /50% of 2024/);
      // Every event in this file is by a Baloch group (asserted below), so the hand count needs no actor clause.
      const count = async (from: string, to: string) =>
        Number(
          (
            await sql<{ n: number }>(
              `SELECT COUNT(*) AS n FROM events
               WHERE event_type IN ('Battles', 'Explosions/Remote violence', 'Violence against civilians')
                 AND event_date BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)`,
              [from, to],
            )
          )[0]?.n,
        );
      assert.equal(result.periods[0].value, await count('2023-01-01', '2023-12-31'));
      assert.equal(result.likeForLike?.from.value, await count('2023-01-01', '2023-06-30'));
      assert.equal(result.likeForLike?.to.value, await count('2024-01-01', '2024-06-30'));
      const http = await api(`/api/check?claim=${encodeURIComponent(CLAIM)}`);
      assert.deepEqual(http, JSON.parse(JSON.stringify(result)));
      const { filter } = await resolveFilter(t.store, { groups: ['Baloch separatist groups'] });
      assert.equal(await t.store.countEvents(filter), 1341, 'every event in the file is by a Baloch group');
    });

    it('checks the claim as extraction finds it in the analysis column', {
      skip: !existsSync(COLUMN),
    }, async () => {
      const text = readFileSync(COLUMN, 'utf8');
      const extracted = extractDocument(text, { published: '2025-03-25' });
      const found = extracted.claims.find((c) => c.change_pct === 119 && c.from && c.to);
      assert.ok(found, 'extraction finds the 119% claim');
      const claim = await withActorsFromText(
        t.store,
        claimFromExtraction({
          ...found,
          from: found.from ?? '',
          to: found.to ?? '',
          evidence: text.slice(found.evidence.start, found.evidence.end),
        }),
      );
      const result = await checkClaim(t.store, claim);
      assert.ok(result.resolvedActors.groups.includes('Baloch separatist groups'));
      assert.equal(result.verdict, 'not enough data');
      const direct = await checkClaim(t.store, await parseClaim(t.store, CLAIM));
      assert.deepEqual(result.likeForLike?.to.value, direct.likeForLike?.to.value);
      assert.ok(
        result.caveats.some((c) => /PIPS/.test(c)),
        'names the claim source',
      );
    });

    // Last in this suite: it records a merger, which changes the other answers.
    it('a merger named by abbreviation moves the events that carry the canonical id', async () => {
      const recorded = await addMerger(t.store, {
        into: 'Balochistan National Army',
        members: ['BLA'],
        date: '2024-01-01',
      });
      assert.deepEqual(
        recorded.map((m) => [m.member, m.into]),
        [['baloch-liberation-army', 'balochistan-national-army']],
      );
      const [bla2024] = await t.store.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM events WHERE actor1_id = 'baloch-liberation-army'
         AND event_date >= CAST('2024-01-01' AS DATE)`,
      );
      assert.ok(Number(bla2024?.n) > 0);
      const result = await trend(t.store, { by: 'actor', period: 'year', filter: {} });
      const bla = result.series.find((s) => s.key === 'baloch-liberation-army');
      const merged = result.series.find((s) => s.key === 'balochistan-national-army');
      assert.equal(bla?.points.find((p) => p.period === '2024')?.events, 0);
      assert.ok((merged?.points.find((p) => p.period === '2024')?.events ?? 0) >= Number(bla2024?.n));
    });
  });
}
