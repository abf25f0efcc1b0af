/**
 * Query speed at a million events: each analysis question run repeatedly on DuckDB and PostgreSQL
 * (p50/p95 per question), then the HTTP API under autocannon (50 connections, loopback, bounded time).
 * Goals: p95 < 50 ms per question on DuckDB; API p95 < 100 ms with 0 errors.
 *
 *   npx tsx bench/query.ts [--events 1000000] [--runs 15] [--seconds 10] [--skip-pg] [--skip-api] [--uncached] [--keep] [--only network,exposure] [--date-order]
 *
 * `--uncached` also loads the API with its response cache off (slow to drain: requests queue on the store).
 * `--keep` leaves the DuckDB file in the temp folder and the PostgreSQL schema in place, and reuses them on the
 * next run (a store of another size is rebuilt).
 * `--only` times the questions whose names contain one of the given words.
 * `--date-order` writes the events in date order, as an import of a date-sorted export (ACLED's are) lays
 * them out, so that zone maps can skip row groups on date filters; the default scatters dates over every
 * row group (the pessimistic layout the goal is stated on).
 * Beside wall times, the DuckDB table gives this process's CPU time per question (DuckDB's threads
 * included): on a shared machine wall times are upper bounds, CPU time is the steadier comparison.
 *
 * The synthetic store (≈100 actors with a skewed activity, 150 districts in 8 provinces, 10 years) is
 * generated inside the database (`range()` on DuckDB, `generate_series` on PostgreSQL), not in JS.
 */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { saveActorGroup } from '../src/analyse/actor-groups.ts';
import { checkClaim, parseClaim } from '../src/analyse/claim-check.ts';
import { exposure } from '../src/analyse/exposure.ts';
import { resolveFilter } from '../src/analyse/filter.ts';
import type { SiteGeometry } from '../src/analyse/geo.ts';
import { network } from '../src/analyse/network.ts';
import { spread } from '../src/analyse/spread.ts';
import { trend } from '../src/analyse/trend.ts';
import { districtChoropleth } from '../src/serve/routes/districts.ts';
import { meta } from '../src/serve/routes/meta.ts';
import { startServer } from '../src/serve/server.ts';
import { rebuildActorPairMonths } from '../src/store/actor-pair-months.ts';
import { EVENT_COLUMN_NAMES } from '../src/store/columns.ts';
import type { Store } from '../src/store/contract.ts';
import { rebuildEventPlaces } from '../src/store/event-places.ts';
import { openStore } from '../src/store/open-store.ts';
import { rebuildPlaceMonths } from '../src/store/place-months.ts';
import { exitWithUsageIfAsked } from './usage.ts';

exitWithUsageIfAsked(import.meta.url);

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '15' },
    seconds: { type: 'string', default: '10' },
    'skip-pg': { type: 'boolean', default: false },
    'skip-api': { type: 'boolean', default: false },
    uncached: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    only: { type: 'string' },
    'date-order': { type: 'boolean', default: false },
  },
});
const EVENTS = Number(args.events);
const RUNS = Number(args.runs);
const SECONDS = Number(args.seconds);
const PG_URL = process.env.SITREP_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Its own schema per bench run with `SITREP_BENCH_PG_SCHEMA`, so that two sessions on one server never share one. */
const PG_SCHEMA = process.env.SITREP_BENCH_PG_SCHEMA ?? 'sitrep_bench_query';

/**
 * One SELECT producing every event column from a row number `i` (BIGINT): deterministic, skewed actors
 * (a few very active, a long tail), 150 districts with fixed centres, dates over 2015–2024.
 */
function syntheticSelect(series: string, dateOrder: boolean): string {
  const h = (salt: number, mod: number) => `((i * ${salt} + ${salt * 7}) % ${mod})`;
  const actor = `CAST(FLOOR(POWER(${h(2654435761, 1000003)} / 1000003.0, 2.5) * 100) AS INTEGER)`;
  const district = h(7919, 150);
  const columns: Record<string, string> = {
    id: `'syn:' || CAST(i AS TEXT)`,
    source: `'synthetic'`,
    source_id: `CAST(i AS TEXT)`,
    batch_id: 'NULL',
    raw: 'NULL',
    event_date: `CAST('2015-01-01' AS DATE) + CAST(${h(104729, 3653)} AS INTEGER)`,
    end_date: 'NULL',
    time_precision: `'day'`,
    event_type: `CASE ${h(31, 6)} WHEN 0 THEN 'Battles' WHEN 1 THEN 'Explosions/Remote violence' WHEN 2 THEN 'Violence against civilians' WHEN 3 THEN 'Protests' WHEN 4 THEN 'Riots' ELSE 'Strategic developments' END`,
    sub_event_type: `CASE ${h(31, 6)} WHEN 0 THEN 'Armed clash' WHEN 1 THEN 'Remote explosive/landmine/IED' WHEN 2 THEN 'Attack' WHEN 3 THEN 'Peaceful protest' WHEN 4 THEN 'Mob violence' ELSE 'Other' END`,
    attack_type: 'NULL',
    target_type: 'NULL',
    weapon_type: 'NULL',
    suicide: 'NULL',
    claimed: 'NULL',
    actor1: `'Armed Group ' || CAST(${actor} AS TEXT)`,
    actor2: `CASE WHEN ${h(13, 2)} = 0 THEN 'State Forces ' || CAST(${h(17, 5)} AS TEXT) ELSE NULL END`,
    assoc_actor1: `CASE WHEN ${h(19, 20)} = 0 THEN 'Armed Group ' || CAST(${h(23, 100)} AS TEXT) ELSE NULL END`,
    assoc_actor2: 'NULL',
    actor1_id: `'group-' || CAST(${actor} AS TEXT)`,
    actor2_id: `CASE WHEN ${h(13, 2)} = 0 THEN 'state-' || CAST(${h(17, 5)} AS TEXT) ELSE NULL END`,
    interaction: 'NULL',
    country: `'Pakistan'`,
    admin1: `'Province ' || CAST(${district} % 8 AS TEXT)`,
    admin2: `'District ' || CAST(${district} AS TEXT)`,
    admin3: 'NULL',
    location: `'Place ' || CAST(${h(37, 3000)} AS TEXT)`,
    latitude: `24.0 + (${district} % 15) * 0.8 + ${h(41, 100)} / 250.0`,
    longitude: `61.0 + FLOOR(${district} / 15) * 1.1 + ${h(43, 100)} / 250.0`,
    geo_precision: '1',
    fatalities_low: `${h(47, 7)}`,
    fatalities_best: `${h(47, 7)}`,
    fatalities_high: `${h(47, 7)} + 1`,
    injured_low: 'NULL',
    injured_best: 'NULL',
    injured_high: 'NULL',
    held_low: 'NULL',
    held_best: 'NULL',
    held_high: 'NULL',
    civilian_targeting: 'NULL',
    notes: 'NULL',
    source_refs: 'NULL',
    updated_at: `CAST('2025-01-01 00:00:00' AS TIMESTAMP)`,
  };
  const names = [...EVENT_COLUMN_NAMES, 'updated_at'];
  const select = `SELECT ${names.map((n) => `${columns[n]} AS ${n}`).join(', ')} FROM ${series}`;
  return dateOrder
    ? `INSERT INTO events (${names.join(', ')}) SELECT * FROM (${select}) x ORDER BY event_date DESC, id DESC`
    : `INSERT INTO events (${names.join(', ')}) ${select}`;
}

async function fill(store: Store): Promise<void> {
  const series =
    store.dialect === 'duckdb'
      ? `(SELECT CAST(range AS BIGINT) AS i FROM range(${EVENTS})) s`
      : `(SELECT CAST(g AS BIGINT) AS i FROM generate_series(0, ${EVENTS - 1}) g) s`;
  await store.query(syntheticSelect(series, args['date-order']));
  const actors = Array.from({ length: 100 }, (_, n) => ({
    id: `group-${n}`,
    name: `Armed Group ${n}`,
    kind: 'rebel group',
    aliases: [`AG${n}`],
  }));
  const stateForces = Array.from({ length: 5 }, (_, n) => ({
    id: `state-${n}`,
    name: `State Forces ${n}`,
    kind: 'state forces',
    aliases: [],
  }));
  await store.saveActors([...actors, ...stateForces]);
  await saveActorGroup(store, {
    name: 'Top groups',
    description: null,
    homeAdmin1: ['Province 0'],
    aliases: ['top armed groups'],
    members: Array.from({ length: 10 }, (_, n) => `group-${n}`),
  });
  // The synthetic's groups are never the other side of an event, so questions on "Top groups" read
  // actor1 alone (src/analyse/actor-side.ts); real groups are often side 2 (a military operation against
  // them). The state forces are side 2 of half the events: the questions on them show the full cost.
  await saveActorGroup(store, {
    name: 'State forces',
    description: null,
    homeAdmin1: ['Province 0'],
    aliases: [],
    members: Array.from({ length: 5 }, (_, n) => `state-${n}`),
  });
  // Written around the import path, so the import's upkeep of the monthly sums (network, trend, stats)
  // and of exposure's sums by position is done here.
  await rebuildActorPairMonths(store);
  await rebuildPlaceMonths(store);
  await rebuildEventPlaces(store);
  if (store.dialect === 'postgres') {
    // VACUUM marks the pages all-visible, as autovacuum does after a large import (PostgreSQL's default;
    // the test server runs with it off): reads from an index alone (the actor indexes of migration 640)
    // need it, and otherwise visit the table's pages as before.
    await store.query('VACUUM ANALYZE events');
    await store.query('ANALYZE event_places');
    await store.query('ANALYZE place_months');
    await store.query('ANALYZE actor_pair_months');
  }
}

const POINT: SiteGeometry = { type: 'Point', coordinates: [63.0, 27.0] };
const LINE: SiteGeometry = {
  type: 'LineString',
  coordinates: [
    [61.5, 25.0],
    [63.0, 27.0],
    [65.0, 28.5],
    [67.0, 30.2],
  ],
};

type Question = [name: string, run: (store: Store) => Promise<unknown>];

/** A group's trend by district and month over two years, and its spread in 2024H2 against 24 months. */
const trendByDistrictOf =
  (group: string): Question[1] =>
  async (s) =>
    trend(s, {
      by: 'admin2',
      period: 'month',
      filter: (await resolveFilter(s, { groups: [group], from: '2023-01-01', to: '2024-12-31' })).filter,
    });
const spreadOf =
  (group: string): Question[1] =>
  async (s) =>
    spread(s, {
      filter: (await resolveFilter(s, { groups: [group] })).filter,
      from: '2024-07-01',
      to: '2024-12-31',
      home: { admin1: ['Province 0'], basis: 'given' },
    });

const QUESTIONS: Question[] = [
  ['trend actor×year (all)', (s) => trend(s, { by: 'actor', period: 'year', filter: {} })],
  ['trend admin2×month (group, 2 y)', trendByDistrictOf('Top groups')],
  [
    'trend event_type×quarter (province)',
    (s) => trend(s, { by: 'event_type', period: 'quarter', filter: { admin1: ['Province 3'] } }),
  ],
  ['spread 6 m vs 24 m (group)', spreadOf('Top groups')],
  ['spread 6 m vs 24 m (group on side 2)', spreadOf('State forces')],
  ['trend admin2×month (group on side 2, 2 y)', trendByDistrictOf('State forces')],
  ['network (1 year)', (s) => network(s, { filter: { from: '2024-01-01', to: '2024-12-31' } })],
  ['network (all years)', (s) => network(s, { filter: {} })],
  ['exposure point 50 km', (s) => exposure(s, { geometry: POINT, radiusKm: 50, filter: {} })],
  ['exposure line 20 km', (s) => exposure(s, { geometry: LINE, radiusKm: 20, filter: {} })],
  [
    'check claim',
    async (s) =>
      checkClaim(s, await parseClaim(s, 'attacks by top armed groups rose 20% between 2022 and 2023')),
  ],
  ['events page (district)', (s) => s.events({ admin2: ['District 42'] }, { limit: 100 })],
  ['stats admin1×year', (s) => s.stats(['admin1', 'year'], {})],
  ['meta', (s) => meta(s)],
  ['districts choropleth', (s) => districtChoropleth(s, {})],
];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const ms = (n: number) => `${n.toFixed(1).padStart(7)} ms`;

const ONLY = args.only?.split(',').filter(Boolean);
const SELECTED = QUESTIONS.filter(([name]) => !ONLY || ONLY.some((word) => name.includes(word)));

async function timeQuestions(label: string, store: Store): Promise<void> {
  // PostgreSQL works in its own processes: this process's CPU time says nothing about it.
  const cpu = store.dialect === 'duckdb';
  process.stdout.write(`\n${label}: ${RUNS} runs per question after 2 warm-ups\n`);
  process.stdout.write(`${'question'.padEnd(42)}      p50         p95${cpu ? '  CPU p50' : ''}\n`);
  for (const [name, run] of SELECTED) {
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const start = performance.now();
      const startCpu = process.cpuUsage();
      await run(store);
      const used = process.cpuUsage(startCpu);
      if (i >= 2) {
        times.push(performance.now() - start);
        cpuTimes.push((used.user + used.system) / 1000);
      }
    }
    times.sort((a, b) => a - b);
    cpuTimes.sort((a, b) => a - b);
    process.stdout.write(
      `${name.padEnd(42)} ${ms(percentile(times, 50))} ${ms(percentile(times, 95))}${cpu ? ms(percentile(cpuTimes, 50)) : ''}\n`,
    );
  }
}

const API_PATHS = [
  '/api/meta',
  '/api/events?admin2=District%2042&limit=100',
  '/api/events?format=geojson&from=2024-06-01&limit=500',
  '/api/stats?by=admin1,year',
  '/api/trend?by=actor&period=year',
  '/api/trend?by=admin2&period=month&group=Top%20groups&from=2023-01-01',
  '/api/spread?from=2024-07-01&to=2024-12-31&group=Top%20groups',
  '/api/network?from=2024-01-01&to=2024-12-31',
  '/api/exposure?lat=27&lon=63&radius_km=50',
  `/api/check?claim=${encodeURIComponent('attacks by top armed groups rose 20% between 2022 and 2023')}`,
  '/api/districts?from=2024-01-01',
  '/api/actors?limit=100',
];

async function loadApi(label: string, store: Store, cache: boolean): Promise<void> {
  const server = await startServer(store, { port: 0, cache });
  if (cache) {
    // The steady state of a dashboard: every answer computed once, then served until the data change.
    const start = performance.now();
    for (const path of API_PATHS) await fetch(`${server.url}${path}`).then((r) => r.text());
    process.stdout.write(
      `\n${label} API: first (cold) pass over ${API_PATHS.length} endpoints took ${(performance.now() - start).toFixed(0)} ms\n`,
    );
  }
  const times: number[] = [];
  const instance = autocannon({
    url: server.url,
    connections: 50,
    duration: SECONDS,
    requests: API_PATHS.map((path) => ({ method: 'GET', path })),
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
  });
  const result = await new Promise<autocannon.Result>((resolve, reject) =>
    instance.on('done', resolve).on('error', reject),
  );
  await server.close();
  // autocannon stops at the deadline without waiting for answers still being computed: let them finish.
  await store.query('SELECT 1');
  await new Promise((resolve) => setTimeout(resolve, 500));
  times.sort((a, b) => a - b);
  process.stdout.write(
    `\n${label} API (${cache ? 'response cache on' : 'no cache'}), ${API_PATHS.length} endpoints in rotation, 50 connections, ${SECONDS} s on loopback:\n` +
      `  requests answered ${result.requests.total} (${result.requests.average}/s), p50 ${percentile(times, 50).toFixed(1)} ms, ` +
      `p95 ${percentile(times, 95).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms, ` +
      `errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}\n`,
  );
}

async function main(): Promise<void> {
  process.stdout.write(
    `sitrep query bench: ${EVENTS.toLocaleString('en')} synthetic events${args['date-order'] ? ', written in date order' : ''}\n`,
  );
  const duckPath = join(tmpdir(), `sitrep-bench-query-${EVENTS}${args['date-order'] ? '-dated' : ''}.duckdb`);
  const reuse = args.keep && existsSync(duckPath);
  if (!reuse) {
    rmSync(duckPath, { force: true });
    rmSync(`${duckPath}.wal`, { force: true });
  }
  const duck = await openStore(duckPath);
  let start = performance.now();
  if (!reuse) await fill(duck);
  process.stdout.write(
    reuse
      ? `DuckDB store reused (${duckPath})\n`
      : `DuckDB store built in ${((performance.now() - start) / 1000).toFixed(1)} s (${duckPath})\n`,
  );
  await timeQuestions('DuckDB', duck);
  if (!args['skip-api']) {
    await loadApi('DuckDB', duck, true);
    if (args.uncached) await loadApi('DuckDB', duck, false);
  }
  await duck.close();
  if (!args.keep) rmSync(duckPath, { force: true });

  if (!args['skip-pg']) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    const kept = args.keep
      ? await admin
          .query(`SELECT COUNT(*) AS n FROM ${PG_SCHEMA}.events`)
          .then((r) => Number(r.rows[0]?.n) === EVENTS)
          .catch(() => false)
      : false;
    if (!kept) await admin.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`);
    const pgStore = await openStore(`${PG_URL}?schema=${PG_SCHEMA}`);
    start = performance.now();
    if (!kept) await fill(pgStore);
    process.stdout.write(
      kept
        ? `\nPostgreSQL store reused (schema ${PG_SCHEMA})\n`
        : `\nPostgreSQL store built in ${((performance.now() - start) / 1000).toFixed(1)} s\n`,
    );
    await timeQuestions('PostgreSQL', pgStore);
    if (!args['skip-api']) {
      await loadApi('PostgreSQL', pgStore, true);
      if (args.uncached) await loadApi('PostgreSQL', pgStore, false);
    }
    await pgStore.close();
    if (!args.keep) await admin.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`);
    await admin.end();
  }
}

await main();
