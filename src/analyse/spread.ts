import type { EventFilter } from '../schema/index.ts';
import { eventsBetween } from '../store/actor-events.ts';
import type { Queryable } from '../store/contract.ts';
import { filterSql, Params } from '../store/filter-sql.ts';
import { placeMonthsWhere } from '../store/place-months.ts';
import { actorSide } from './actor-side.ts';
import { type Coverage, dataCoverage } from './coverage.ts';
import { withoutActors, withoutDates } from './filter.ts';
import { memoised } from './memo.ts';
import { addDays, addMonths, daysInclusive, windowStart } from './periods.ts';

export interface SpreadOptions {
  filter: EventFilter;
  /** The window under study; defaults to the last 6 months of data. */
  from?: string;
  to?: string;
  baselineMonths?: number;
  /** Provinces the actor is at home in (given, or from its actor group); else its busiest province. */
  home?: { admin1: string[]; basis: 'given' | 'group' };
  /** Number of districts known, for the diffusion index (e.g. from the gazetteer). */
  districtCount?: number;
}

export interface DistrictSpread {
  admin1: string | null;
  admin2: string;
  windowEvents: number;
  /** The sum of the tolls the sources state; 0 also when none does (see `windowEventsWithToll`). */
  windowFatalities: number;
  /** Window events whose toll the source states: 0 means `windowFatalities` is unknown, not zero. */
  windowEventsWithToll: number;
  baselineEvents: number;
  firstEvent: {
    id: string;
    date: string;
    location: string | null;
    /** Actor 1 by its canonical name (as written when it is linked to no actor). */
    actor: string | null;
    eventType: string | null;
  } | null;
}

export interface SpreadEvent {
  id: string;
  date: string;
  admin1: string | null;
  admin2: string | null;
  location: string | null;
  /** Actor 1 by its canonical name (as written when it is linked to no actor). */
  actor: string | null;
  eventType: string | null;
  /** The toll as the source states it; 0 also when it states none (then `fatalitiesKnown` is false). */
  fatalities: number;
  fatalitiesKnown: boolean;
}

export interface SpreadResult {
  window: { from: string; to: string };
  baseline: { from: string; to: string; months: number };
  coverage: Coverage;
  /** Districts with events in the window and none in the baseline, each with its first event. */
  newDistricts: DistrictSpread[];
  newProvinces: { admin1: string; windowEvents: number; firstDate: string }[];
  districtsInWindow: number;
  districtsInBaseline: number;
  districtsKnown: number;
  /** Share of known districts with at least one event in the window, 0..1. */
  diffusionIndex: number;
  diffusionBaseline: number;
  home: { admin1: string[]; basis: 'given' | 'group' | 'busiest province' | 'none' };
  outsideHome: {
    events: number;
    fatalities: number;
    /** Of `events`, those whose toll the source states: 0 means `fatalities` is unknown, not zero. */
    eventsWithToll: number;
    byAdmin1: { admin1: string; events: number }[];
    latest: SpreadEvent[];
  };
  caveats: string[];
}

/**
 * Where violence spread to: districts and provinces hit in the window that saw nothing in the baseline
 * before it, a diffusion index, and events outside the actor's home province.
 *
 * @example await spread(store, { filter: { actors: ['BLA'] }, from: '2024-01-01', to: '2024-06-30', baselineMonths: 24 })
 */
export async function spread(db: Queryable, options: SpreadOptions): Promise<SpreadResult> {
  // Coverage is only needed up front when no end date is given; otherwise it runs beside the scans below.
  const coverageQuery = dataCoverage(db, options.filter);
  coverageQuery.catch(() => undefined);
  const to =
    options.to ?? options.filter.to ?? (await coverageQuery).last ?? new Date().toISOString().slice(0, 10);
  const from = options.from ?? options.filter.from ?? windowStart(to, 6);
  const baselineMonths = Math.max(1, Math.min(options.baselineMonths ?? 24, 240));
  const baselineFrom = addMonths(from, -baselineMonths);
  const baselineTo = addDays(from, -1);
  const base = withoutDates(options.filter);

  const params = new Params(db.dialect);
  // A group that is never the other side of an event over these days is looked for on actor1 alone.
  const side = await actorSide(db, base, baselineFrom, to);
  // A group's events over baseline and window: on PostgreSQL, read from its actor indexes (DuckDB keeps
  // its statement as it was, dates last).
  const events = eventsBetween(
    base,
    baselineFrom,
    to,
    params,
    ['admin1', 'admin2', 'event_date', 'fatalities_best'],
    db.dialect === 'postgres',
    side,
  );
  const w = params.add(from);
  const inWindow = `e.event_date >= CAST(${w} AS DATE)`;
  // A home given (or none, with no actor) needs no counts: the latest events outside it are read
  // beside the counts below instead of after them.
  const givenHome = homeWithoutCounts(options, base);
  // On DuckDB, with the home known and the events narrowed by actor and to a few years, the latest events
  // outside it are drawn from the same scan as the counts (below): one read of the events instead of two.
  // Each event kept for both costs, so with more of them the second read is cheaper: without an actor (that
  // read then skips the actor columns) and over a long baseline (a group over 10 years at a million events:
  // 117 against 96 ms CPU; over 30 months 83 against 98).
  const oneScan =
    db.dialect === 'duckdb' &&
    givenHome !== null &&
    givenHome.admin1.length > 0 &&
    Boolean(base.actors?.length || base.actorIds?.length) &&
    daysInclusive(baselineFrom, to) <= ONE_SCAN_DAYS;
  const latestEarly =
    givenHome && !oneScan ? latestOutside(db, base, from, to, givenHome.admin1, side) : null;
  latestEarly?.catch(() => undefined);
  const knownBase = withoutDates(withoutActors(options.filter));
  // Started now, so that it shares the events' version reading with the coverage above.
  const knownQuery = (async () =>
    options.districtCount ??
    (await memoised(db, `districts:${JSON.stringify(knownBase)}`, async () => {
      const p = new Params(db.dialect);
      const monthly = placeMonthsWhere(knownBase, p);
      const [row] = await db.query<{ n: number }>(
        monthly
          ? `SELECT COUNT(DISTINCT m.admin2) AS n FROM place_months m WHERE ${monthly}`
          : `SELECT COUNT(DISTINCT e.admin2) AS n FROM events e WHERE ${filterSql(knownBase, p)}`,
        p.values,
      );
      return Number(row?.n ?? 0);
    })))();
  knownQuery.catch(() => undefined);
  // Grouped with the events that name no district too: those count toward provinces outside home.
  const counts = (from_: string, where: string) => `SELECT e.admin1, e.admin2,
            COUNT(*) FILTER (WHERE ${inWindow}) AS window_events,
            COALESCE(SUM(e.fatalities_best) FILTER (WHERE ${inWindow}), 0) AS window_fatalities,
            COUNT(e.fatalities_best) FILTER (WHERE ${inWindow}) AS window_tolls,
            COUNT(*) FILTER (WHERE NOT (${inWindow})) AS baseline_events, NULL AS latest_id
     FROM ${from_} WHERE ${where}
     GROUP BY e.admin1, e.admin2`;
  // One scan (DuckDB, home known): the matching events' few columns, the ids among them, are kept once and
  // both the counts and the ids of the latest events outside home are read from them. Reading the ids with
  // the counts costs DuckDB less than a second statement over the same columns (on the bench's scattered
  // layout every statement decodes each column of every row group, however few rows its dates leave).
  const rows = await db.query<{
    admin1: string | null;
    admin2: string | null;
    window_events: number;
    window_fatalities: number;
    window_tolls: number;
    baseline_events: number;
    latest_id: string | null;
  }>(
    oneScan && givenHome
      ? `WITH f AS MATERIALIZED (
           SELECT e.admin1, e.admin2, e.event_date, e.fatalities_best, e.id FROM ${events.from} WHERE ${events.where}
         )
         SELECT * FROM (${counts('f e', 'TRUE')})
         UNION ALL
         SELECT * FROM (
           SELECT NULL, NULL, NULL, NULL, NULL, NULL, e.id FROM f e
           WHERE ${inWindow} AND e.admin1 IS NOT NULL AND e.admin1 NOT IN (${params.list(givenHome.admin1)})
           ORDER BY e.event_date DESC, e.id DESC LIMIT ${LATEST}
         )`
      : counts(events.from, events.where),
    params.values,
  );
  const places = rows.filter((r) => r.latest_id === null);
  const latestIds = rows.flatMap((r) => (r.latest_id === null ? [] : [r.latest_id]));
  const districts = places.filter(
    (d): d is (typeof places)[number] & { admin2: string } => d.admin2 !== null,
  );
  const fresh = districts.filter((d) => Number(d.window_events) > 0 && Number(d.baseline_events) === 0);

  const firsts = new Map<string, DistrictSpread['firstEvent']>();
  const firstsQuery = async () => {
    if (!fresh.length) return;
    const p = new Params(db.dialect);
    const rows = await db.query<{
      admin2: string;
      id: string;
      event_date: string;
      location: string | null;
      actor1: string | null;
      event_type: string | null;
    }>(
      `SELECT ranked.admin2, ranked.id, ranked.event_date, ranked.location,
              COALESCE(a.name, ranked.actor1) AS actor1, ranked.event_type FROM (
         SELECT e.admin2, e.id, e.event_date, e.location, e.actor1, e.actor1_id, e.event_type,
                ROW_NUMBER() OVER (PARTITION BY e.admin2 ORDER BY e.event_date, e.id) AS rn
         FROM events e
         WHERE ${filterSql(base, p, 'e', side)} AND e.event_date >= CAST(${p.add(from)} AS DATE)
           AND e.event_date <= CAST(${p.add(to)} AS DATE) AND e.admin2 IN (${p.list(fresh.map((d) => d.admin2))})
       ) ranked LEFT JOIN actors a ON a.id = ranked.actor1_id WHERE ranked.rn = 1`,
      p.values,
    );
    for (const r of rows) {
      firsts.set(r.admin2, {
        id: r.id,
        date: r.event_date,
        location: r.location,
        actor: r.actor1,
        eventType: r.event_type,
      });
    }
  };

  const provinces = new Map<string, { windowEvents: number; baselineEvents: number }>();
  for (const d of districts) {
    if (!d.admin1) continue;
    const entry = provinces.get(d.admin1) ?? { windowEvents: 0, baselineEvents: 0 };
    entry.windowEvents += Number(d.window_events);
    entry.baselineEvents += Number(d.baseline_events);
    provinces.set(d.admin1, entry);
  }

  const home = givenHome ?? homeProvinces(options, base, [...provinces.entries()]);
  const [, known, outsideHome, coverage] = await Promise.all([
    firstsQuery(),
    knownQuery,
    eventsOutside(
      home.admin1,
      places,
      oneScan
        ? eventsById(db, latestIds)
        : (latestEarly ?? latestOutside(db, base, from, to, home.admin1, side)),
    ),
    coverageQuery,
  ]);
  const newProvinces = [...provinces.entries()]
    .filter(([, v]) => v.windowEvents > 0 && v.baselineEvents === 0)
    .map(([admin1, v]) => ({
      admin1,
      windowEvents: v.windowEvents,
      firstDate:
        fresh
          .filter((d) => d.admin1 === admin1)
          .map((d) => firsts.get(d.admin2)?.date ?? '9999-12-31')
          .sort()[0] ?? '',
    }));

  const inWindowCount = districts.filter((d) => Number(d.window_events) > 0).length;
  const inBaselineCount = districts.filter((d) => Number(d.baseline_events) > 0).length;
  const caveats: string[] = [];
  if (coverage.first && coverage.first > baselineFrom) {
    caveats.push(
      `the data start on ${coverage.first}, after the baseline begins (${baselineFrom}): "new" districts may only be new to the data`,
    );
  }
  if (coverage.last && coverage.last < to)
    caveats.push(`the data end on ${coverage.last}, before the window ends (${to})`);
  if (home.basis === 'busiest province')
    caveats.push(`home province inferred as the busiest one: ${home.admin1.join(', ')}`);

  return {
    window: { from, to },
    baseline: { from: baselineFrom, to: baselineTo, months: baselineMonths },
    coverage,
    newDistricts: fresh
      .map((d) => ({
        admin1: d.admin1,
        admin2: d.admin2,
        windowEvents: Number(d.window_events),
        windowFatalities: Number(d.window_fatalities),
        windowEventsWithToll: Number(d.window_tolls),
        baselineEvents: 0,
        firstEvent: firsts.get(d.admin2) ?? null,
      }))
      .sort(
        (a, b) =>
          (a.firstEvent?.date ?? '').localeCompare(b.firstEvent?.date ?? '') ||
          a.admin2.localeCompare(b.admin2),
      ),
    newProvinces,
    districtsInWindow: inWindowCount,
    districtsInBaseline: inBaselineCount,
    districtsKnown: known,
    diffusionIndex: known ? round3(inWindowCount / known) : 0,
    diffusionBaseline: known ? round3(inBaselineCount / known) : 0,
    home,
    outsideHome,
    caveats,
  };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** The home provinces when they do not depend on where the events fell; null when they must be inferred. */
function homeWithoutCounts(options: SpreadOptions, base: EventFilter): SpreadResult['home'] | null {
  if (options.home?.admin1.length) return options.home;
  if (!base.actors?.length && !base.actorIds?.length) return { admin1: [], basis: 'none' };
  return null;
}

function homeProvinces(
  options: SpreadOptions,
  base: EventFilter,
  provinces: [string, { windowEvents: number; baselineEvents: number }][],
): SpreadResult['home'] {
  const given = homeWithoutCounts(options, base);
  if (given) return given;
  // Ties go to the first name in code-point order (as the stores' binary collation sorts), not to whichever
  // province the store's grouping happened to return first: that differed between runs and stores.
  const busiest = provinces.sort(
    (a, b) =>
      b[1].windowEvents + b[1].baselineEvents - (a[1].windowEvents + a[1].baselineEvents) ||
      (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  )[0];
  return busiest ? { admin1: [busiest[0]], basis: 'busiest province' } : { admin1: [], basis: 'none' };
}

/** Window events by province, from the window's counts per place. */
interface PlaceCounts {
  admin1: string | null;
  window_events: number;
  window_fatalities: number;
  window_tolls: number;
}

/** The longest baseline and window (about three years) whose events spread keeps for one scan. */
const ONE_SCAN_DAYS = 1100;

/** The number of latest events listed outside home. */
const LATEST = 20;

/**
 * The 20 latest window events outside the home provinces (none without a home). They are looked for in
 * the window's last sixteenth first: when it holds 20, no earlier day can hold one of them, and the
 * filters then run on few rows (at a million events on DuckDB, 17 against 24 ms CPU); otherwise the whole
 * window is read. Actor lists stay `IN` lists here: with few rows left by the dates, DuckDB's short-list
 * form was slower (21 against 17 ms).
 */
async function latestOutside(
  db: Queryable,
  base: EventFilter,
  from: string,
  to: string,
  home: string[],
  side: 'either' | 'primary',
) {
  if (!home.length) return [];
  const read = (start: string) => {
    const p = new Params();
    const where = `${filterSql(base, p, 'e', side)} AND e.event_date >= CAST(${p.add(start)} AS DATE)
      AND e.event_date <= CAST(${p.add(to)} AS DATE) AND e.admin1 IS NOT NULL AND e.admin1 NOT IN (${p.list(home)})`;
    return latestIds(db, where, p);
  };
  const recent = addDays(to, 1 - Math.ceil(daysInclusive(from, to) / 16));
  let ids = recent > from ? await read(recent) : [];
  if (ids.length < LATEST) ids = await read(from);
  return eventsById(db, ids);
}

async function eventsOutside(
  home: string[],
  places: readonly PlaceCounts[],
  latestQuery: ReturnType<typeof latestOutside>,
): Promise<SpreadResult['outsideHome']> {
  if (!home.length) return { events: 0, fatalities: 0, eventsWithToll: 0, byAdmin1: [], latest: [] };
  const provinces = new Map<string, { admin1: string; events: number; fatalities: number; tolls: number }>();
  for (const place of places) {
    if (place.admin1 === null || home.includes(place.admin1) || Number(place.window_events) === 0) continue;
    const entry = provinces.get(place.admin1) ?? { admin1: place.admin1, events: 0, fatalities: 0, tolls: 0 };
    entry.events += Number(place.window_events);
    entry.fatalities += Number(place.window_fatalities);
    entry.tolls += Number(place.window_tolls);
    provinces.set(place.admin1, entry);
  }
  // Most events first, then by name in code-point order (as the stores' binary collation sorts).
  const byAdmin1 = [...provinces.values()].sort(
    (a, b) => b.events - a.events || (a.admin1 < b.admin1 ? -1 : a.admin1 > b.admin1 ? 1 : 0),
  );
  const latest = await latestQuery;
  return {
    events: byAdmin1.reduce((n, r) => n + Number(r.events), 0),
    fatalities: byAdmin1.reduce((n, r) => n + Number(r.fatalities), 0),
    eventsWithToll: byAdmin1.reduce((n, r) => n + r.tolls, 0),
    byAdmin1: byAdmin1.map((r) => ({ admin1: r.admin1, events: Number(r.events) })),
    latest: latest.map((r) => ({
      id: r.id,
      date: r.event_date,
      admin1: r.admin1,
      admin2: r.admin2,
      location: r.location,
      actor: r.actor1,
      eventType: r.event_type,
      fatalities: Number(r.fatalities_best ?? 0),
      fatalitiesKnown: r.fatalities_best !== null,
    })),
  };
}

/** The ids of the 20 latest events matching `where`, reading few columns. */
async function latestIds(db: Queryable, where: string, p: Params): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT e.id FROM events e WHERE ${where} ORDER BY e.event_date DESC, e.id DESC LIMIT ${LATEST}`,
    p.values,
  );
  return rows.map((r) => r.id);
}

/**
 * The details of a few events by id (the primary key), latest first, so that places and names are not
 * read for every event in the window.
 */
async function eventsById(db: Queryable, ids: readonly string[]) {
  if (!ids.length) return [];
  // `id IN (…)` alone: DuckDB answers it from the primary key's index. Bounding it by the page's dates as
  // well was measured 5× slower (15 ms against 3 ms CPU at a million events): the extra filter drops the
  // index lookup for a scan.
  const q = new Params();
  return db.query<{
    id: string;
    event_date: string;
    admin1: string | null;
    admin2: string | null;
    location: string | null;
    actor1: string | null;
    event_type: string | null;
    fatalities_best: number | null;
  }>(
    `SELECT e.id, e.event_date, e.admin1, e.admin2, e.location, COALESCE(a.name, e.actor1) AS actor1,
            e.event_type, e.fatalities_best
     FROM events e LEFT JOIN actors a ON a.id = e.actor1_id
     WHERE e.id IN (${q.list(ids)}) ORDER BY e.event_date DESC, e.id DESC`,
    q.values,
  );
}
