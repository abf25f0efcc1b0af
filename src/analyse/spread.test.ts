import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { blankEvent, type EventRecord } from '../schema/index.ts';
import type { Queryable, SqlParam, SqlRow } from '../store/contract.ts';
import { addDays, addMonths, daysInclusive } from './periods.ts';
import { spread } from './spread.ts';

/**
 * A dense conflict for spread's shortcuts: many events a day (ties on the date), three provinces, districts
 * first hit in the window, and one district name used in two provinces (new in one, not in the other).
 */
function denseEvents(): EventRecord[] {
  const events: EventRecord[] = [];
  const places = [
    { admin1: 'Home', admin2: 'H1' },
    { admin1: 'Home', admin2: 'H2' },
    { admin1: 'East', admin2: 'E1' },
    { admin1: 'East', admin2: 'Twin' },
    { admin1: 'West', admin2: 'W1' },
  ];
  let n = 0;
  const add = (date: string, place: { admin1: string | null; admin2: string | null }, actor: string) => {
    n++;
    events.push(
      blankEvent({
        // Ids out of date order, so that ties on a date are broken by id, not by insertion.
        id: `d:${String((n * 7919) % 10007).padStart(5, '0')}`,
        source: 'dense',
        sourceId: String(n),
        eventDate: date,
        eventType: 'Battles',
        actor1: actor,
        actor1Id: actor === 'Group A' ? 'group-a' : null,
        actor2: n % 3 === 0 ? 'Group A' : null,
        actor2Id: n % 3 === 0 ? 'group-a' : null,
        admin1: place.admin1,
        admin2: place.admin2,
        location: `Place ${n % 13}`,
        fatalities: { low: n % 3, best: n % 3, high: n % 3 },
      }),
    );
  };
  // Baseline (2022–2023): the home districts and E1; 'Twin' under West only.
  for (let day = 0; day < 700; day += 3) {
    const date = new Date(Date.UTC(2022, 0, 1 + day)).toISOString().slice(0, 10);
    add(date, places[day % 3]!, day % 2 ? 'Group A' : 'Group B');
  }
  add('2023-05-05', { admin1: 'West', admin2: 'Twin' }, 'Group A');
  // Window (2024H1): every place, four or five events a day in the last weeks, none named on some rows.
  for (let day = 0; day < 182; day++) {
    const date = new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
    const perDay = day > 150 ? 5 : 1;
    for (let k = 0; k < perDay; k++) {
      const place = places[(day + k) % places.length]!;
      add(date, k === 4 ? { admin1: place.admin1, admin2: null } : place, k % 2 ? 'Group B' : 'Group A');
    }
  }
  add('2024-01-01', { admin1: 'West', admin2: 'Twin' }, 'Group A');
  return events;
}

/** The store, with every statement's text recorded. */
function recording(db: Queryable): { db: Queryable; statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    db: {
      dialect: db.dialect,
      query<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlParam[]) {
        statements.push(sql);
        return db.query<T>(sql, params);
      },
    },
  };
}

for (const kind of STORE_KINDS) {
  describe(`spread's shortcuts: ${kind}`, () => {
    let t: TestStore;
    before(async () => {
      t = await freshStore(kind);
      const events = denseEvents();
      const writer = await t.store.beginImport({ file: 'dense.csv', sha256: 'dense', format: 'fixture' });
      await writer.add(events);
      await writer.finish({ rowsRead: events.length, rowsRejected: 0 });
    });
    after(async () => t?.cleanup());

    const latestSql = (from: string, to: string, home: string[], actor: string | null) =>
      t.store.query<{ id: string }>(
        `SELECT id FROM events WHERE event_date >= CAST($1 AS DATE) AND event_date <= CAST($2 AS DATE)
           AND admin1 IS NOT NULL AND admin1 NOT IN (${home.map((_, i) => `$${i + 3}`).join(', ')})
           ${actor ? `AND (actor1 = $${home.length + 3} OR actor2 = $${home.length + 3})` : ''}
         ORDER BY event_date DESC, id DESC LIMIT 20`,
        [from, to, ...home, ...(actor ? [actor] : [])],
      );

    it('the 20 latest events outside home are those of the whole window, read from its end or in full', async () => {
      const cases: [string, string, string[], string | null][] = [
        ['2024-01-01', '2024-06-30', ['Home'], null],
        ['2024-01-01', '2024-06-30', ['Home', 'East'], 'Group A'],
        ['2024-01-01', '2024-06-30', ['Home', 'East'], 'Group B'],
        ['2024-01-01', '2024-03-31', ['Home'], 'Group A'],
        ['2022-01-01', '2024-06-30', ['Home'], null],
        ['2024-06-20', '2024-06-30', ['Home'], null],
        ['2024-06-30', '2024-06-30', ['Home'], null],
        // Over four years and a half with the baseline: read after the counts on DuckDB too.
        ['2022-01-01', '2024-06-30', ['Home', 'West'], 'Group A'],
      ];
      const paths = new Set<string>();
      for (const [from, to, home, actor] of cases) {
        const { db, statements } = recording(t.store);
        const result = await spread(db, {
          filter: actor ? { actors: [actor] } : {},
          from,
          to,
          home: { admin1: home, basis: 'given' },
        });
        const label = `${from}…${to} outside ${home.join('+')} ${actor ?? 'any actor'}`;
        assert.deepEqual(
          result.outsideHome.latest.map((e) => e.id),
          (await latestSql(from, to, home, actor)).map((r) => r.id),
          label,
        );
        const reads = statements.filter((s) => s.includes('ORDER BY e.event_date DESC, e.id DESC LIMIT'));
        // DuckDB, an actor's events over at most three years: drawn from the counts' own scan, the one
        // statement that reads them.
        if (kind === 'duckdb' && actor && daysInclusive(addMonths(from, -24), to) <= 1100) {
          assert.equal(reads.length, 1, label);
          assert.match(reads[0] ?? '', /MATERIALIZED[\s\S]*GROUP BY e\.admin1, e\.admin2/, label);
          paths.add('with the counts');
          continue;
        }
        // Otherwise the window's last sixteenth is read first when it is shorter than the window; the whole
        // window only when that part holds fewer than 20.
        const recent = addDays(to, 1 - Math.ceil(daysInclusive(from, to) / 16));
        const inRecent = recent > from ? (await latestSql(recent, to, home, actor)).length : 0;
        const path = recent <= from ? 'whole' : inRecent === 20 ? 'end' : 'end, then whole';
        paths.add(path);
        assert.equal(reads.length, path === 'end, then whole' ? 2 : 1, `${label}: ${path}`);
      }
      assert.deepEqual(
        [...paths].sort(),
        kind === 'duckdb'
          ? ['end', 'end, then whole', 'whole', 'with the counts']
          : ['end', 'end, then whole', 'whole'],
      );
    });

    it('an inferred home: the latest events outside it are read after the counts, as outside that home given', async () => {
      for (const actor of ['Group A', 'Group B']) {
        const window = { filter: { actors: [actor] }, from: '2024-01-01', to: '2024-06-30' };
        const inferred = await spread(t.store, window);
        assert.equal(inferred.home.basis, 'busiest province', actor);
        const given = await spread(t.store, {
          ...window,
          home: { admin1: inferred.home.admin1, basis: 'given' },
        });
        assert.ok(inferred.outsideHome.latest.length > 0, actor);
        assert.deepEqual(inferred.outsideHome, given.outsideHome, actor);
        assert.deepEqual(
          inferred.outsideHome.latest.map((e) => e.id),
          (await latestSql(window.from, window.to, inferred.home.admin1, actor)).map((r) => r.id),
          actor,
        );
      }
    });

    it('each new district has its first window event, whichever province names it', async () => {
      const cases: [string, string, string | null][] = [
        ['2024-01-01', '2024-06-30', null],
        ['2024-01-01', '2024-06-30', 'Group A'],
        ['2024-02-01', '2024-06-30', 'Group B'],
      ];
      for (const [from, to, actor] of cases) {
        const result = await spread(t.store, {
          filter: actor ? { actors: [actor] } : {},
          from,
          to,
          baselineMonths: 24,
        });
        const actorTest = actor ? 'AND (actor1 = $3 OR actor2 = $3)' : '';
        const params = [from, to, ...(actor ? [actor] : [])];
        const expected = await t.store.query<{ admin2: string; id: string; event_date: string }>(
          `SELECT admin2, id, event_date FROM (
             SELECT admin2, id, event_date, ROW_NUMBER() OVER (PARTITION BY admin2 ORDER BY event_date, id) AS rn
             FROM events WHERE event_date >= CAST($1 AS DATE) AND event_date <= CAST($2 AS DATE)
               AND admin2 IS NOT NULL ${actorTest}
           ) r WHERE rn = 1`,
          params,
        );
        const label = `${from}…${to} ${actor ?? 'any actor'}`;
        assert.ok(result.newDistricts.length > 0, `${label}: new districts`);
        for (const district of result.newDistricts) {
          const first = expected.find((r) => r.admin2 === district.admin2);
          assert.equal(district.firstEvent?.id, first?.id, `${label}: ${district.admin2}`);
          assert.equal(district.firstEvent?.date, first?.event_date, `${label}: ${district.admin2}`);
        }
      }
      // 'Twin' is new under East, and already seen under West in the baseline: its first window event
      // is the earliest under either name.
      const twin = (
        await spread(t.store, { filter: {}, from: '2024-01-01', to: '2024-06-30' })
      ).newDistricts.find((d) => d.admin2 === 'Twin');
      const [first] = await t.store.query<{ id: string }>(
        `SELECT id FROM events WHERE admin2 = 'Twin' AND event_date >= CAST('2024-01-01' AS DATE)
         ORDER BY event_date, id LIMIT 1`,
      );
      assert.equal(twin?.admin1, 'East');
      assert.equal(twin?.firstEvent?.id, first?.id);
    });

    // Last: it gives 'group-a' a canonical name the other cases do not expect.
    it('names actors by their canonical name, and as written when linked to none', async () => {
      await t.store.saveActors([
        { id: 'group-a', name: 'Group A (canonical)', kind: null, aliases: ['Group A'] },
      ]);
      const result = await spread(t.store, {
        filter: {},
        from: '2024-01-01',
        to: '2024-06-30',
        home: { admin1: ['Home'], basis: 'given' },
      });
      const written = new Map(
        (await t.store.query<{ id: string; actor1: string }>('SELECT id, actor1 FROM events')).map((r) => [
          r.id,
          r.actor1,
        ]),
      );
      const named = (id: string | undefined) =>
        written.get(id ?? '') === 'Group A' ? 'Group A (canonical)' : written.get(id ?? '');
      const shown = [
        ...result.newDistricts.map((d) => [d.firstEvent?.id, d.firstEvent?.actor] as const),
        ...result.outsideHome.latest.map((e) => [e.id, e.actor] as const),
      ];
      assert.ok(shown.some(([, actor]) => actor === 'Group A (canonical)'));
      assert.ok(shown.some(([, actor]) => actor === 'Group B'));
      for (const [id, actor] of shown) assert.equal(actor, named(id), String(id));
    });
  });
}

for (const kind of STORE_KINDS) {
  describe(`spread's inferred home on a tie: ${kind}`, () => {
    let t: TestStore;
    before(async () => {
      t = await freshStore(kind);
      // As many events in each of eight provinces, named so that code-point order differs from the order
      // of writing and from any grouping's order of first sight.
      const provinces = ['Pz', 'Pb', 'PZ', 'Pa', 'P_', 'PA', 'P9', 'Py'];
      const events = provinces.flatMap((admin1, p) =>
        Array.from({ length: 6 }, (_, i) =>
          blankEvent({
            id: `tie:${p}:${i}`,
            source: 'ties',
            sourceId: `${p}:${i}`,
            eventDate: `2024-0${1 + (i % 6)}-1${p}`,
            actor1: 'Group T',
            admin1,
            admin2: `${admin1} district`,
          }),
        ),
      );
      const writer = await t.store.beginImport({ file: 'ties', sha256: 'ties', format: 'test' });
      await writer.add(events);
      await writer.finish({ rowsRead: events.length, rowsRejected: 0 });
    });
    after(async () => t?.cleanup());

    it('is the first of the busiest provinces by name, in code-point order', async () => {
      const result = await spread(t.store, {
        filter: { actors: ['Group T'] },
        from: '2024-04-01',
        to: '2024-06-30',
      });
      assert.deepEqual(result.home, { admin1: ['P9'], basis: 'busiest province' });
      assert.equal(result.outsideHome.byAdmin1.length, 7);
    });
  });
}
