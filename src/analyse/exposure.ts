import { ActorRegistry } from '../resolve/actor-registry.ts';
import type { EventFilter } from '../schema/index.ts';
import type { Queryable } from '../store/contract.ts';
import { filterSql, Params } from '../store/filter-sql.ts';
import { type Coverage, dataCoverage } from './coverage.ts';
import { keepsEveryEvent, tallyFromPlaces } from './exposure-places.ts';
import {
  DETAILS_COLUMNS,
  type DetailsRow,
  detailsOf,
  type EventDetails,
  isRecent,
  type NearRow,
  nearestFirst,
  placedCoarsely,
  Tally,
  type Windows,
} from './exposure-tally.ts';
import {
  coveringBoxes,
  distanceToGeometryKm,
  EARTH_RADIUS_KM,
  expandBbox,
  geometryBbox,
  lineSegments,
  type SiteGeometry,
} from './geo.ts';
import { DISTANCE_SLACK_KM, distanceSql, nearLineSql } from './geo-sql.ts';
import { readUntilWrite } from './memo.ts';
import { addMonths, windowStart } from './periods.ts';
import { BAND_RULES, pctChange, type TrendBand, trendBand } from './trend.ts';

export interface ExposureOptions {
  geometry: SiteGeometry;
  radiusKm?: number;
  filter: EventFilter;
  /**
   * The day "recent" is counted back from; defaults to the filter's end, else the latest report (news text
   * included, `Coverage.lastReport`).
   */
  asOf?: string;
  recentMonths?: number;
  /**
   * Read the events even where the sums by position (event_places) would answer: the two paths must
   * agree, and tests and benchmarks compare them.
   */
  fromEvents?: boolean;
}

export interface RiskPart {
  name: 'intensity' | 'lethality' | 'proximity' | 'trend';
  /** What was measured, in its own unit. */
  measured: number | null;
  unit: string;
  /** 0..1 after scaling. */
  score: number;
  weight: number;
  points: number;
  why: string;
}

export interface NearbyEvent {
  id: string;
  date: string;
  distanceKm: number;
  actor: string | null;
  eventType: string | null;
  location: string | null;
  admin2: string | null;
  /** 3 and coarser: the event is placed only at its district's or province's centre (COARSE_PLACE). */
  geoPrecision: number | null;
  fatalities: number;
}

export interface ExposureResult {
  radiusKm: number;
  asOf: string | null;
  /** The recent window, and in words where its end comes from (and what that means for the counts). */
  recent: { from: string; to: string; endsAt: RecentEnd; why: string } | null;
  coverage: Coverage;
  events: number;
  fatalities: number;
  byYear: { year: number; events: number; fatalities: number }[];
  byActor: { actor: string; events: number; fatalities: number }[];
  nearestRecent: NearbyEvent[];
  trend: { recentEvents: number; previousEvents: number; changePct: number | null; band: TrendBand };
  risk: { score: number; level: 'low' | 'elevated' | 'high' | 'severe'; parts: RiskPart[] };
}

/** Where the recent window's last day comes from. */
export type RecentEnd = 'as_of' | 'filter' | 'latest report' | 'data end';

/**
 * The recent window's last day and why: the day asked for, else the filter's last day, else the latest
 * report from any source. A security team reads the latest reports first, so an article about last week
 * counts as recent even when the data sets stop months earlier; the words say so, since the recent count
 * then holds only what the news told after the data sets' end.
 */
export function recentEnd(
  coverage: Pick<Coverage, 'last' | 'lastReport'>,
  asked: { asOf?: string | undefined; to?: string | undefined },
): { asOf: string | null; endsAt: RecentEnd; why: string } {
  if (asked.asOf)
    return { asOf: asked.asOf, endsAt: 'as_of', why: `ends on the day asked for (${asked.asOf})` };
  if (asked.to)
    return { asOf: asked.to, endsAt: 'filter', why: `ends on the filter's last day (${asked.to})` };
  const { last, lastReport } = coverage;
  if (lastReport && last && lastReport > last) {
    return {
      asOf: lastReport,
      endsAt: 'latest report',
      why: `ends at the latest report (${lastReport}, news text); the data sets end ${last}, so after that day only news reports count and the recent figures may read low`,
    };
  }
  const end = lastReport ?? last;
  return {
    asOf: end,
    endsAt: 'data end',
    why: end ? `ends at the last day of the data (${end})` : 'no data',
  };
}

let registry: ActorRegistry | undefined;

/** Degrees of latitude per km on the sphere used by `haversineKm`. */
const DEG_PER_KM = 180 / (Math.PI * EARTH_RADIUS_KM);

/**
 * A conservative SQL test that an event may lie within `km` of a point or a line (planar distance in a
 * frame centred on the event, with 2 % + 1 km of slack), so that the store returns the corridor's events
 * and not its bounding boxes' worth; exact distances are then computed in JS. Areas and very long lines
 * fall back to the boxes alone, as do radii over 300 km.
 */
function nearSql(geometry: SiteGeometry, km: number, params: Params): string {
  // Beyond a few hundred km the flat frame drifts from great-circle distance: let the boxes do it alone.
  if (km > 300) return 'TRUE';
  const slack = (km * 1.02 + 1) * DEG_PER_KM;
  const square = (x: string) => `(${x}) * (${x})`;
  // Typed, so that the engine does not fall back to slow generic arithmetic on untyped parameters.
  const num = (value: number) => `CAST(${params.add(value)} AS DOUBLE PRECISION)`;
  if (geometry.type === 'Point') {
    const r2 = num(slack * slack);
    const [lon, lat] = geometry.coordinates;
    return `(${square(`(e.longitude - ${num(lon)}) * e.k`)} + ${square(`e.latitude - ${num(lat)}`)} <= ${r2})`;
  }
  const segments = lineSegments(geometry);
  // Every bound value must appear in the statement: decide before binding anything.
  if (!segments.length || segments.length > 64) return 'TRUE';
  const r2 = num(slack * slack);
  return `(${segments
    .map(([a, b]) => {
      const ax = `((${num(a[0])} - e.longitude) * e.k)`;
      const ay = `(${num(a[1])} - e.latitude)`;
      const dx = `(${num(b[0] - a[0])} * e.k)`;
      const dy = `${num(b[1] - a[1])}`;
      const t = `GREATEST(0.0, LEAST(1.0, -(${ax} * ${dx} + ${ay} * ${dy}) / GREATEST(${dx} * ${dx} + ${dy} * ${dy}, 1e-18)))`;
      return `${square(`${ax} + ${t} * ${dx}`)} + ${square(`${ay} + ${t} * ${dy}`)} <= ${r2}`;
    })
    .join(' OR ')})`;
}

/** Weights of the risk score's parts; they add to 100. */
export const RISK_WEIGHTS = { intensity: 40, lethality: 25, proximity: 20, trend: 15 } as const;

/**
 * The risk score's trend part, 0..1. It follows the trend band shown beside it: a change too small to leave
 * "stable" (3 events against 1) scores nothing, however large its percentage.
 */
export function trendScore(recentEvents: number, previousEvents: number): number {
  if (Math.abs(recentEvents - previousEvents) < BAND_RULES.minAbsoluteChange) return 0;
  if (previousEvents === 0) return 1;
  return Math.max(0, Math.min(1, (recentEvents - previousEvents) / previousEvents));
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const logScale = (n: number, saturation: number) => Math.min(1, Math.log1p(n) / Math.log1p(saturation));

/**
 * The corridor's events tallied by the store (lines): distances in SQL, mirroring geo.ts;
 * events farther than a hair inside the radius are summed there, and only those on the edge (settled
 * here with the JavaScript distance) and the candidates for the nearest recent events come back as rows.
 * Returns null for points, and for geometries whose distance is not written in SQL.
 */
async function tallyInStore(
  db: Queryable,
  options: ExposureOptions,
  radiusKm: number,
  corridor: (params: Params, measuredInStore: boolean) => string,
  w: Windows,
  tally: Tally,
): Promise<(NearRow & { distanceKm: number })[] | null> {
  // Around a point the corridor is one box, and few enough events to measure here: the store-side
  // tally measured slower there (A/B on the 1M-event bench store), so it is kept for lines.
  if (options.geometry.type === 'Point') return null;
  const params = new Params(db.dialect);
  const measured = distanceSql(options.geometry, corridor(params, true), params);
  if (!measured) return null;
  const inner = params.add(radiusKm - DISTANCE_SLACK_KM);
  const outer = params.add(radiusKm + DISTANCE_SLACK_KM);
  const slack2 = params.add(2 * DISTANCE_SLACK_KM);
  const within = `d <= CAST(${inner} AS DOUBLE PRECISION)`;
  const date = (d: string) => `CAST(${params.add(d)} AS DATE)`;
  const windows = w.asOf && w.recentFrom && w.previousFrom;
  const recent = windows
    ? `(event_date >= ${date(w.recentFrom as string)} AND event_date <= ${date(w.asOf as string)})`
    : 'FALSE';
  const previous = windows
    ? `(event_date >= ${date(w.previousFrom as string)} AND event_date < ${date(w.recentFrom as string)})`
    : 'FALSE';
  const result = await db.query<{
    part: 'tally' | 'edge' | 'near';
    year: number | null;
    actor: string | null;
    n: number;
    f: number;
    recent_n: number | null;
    recent_f: number | null;
    previous_n: number | null;
    id: string | null;
    event_date: string | null;
    latitude: number | null;
    longitude: number | null;
  }>(
    // Materialised, so that the distance is computed once per row as a column, never inlined into filters.
    // The tallies read `measured` unfiltered (conditions inside the aggregates), so the engine cannot push
    // a filter on the distance into it: it would inline the long expression there, nothing shared.
    `WITH measured AS MATERIALIZED (
       SELECT e.id, e.event_date, e.latitude, e.longitude, e.f, e.actor, e.d FROM (${measured}) e
     )
     SELECT 'tally' AS part, CAST(EXTRACT(YEAR FROM event_date) AS INTEGER) AS year, actor,
            COUNT(*) FILTER (WHERE ${within}) AS n, SUM(f) FILTER (WHERE ${within}) AS f,
            COUNT(*) FILTER (WHERE ${within} AND ${recent}) AS recent_n,
            SUM(f) FILTER (WHERE ${within} AND ${recent}) AS recent_f,
            COUNT(*) FILTER (WHERE ${within} AND ${previous}) AS previous_n,
            NULL AS id, NULL AS event_date, NULL AS latitude, NULL AS longitude
       FROM measured GROUP BY 2, 3
     UNION ALL
     SELECT CASE WHEN d > CAST(${inner} AS DOUBLE PRECISION) THEN 'edge' ELSE 'near' END, NULL, actor, 1, f,
            NULL, NULL, NULL, id, event_date, latitude, longitude
       FROM measured
      WHERE d <= CAST(${outer} AS DOUBLE PRECISION) AND (d > CAST(${inner} AS DOUBLE PRECISION)
         OR (${recent} AND d <= COALESCE(
               (SELECT d FROM measured WHERE ${recent} AND d <= CAST(${outer} AS DOUBLE PRECISION)
                ORDER BY d LIMIT 1 OFFSET 9) + CAST(${slack2} AS DOUBLE PRECISION),
               CAST(${outer} AS DOUBLE PRECISION))))`,
    params.values,
  );
  // Candidates for the nearest recent events: the ten nearest by the store's distance, and every event
  // within twice the slack of the tenth, so that the exact ten are among them.
  const candidates: (NearRow & { distanceKm: number })[] = [];
  for (const r of result) {
    if (r.part === 'tally') {
      if (Number(r.n) === 0) continue;
      tally.add(Number(r.year), r.actor, Number(r.n), Number(r.f));
      tally.recentEvents += Number(r.recent_n ?? 0);
      tally.recentFatalities += Number(r.recent_f ?? 0);
      tally.previousEvents += Number(r.previous_n ?? 0);
      continue;
    }
    const row: NearRow = {
      id: r.id as string,
      event_date: r.event_date as string,
      latitude: Number(r.latitude),
      longitude: Number(r.longitude),
      f: Number(r.f),
      actor: r.actor,
    };
    const distanceKm = distanceToGeometryKm(row.latitude, row.longitude, options.geometry);
    if (distanceKm > radiusKm) continue;
    if (r.part === 'edge') tally.addEvent(row, w);
    if (isRecent(row, w)) candidates.push({ ...row, distanceKm });
  }
  return candidates;
}

/**
 * Events and fatalities within a distance of a site (a point, a line such as a railway, or an area),
 * by year and by actor, the nearest recent events, the recent trend and a risk score with its parts.
 * The store narrows events to the site's box; exact distances are the JavaScript ones (geo.ts), the same
 * on every store: for lines the store computes them too and tallies all but the events on the edge of the
 * radius; points, areas and very long lines are measured in JavaScript. Without filters, the sums by
 * position (exposure-places.ts) answer instead of the events, with the same result.
 *
 * @example await exposure(store, { geometry: { type: 'Point', coordinates: [62.27, 29.0] }, radiusKm: 50, filter: {} })
 */
export async function exposure(db: Queryable, options: ExposureOptions): Promise<ExposureResult> {
  const radiusKm = Math.max(0, Math.min(options.radiusKm ?? 50, 2000));
  const recentMonths = Math.max(1, Math.min(options.recentMonths ?? 12, 120));
  const coverageQuery = dataCoverage(db, options.filter);
  coverageQuery.catch(() => undefined);
  const needsCoverage = !options.asOf && !options.filter.to;
  const end = recentEnd(needsCoverage ? await coverageQuery : { last: null, lastReport: null }, {
    asOf: options.asOf,
    to: options.filter.to,
  });
  const asOf = end.asOf;
  const recentFrom = asOf ? windowStart(asOf, recentMonths) : null;
  const previousFrom = recentFrom ? addMonths(recentFrom, -recentMonths) : null;
  const w: Windows = { asOf, recentFrom, previousFrom };

  const [west, south, east, north] = expandBbox(geometryBbox(options.geometry), radiusKm);
  // One box over everything (pushed into the scan), then a corridor of boxes, then the conservative
  // distance test, with cos(latitude) computed once per row.
  const corridor = (params: Params, measuredInStore: boolean) => {
    const box = `e.latitude BETWEEN ${params.add(south)} AND ${params.add(north)} AND e.longitude BETWEEN ${params.add(west)} AND ${params.add(east)}`;
    const boxes = coveringBoxes(options.geometry, radiusKm)
      .map(
        ([w_, s, e_, n]) =>
          `(e.latitude BETWEEN ${params.add(s)} AND ${params.add(n)} AND e.longitude BETWEEN ${params.add(w_)} AND ${params.add(e_)})`,
      )
      .join(' OR ');
    const where = `${box} AND (${boxes}) AND ${filterSql(options.filter, params)}`;
    const near = measuredInStore
      ? nearLineSql(options.geometry, radiusKm, south, north, params)
      : nearSql(options.geometry, radiusKm, params);
    return `SELECT e.id, e.event_date, e.latitude, e.longitude, e.f, e.actor, e.k FROM (
       SELECT e.id, e.event_date, e.latitude, e.longitude, COALESCE(e.fatalities_best, 0) AS f,
              COALESCE(e.actor1_id, e.actor1) AS actor, COS(e.latitude * PI() / 180.0) AS k
       FROM events e WHERE ${where}
     ) e WHERE ${near}`;
  };

  const tally = new Tally();
  let recentWithin =
    options.fromEvents || !keepsEveryEvent(options.filter)
      ? null
      : await tallyFromPlaces(db, options.geometry, radiusKm, [west, south, east, north], w, tally);
  recentWithin ??= await tallyInStore(db, options, radiusKm, corridor, w, tally);
  if (!recentWithin) {
    const params = new Params(db.dialect);
    const rows = await db.query<NearRow & { k: number }>(corridor(params, false), params.values);
    recentWithin = [];
    for (const r of rows) {
      const distanceKm = distanceToGeometryKm(r.latitude, r.longitude, options.geometry);
      if (distanceKm > radiusKm) continue;
      const row = { ...r, f: Number(r.f) };
      tally.addEvent(row, w);
      if (isRecent(row, w)) recentWithin.push({ ...row, distanceKm });
    }
  }
  const coverage = await coverageQuery;
  const { years, actors, recentEvents, previousEvents, recentFatalities } = tally;
  const closest = recentWithin.sort(nearestFirst).slice(0, 10);
  const topActors = [...actors.values()]
    .sort((a, b) => b.events - a.events || a.actor.localeCompare(b.actor))
    .slice(0, 20);
  // The sums-by-position path reads its nearest events with their details; the events path reads them here.
  const details = new Map<string, EventDetails>();
  for (const r of closest) if (r.details) details.set(r.id, r.details);
  const names = new Map<string, string>();
  const unread = closest.filter((r) => !details.has(r.id));
  if (unread.length) {
    const p = new Params(db.dialect);
    for (const row of await db.query<DetailsRow>(
      `SELECT e.id, ${DETAILS_COLUMNS} FROM events e LEFT JOIN actors a ON a.id = e.actor1_id
       WHERE e.id IN (${p.list(unread.map((r) => r.id))})`,
      p.values,
    )) {
      details.set(row.id, detailsOf(row));
    }
  }
  if (topActors.length) {
    const q = new Params(db.dialect);
    // A small table: remembered until the next write where the store counts its writes (DuckDB).
    for (const row of await readUntilWrite<{ id: string; name: string }>(
      db,
      `SELECT id, name FROM actors WHERE id IN (${q.list(topActors.map((a) => a.actor))})`,
      q.values,
    )) {
      names.set(row.id, row.name);
    }
  }
  // Actors the store has no entry for are named from the shipped registry, else shown by their key.
  registry ??= ActorRegistry.seeded();
  for (const a of topActors) {
    if (!names.has(a.actor)) {
      const known = registry.resolve(a.actor);
      if (known) names.set(a.actor, known.name);
    }
  }
  const nearestRecent = closest.map((r) => {
    const d = details.get(r.id);
    return {
      id: r.id,
      date: r.event_date,
      distanceKm: round1(r.distanceKm),
      actor: d?.actor ?? r.actor,
      eventType: d?.eventType ?? null,
      location: d?.location ?? null,
      admin2: d?.admin2 ?? null,
      geoPrecision: d?.geoPrecision ?? null,
      fatalities: r.f,
    };
  });
  const changePct = pctChange(recentEvents, previousEvents);
  // an area's centre is no measure of how close the violence came
  const nearest = nearestRecent.find((e) => !placedCoarsely(e))?.distanceKm ?? null;
  const parts: RiskPart[] = [
    {
      name: 'intensity',
      measured: recentEvents,
      unit: `events within ${radiusKm} km in the last ${recentMonths} months`,
      score: logScale(recentEvents, 50),
      weight: RISK_WEIGHTS.intensity,
      points: 0,
      why: 'more events nearby, more exposure; saturates at 50',
    },
    {
      name: 'lethality',
      measured: recentFatalities,
      unit: `fatalities within ${radiusKm} km in the last ${recentMonths} months`,
      score: logScale(recentFatalities, 100),
      weight: RISK_WEIGHTS.lethality,
      points: 0,
      why: 'deadlier violence nearby; saturates at 100 deaths',
    },
    {
      name: 'proximity',
      measured: nearest,
      unit: "km to the nearest recent event not placed at an area's centre",
      score: nearest === null || radiusKm === 0 ? 0 : 1 - Math.min(1, nearest / radiusKm),
      weight: RISK_WEIGHTS.proximity,
      points: 0,
      why: 'recent violence at the site itself scores 1, at the edge of the radius 0',
    },
    {
      name: 'trend',
      measured: changePct,
      unit: `% change against the previous ${recentMonths} months`,
      score: trendScore(recentEvents, previousEvents),
      weight: RISK_WEIGHTS.trend,
      points: 0,
      why: `rising violence scores up to 1 at +100 % (or new violence where there was none); falling, or a change of fewer than ${BAND_RULES.minAbsoluteChange} events (the trend band's "stable"), scores 0`,
    },
  ];
  for (const part of parts) {
    part.score = Math.round(part.score * 1000) / 1000;
    part.points = round1(part.score * part.weight);
  }
  const score = Math.round(parts.reduce((n, p) => n + p.points, 0));
  return {
    radiusKm,
    asOf,
    recent: asOf && recentFrom ? { from: recentFrom, to: asOf, endsAt: end.endsAt, why: end.why } : null,
    coverage,
    events: tally.events,
    fatalities: tally.fatalities,
    byYear: [...years.entries()].sort((a, b) => a[0] - b[0]).map(([year, v]) => ({ year, ...v })),
    byActor: topActors.map((a) => ({ ...a, actor: names.get(a.actor) ?? a.actor })),
    nearestRecent,
    trend: {
      recentEvents,
      previousEvents,
      changePct,
      band: trendBand(recentEvents, previousEvents),
    },
    risk: {
      score,
      level: score >= 75 ? 'severe' : score >= 50 ? 'high' : score >= 25 ? 'elevated' : 'low',
      parts,
    },
  };
}
