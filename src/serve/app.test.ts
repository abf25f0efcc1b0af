import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadAnalysisFixture } from '../../test/support/analysis-fixture.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { resolveFilter } from '../analyse/filter.ts';
import { spread } from '../analyse/spread.ts';
import { trend } from '../analyse/trend.ts';
import { blankEvent } from '../schema/index.ts';
import { type RunningServer, startServer } from './server.ts';

const TOKEN = 'test-token-123';

for (const kind of STORE_KINDS) {
  describe(`HTTP API: ${kind}`, () => {
    let t: TestStore;
    let server: RunningServer;
    let readOnly: RunningServer;
    const get = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${server.url}${path}`, init);
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: leave as text for the assertion to show
      }
      return {
        status: response.status,
        body: body as Record<string, unknown>,
        type: response.headers.get('content-type'),
      };
    };

    before(async () => {
      t = await freshStore(kind);
      await loadAnalysisFixture(t.store);
      server = await startServer(t.store, { port: 0, writeToken: TOKEN });
      readOnly = await startServer(t.store, { port: 0 });
    });
    after(async () => {
      await server?.close();
      await readOnly?.close();
      await t?.cleanup();
    });

    it('meta lists what the filter controls need', async () => {
      const { status, body } = await get('/api/meta');
      assert.equal(status, 200);
      const count = await t.store.query<{ n: number }>('SELECT COUNT(*) AS n FROM events');
      assert.equal(body.events, Number(count[0]?.n));
      assert.equal(body.firstDate, '2021-01-01');
      assert.ok((body.admin2 as { name: string }[]).some((d) => d.name === 'Karachi'));
      assert.ok((body.groups as { name: string }[]).some((g) => g.name === 'Baloch separatist groups'));
      // like a site's createdAt: ISO 8601 UTC (it was `2026-11-27 03:42:16.354`, no zone)
      const newest = await t.store.query<{ at: string }>(
        'SELECT CAST(MAX(updated_at) AS TEXT) AS at FROM events',
      );
      assert.match(String(body.lastUpdated), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.equal(body.lastUpdated, new Date(`${String(newest[0]?.at).replace(' ', 'T')}Z`).toISOString());
    });

    it('a known path asked with the wrong method is a 405 with Allow, not a 404', async () => {
      for (const [method, path, allow] of [
        ['DELETE', '/api/meta', 'GET, HEAD'],
        ['POST', '/api/events', 'GET, HEAD'],
        ['PUT', '/api/sites', 'GET, HEAD, POST'],
        ['PATCH', '/api/sites/quetta-line', 'DELETE'],
        ['PUT', '/api/check', 'GET, HEAD, POST'],
        ['POST', '/openapi.json', 'GET, HEAD'],
      ] as const) {
        const response = await fetch(`${server.url}${path}`, { method });
        const body = (await response.json()) as { error: string };
        assert.equal(response.status, 405, `${method} ${path}`);
        assert.equal(response.headers.get('allow'), allow, `${method} ${path}`);
        assert.match(body.error, new RegExp(`${method} is not allowed on ${path}`));
      }
      const unknown = await fetch(`${server.url}/api/nowhere`, { method: 'DELETE' });
      assert.equal(unknown.status, 404, 'an unknown path stays a 404');
      assert.equal(unknown.headers.get('allow'), null);
      const head = await fetch(`${server.url}/api/health`, { method: 'HEAD' });
      assert.equal(head.status, 200, 'HEAD is answered wherever GET is');
    });

    it('events: filters, cursor paging without overlap, GeoJSON, one by id', async () => {
      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const page: { status: number; body: Record<string, unknown> } = await get(
          `/api/events?admin2=Kech&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        );
        assert.equal(page.status, 200);
        for (const e of page.body.events as { id: string; admin2: string }[]) {
          assert.equal(e.admin2, 'Kech');
          assert.ok(!seen.has(e.id));
          seen.add(e.id);
        }
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      assert.equal(seen.size, await t.store.countEvents({ admin2: ['Kech'] }));
      const geo = await get('/api/events?format=geojson&limit=3&type=Battles');
      assert.equal(geo.body.type, 'FeatureCollection');
      assert.match(geo.type ?? '', /geo\+json/);
      const feature = (
        geo.body.features as { geometry: { coordinates: number[] }; properties: { eventType: string } }[]
      )[0];
      assert.equal(feature?.properties.eventType, 'Battles');
      assert.equal(feature?.geometry.coordinates.length, 2);
      const one = await get('/api/events/fx%3Akarachi-1');
      assert.equal((one.body as { admin1: string }).admin1, 'Sindh');
      assert.equal((await get('/api/events/nope')).status, 404);
      const since = await get('/api/events?updated_since=2999-01-01');
      assert.deepEqual(since.body.events, []);
    });

    it('trend and spread over HTTP give the same answers as the analysis functions', async () => {
      const http = await get('/api/trend?by=admin2&period=year&group=Baloch%20separatist%20groups');
      assert.equal(http.status, 200);
      const { filter, groups } = await resolveFilter(t.store, { groups: ['Baloch separatist groups'] });
      assert.deepEqual(
        http.body,
        JSON.parse(JSON.stringify(await trend(t.store, { by: 'admin2', period: 'year', filter }))),
      );
      const s = await get(
        '/api/spread?group=Baloch%20separatist%20groups&from=2024-01-01&to=2024-06-30&baseline_months=24',
      );
      const direct = await spread(t.store, {
        filter: { ...filter, from: '2024-01-01', to: '2024-06-30' },
        baselineMonths: 24,
        home: { admin1: groups[0]?.homeAdmin1 ?? [], basis: 'group' },
      });
      assert.deepEqual(s.body, JSON.parse(JSON.stringify(direct)));
      assert.equal((s.body.outsideHome as { events: number }).events, 1);
    });

    it('network, actors, stats, districts and check answer', async () => {
      const net = await get('/api/network?limit=10');
      assert.ok((net.body.edges as unknown[]).length > 0);
      const actors = await get('/api/actors?search=taliban');
      assert.deepEqual(
        (actors.body.actors as { id: string }[]).map((a) => a.id),
        ['ttp'],
      );
      const stats = await get('/api/stats?by=admin1');
      const sindh = (stats.body.rows as { keys: { admin1: string }; events: number }[]).find(
        (r) => r.keys.admin1 === 'Sindh',
      );
      assert.equal(sindh?.events, 1);
      const districts = await get('/api/districts?group=Baloch%20separatist%20groups');
      const features = districts.body.features as {
        properties: { name: string; events: number };
        geometry: unknown;
      }[];
      assert.ok(features.length > 100, 'all district polygons');
      const quetta = await t.store.countEvents({
        ...(await resolveFilter(t.store, { groups: ['Baloch separatist groups'] })).filter,
        admin2: ['Quetta'],
      });
      assert.equal(features.find((f) => f.properties.name === 'Quetta')?.properties.events, quetta);
      const check = await get(
        `/api/check?claim=${encodeURIComponent('attacks by Baloch groups rose 119% between 2023 and 2024')}`,
      );
      assert.equal(check.status, 200);
      assert.ok(['consistent', 'inconsistent', 'not enough data'].includes(check.body.verdict as string));
      const posted = await get('/api/check', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metric: 'events', actors: ['TTP'], from: '2022', to: '2023', changePct: 40 }),
      });
      assert.equal(posted.status, 200);
      assert.equal((posted.body.periods as { value: number }[])[0]?.value, 5);
    });

    it('answers a ranking claim, as a sentence and as a structured claim, in the documented shape', async () => {
      const [row] = await t.store.query<{ leader: string; v: number }>(
        `SELECT COALESCE(actor1_id, actor1) AS leader, SUM(COALESCE(fatalities_best, 0)) AS v FROM events
         WHERE event_date >= CAST($1 AS DATE) AND event_date <= CAST($2 AS DATE)
         GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
        ['2024-01-01', '2024-12-31'],
      );
      const sentence = await get(
        `/api/check?claim=${encodeURIComponent('TTP was the deadliest group in Pakistan in 2024')}`,
      );
      assert.equal(sentence.status, 200);
      assert.equal(sentence.body.kind, 'ranking');
      const ranking = sentence.body.ranking as {
        rank: number | null;
        top: { actor: string; value: number }[];
      };
      assert.equal(ranking.top[0]?.value, Number(row?.v));
      assert.equal(sentence.body.verdict, row?.leader === 'ttp' ? 'consistent' : 'inconsistent');
      const posted = await get('/api/check', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'ranking',
          metric: 'fatalities',
          actors: ['TTP'],
          from: '2024',
          to: '2024',
          changePct: null,
        }),
      });
      assert.equal(posted.status, 200);
      assert.deepEqual(posted.body.ranking, sentence.body.ranking);
      // A change claim keeps its shape, now with its kind.
      const change = await get(
        `/api/check?claim=${encodeURIComponent('attacks by Baloch groups rose 119% between 2023 and 2024')}`,
      );
      assert.equal(change.body.kind, 'change');
      assert.equal((change.body.periods as unknown[]).length, 2);
      assert.equal(change.body.ranking, undefined);
      const openapi = await get('/openapi.json');
      const schema = JSON.stringify(
        (openapi.body.components as { schemas: Record<string, unknown> }).schemas.ClaimCheck,
      );
      assert.match(schema, /"ranking"/);
      assert.match(schema, /"leader"/);
    });

    it('a misspelt actor is named with the nearest spelling, beside an unchanged answer', async () => {
      const events = await get('/api/events?actor=Baloch%20Liberaton%20Army&limit=1');
      assert.equal(events.status, 200);
      assert.deepEqual(events.body.events, []);
      assert.deepEqual(events.body.warnings, [
        {
          path: 'actor',
          name: 'Baloch Liberaton Army',
          suggestion: 'Baloch Liberation Army',
          message:
            '"Baloch Liberaton Army" matches no actor in the store (did you mean "Baloch Liberation Army"?); GET /api/actors lists them',
        },
      ]);
      // questions registered after the events routes carry it too; a GeoJSON page as a foreign member
      const trend = await get('/api/trend?actor=Baloch%20Liberaton%20Army&actor=BLA&by=actor');
      assert.deepEqual(
        (trend.body.warnings as { name: string }[]).map((w) => w.name),
        ['Baloch Liberaton Army'],
      );
      const geo = await get('/api/events?actor=Baloch%20Liberaton%20Army&format=geojson');
      assert.equal((geo.body.warnings as unknown[]).length, 1);
      // a known actor: no warnings field at all
      const known = await get('/api/events?actor=BLA&limit=1');
      assert.equal(known.body.warnings, undefined);
    });

    it('sites: writing needs the token; exposure by site and by point', async () => {
      const site = {
        name: 'Quetta line',
        kind: 'rail',
        geometry: {
          type: 'LineString',
          coordinates: [
            [66.99, 30.18],
            [67.3, 31.0],
          ],
        },
      };
      const body = JSON.stringify(site);
      const headers = { 'content-type': 'application/json' };
      const ro = await fetch(`${readOnly.url}/api/sites`, { method: 'POST', headers, body });
      assert.equal(ro.status, 403);
      assert.equal((await get('/api/sites', { method: 'POST', headers, body })).status, 401);
      assert.equal(
        (
          await get('/api/sites', {
            method: 'POST',
            headers: { ...headers, authorization: 'Bearer wrong' },
            body,
          })
        ).status,
        401,
      );
      const ok = await get('/api/sites', {
        method: 'POST',
        headers: { ...headers, authorization: `Bearer ${TOKEN}` },
        body,
      });
      assert.equal(ok.status, 201);
      assert.equal(ok.body.id, 'quetta-line');
      const sites = await get('/api/sites');
      assert.equal((sites.body.sites as unknown[]).length, 1);
      // the same instant, written the same way, whether read back or just written
      const [listed] = sites.body.sites as { createdAt: string }[];
      assert.equal(listed?.createdAt, ok.body.createdAt);
      assert.match(String(ok.body.createdAt), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      const exposure = await get('/api/exposure?site=quetta-line&radius_km=30');
      assert.equal(exposure.body.events, await t.store.countEvents({ admin2: ['Quetta'] }));
      const point = await get('/api/exposure?lat=24.86&lon=67.01&radius_km=5');
      assert.equal(point.body.events, 1);
      assert.equal((await get('/api/exposure?site=nowhere')).status, 404);
      assert.equal((await get('/api/sites/quetta-line', { method: 'DELETE' })).status, 401);
      assert.equal(
        (
          await get('/api/sites/quetta-line', {
            method: 'DELETE',
            headers: { authorization: `Bearer ${TOKEN}` },
          })
        ).status,
        200,
      );
    });

    it('hostile and malformed requests get 4xx JSON naming the problem, and change nothing', async () => {
      const before = await t.store.countEvents({});
      const cases: [string, number, RegExp?][] = [
        [`/api/events?admin2=${encodeURIComponent("Kech' OR '1'='1")}`, 200],
        [`/api/events?actor=${encodeURIComponent("x'); DROP TABLE events; --")}`, 200],
        [`/api/trend?by=${encodeURIComponent('actor; DROP TABLE events')}`, 400, /by/],
        ['/api/events?from=2024-02-30', 400, /from/],
        ['/api/events?from=yesterday', 400, /from/],
        ['/api/events?from=2024-05-01&to=2024-01-01', 400, /from/],
        ['/api/events?limit=100000', 400, /limit/],
        ['/api/events?limit=-1', 400, /limit/],
        ['/api/events?bogus=1', 400, /bogus/],
        ['/api/events?cursor=not-a-cursor', 400, /cursor/],
        ['/api/events?bbox=1,2,3', 400, /bbox/],
        // inside out or off the globe: these answered 200 with no events
        ['/api/events?bbox=70,30,60,20', 400, /south 30 is north of north 20/],
        ['/api/events?bbox=70,20,60,30', 400, /west 70 is east of east 60/],
        ['/api/stats?by=year&bbox=60,20,700,30', 400, /longitudes run from -180 to 180/],
        ['/api/events?updated_since=soon', 400, /updated_since/],
        ['/api/stats?by=admin1,password', 400, /password/],
        ['/api/trend?group=Nobody', 400, /group/],
        ['/api/trend?period=decade', 400, /period/],
        ['/api/spread?baseline_months=9999', 400, /baseline_months/],
        ['/api/exposure', 400, /site/],
        ['/api/exposure?lat=91&lon=0', 400, /lat/],
        ['/api/check?claim=nothing%20to%20see', 400, /claim/],
        ['/api/meta?x=1', 400, /x/],
        ['/api/nowhere', 404],
        [`/api/events?admin2=${'x'.repeat(5000)}`, 400, /admin2/],
      ];
      for (const [path, status, detail] of cases) {
        const r = await get(path);
        assert.equal(r.status, status, `${path} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        if (status >= 400) {
          assert.equal(typeof r.body.error, 'string', path);
          if (detail) assert.match(JSON.stringify(r.body), detail, path);
        }
      }
      // one message per mistake: "yesterday" was also told it is "not a calendar date"
      const word = await get('/api/events?from=yesterday');
      assert.deepEqual(word.body.details, [{ path: 'from', message: 'expected a date as YYYY-MM-DD' }]);
      const feb30 = await get('/api/trend?to=2024-02-30');
      assert.deepEqual(feb30.body.details, [{ path: 'to', message: 'not a calendar date' }]);
      const wide = await get('/api/trend?period=month&from=0001-01-01&to=9999-12-31');
      assert.equal(wide.status, 200);
      assert.ok((wide.body.periods as string[]).length <= 48, 'periods stay within the data');
      const auth = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
      const huge = await get('/api/sites', {
        method: 'POST',
        headers: { ...auth, connection: 'close' },
        body: 'x'.repeat(2_000_000),
      });
      assert.equal(huge.status, 413);
      const broken = await get('/api/sites', { method: 'POST', headers: auth, body: '{"name": ' });
      assert.equal(broken.status, 400);
      const badGeometry = await get('/api/sites', {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ name: 'x', geometry: { type: 'Point', coordinates: [500, 0] } }),
      });
      assert.equal(badGeometry.status, 400);
      assert.match(JSON.stringify(badGeometry.body.details), /geometry/);
      const extra = await get('/api/check', {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ metric: 'events', from: '2023', to: '2024', changePct: 1, sql: 'x' }),
      });
      assert.equal(extra.status, 400);
      // a month that does not exist reached the database (500 "date/time field value out of range")
      for (const [from, to] of [
        ['2023-13', '2024'],
        ['2023-00', '2024'],
        ['2023', '2024-99'],
      ]) {
        const badMonth = await get('/api/check', {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ metric: 'attacks', actors: ['BLA'], from, to, changePct: 10 }),
        });
        assert.equal(badMonth.status, 400, `${from} … ${to}: ${JSON.stringify(badMonth.body)}`);
        assert.match(JSON.stringify(badMonth.body.details), /month/);
      }
      // a JSON body sent as text/plain (curl -d's default is form data) was told "Unsupported Media Type"
      const plain = await get('/api/check', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: JSON.stringify({ metric: 'events', from: '2023', to: '2024', changePct: 1 }),
      });
      assert.equal(plain.status, 415);
      assert.match(String(plain.body.error), /Content-Type: application\/json/);
      // refused by Node before the app (over 16 KB of URL, or not HTTP at all): still JSON that says why
      const longUrl = await fetch(`${server.url}/api/events?actor=${'x'.repeat(20_000)}`);
      assert.equal(longUrl.status, 431);
      assert.match(String(((await longUrl.json()) as { error: string }).error), /exceed 16 KB/);
      const garbage = await new Promise<string>((done, fail) => {
        const socket = connect(Number(new URL(server.url).port), '127.0.0.1', () =>
          socket.write('NOT HTTP AT ALL\r\n\r\n'),
        );
        let reply = '';
        socket.on('data', (chunk) => {
          reply += chunk;
        });
        socket.on('end', () => done(reply));
        socket.on('error', fail);
      });
      assert.match(garbage, /^HTTP\/1\.1 400 /);
      assert.match(garbage, /\{"error":"the request is not valid HTTP"/);
      assert.equal(await t.store.countEvents({}), before);
    });

    it('caches answers until the data change, through the API or the store', async () => {
      const first = await fetch(`${server.url}/api/stats?by=source`);
      assert.equal(first.headers.get('x-cache'), null);
      const second = await fetch(`${server.url}/api/stats?by=source`);
      assert.equal(second.headers.get('x-cache'), 'hit');
      assert.deepEqual(await second.json(), await first.json());
      const sites = async () => ((await get('/api/sites')).body.sites as unknown[]).length;
      const before = await sites();
      const site = { name: 'Cache probe', kind: null, geometry: { type: 'Point', coordinates: [67, 30] } };
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
      assert.equal(
        (await get('/api/sites', { method: 'POST', headers, body: JSON.stringify(site) })).status,
        201,
      );
      assert.equal(await sites(), before + 1, 'a write through the API invalidates at once');
      // A write to the store behind the API's back shows once the version has been read again (about 1 s).
      const sources = async () =>
        ((await get('/api/stats?by=source')).body.rows as { keys: { source: string } }[]).map(
          (r) => r.keys.source,
        );
      assert.ok(!(await sources()).includes('late'));
      const writer = await t.store.beginImport({ file: 'late.csv', sha256: 'late', format: 'test' });
      await writer.add([
        blankEvent({ id: 'late:1', source: 'late', sourceId: '1', eventDate: '2024-01-01' }),
      ]);
      await writer.finish({ rowsRead: 1, rowsRejected: 0 });
      // DuckDB counts its writes: the very next request sees it.
      let seen = kind === 'duckdb' && (await sources()).includes('late');
      if (kind === 'duckdb') assert.ok(seen, 'on DuckDB a write around the API shows at once');
      for (let i = 0; i < 30 && !seen; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        seen = (await sources()).includes('late');
      }
      assert.ok(seen, 'the write shows once the version has been read again');
    });

    it('publishes an OpenAPI document covering every endpoint', async () => {
      const { body } = await get('/openapi.json');
      const paths = Object.keys(body.paths as object);
      for (const p of [
        '/api/events',
        '/api/events/{id}',
        '/api/stats',
        '/api/trend',
        '/api/spread',
        '/api/network',
        '/api/actors',
        '/api/sites',
        '/api/exposure',
        '/api/check',
        '/api/meta',
        '/api/districts',
      ]) {
        assert.ok(paths.includes(p), p);
      }
      // Relations name canonical ids and, from text, the names as written: both are documented.
      const network = (body.components as { schemas: Record<string, unknown> }).schemas.Network;
      assert.match(JSON.stringify(network), /"sourceName"/);
    });
  });
}
