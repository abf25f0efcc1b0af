import { type Coverage, dataCoverage } from '../analyse/coverage.ts';
import { type ExposureResult, exposure } from '../analyse/exposure.ts';
import { type QuestionFilter, resolveFilter } from '../analyse/filter.ts';
import { type NetworkResult, network } from '../analyse/network.ts';
import { findSite, listSites, type Site } from '../analyse/sites.ts';
import { type SpreadResult, spread } from '../analyse/spread.ts';
import { type TrendResult, trend } from '../analyse/trend.ts';
import type { EventFilter } from '../schema/index.ts';
import { type DistrictsResponse, districtChoropleth } from '../serve/routes/districts.ts';
import type { SqlParam, Store } from '../store/contract.ts';
import { filterSql, Params } from '../store/filter-sql.ts';
import { type Boundary, defaultBoundaries } from '../web/boundaries.ts';
import type { ForecastPoint, TimelineBucket } from '../web/svg/timeline.ts';

/** Everything a brief shows, gathered from the store through the analysis functions. */
export interface ReportData {
  title: string;
  generatedAt: string;
  question: QuestionFilter;
  filter: EventFilter;
  coverage: Coverage;
  /** First and last event date among the events the filter selects. */
  span: { first: string | null; last: string | null };
  totals: { events: number; fatalities: number; districts: number; actors: number };
  byYear: { year: number; events: number; fatalities: number; partial: boolean }[];
  /** The latest, incomplete year so far against the same days of the year before (like for like). */
  yearToDate: {
    year: number;
    to: string;
    events: number;
    fatalities: number;
    previousEvents: number;
    previousFatalities: number;
  } | null;
  timeline: TimelineBucket[];
  districts: DistrictsResponse;
  provinces: Boundary[];
  actorTrend: TrendResult;
  spread: SpreadResult;
  network: NetworkResult;
  sites: { site: Site; exposure: ExposureResult }[];
  /** Sites asked for by name that the store does not hold. */
  missingSites: string[];
  forecast: ForecastPoint[];
}

export interface GatherOptions {
  title?: string;
  /** Site ids or names; default every stored site. */
  sites?: readonly string[];
  radiusKm?: number;
  now?: () => Date;
  /** Monthly event forecast for the filter, when a forecasting stage provides one. */
  forecast?: (store: Store, filter: EventFilter) => Promise<ForecastPoint[]>;
}

/**
 * Runs every question the brief answers over one filter. Each analysis is the same function the
 * API and CLI call, so the brief and the dashboard agree.
 */
export async function gatherReport(
  store: Store,
  question: QuestionFilter,
  options: GatherOptions = {},
): Promise<ReportData> {
  const now = options.now ?? (() => new Date());
  const { filter } = await resolveFilter(store, question);
  const [coverage, stats, yearRows, monthRows, districts, actorTrend, spreadResult, net] = await Promise.all([
    dataCoverage(store, filter),
    store.stats([], filter),
    store.stats(['year'], filter),
    store.stats(['month', 'event_type'], filter),
    districtChoropleth(store, filter),
    trend(store, { by: 'actor', period: 'year', filter, limit: 10 }),
    spread(store, { filter }),
    network(store, { filter, limit: 24 }),
  ]);
  const [span] = await store.query<{ first: string | null; last: string | null; actors: number }>(
    ...spanQuery(filter),
  );

  const requested = options.sites ?? null;
  const sites: Site[] = [];
  const missingSites: string[] = [];
  if (requested) {
    for (const name of requested) {
      const site = await findSite(store, name);
      if (site) sites.push(site);
      else missingSites.push(name);
    }
  } else {
    sites.push(...(await listSites(store)));
  }
  const exposures = [];
  for (const site of sites.slice(0, 12)) {
    exposures.push({
      site,
      exposure: await exposure(store, { geometry: site.geometry, filter, radiusKm: options.radiusKm ?? 50 }),
    });
  }

  const buckets = new Map<string, TimelineBucket>();
  for (const r of monthRows) {
    const period = String(r.keys.month);
    const b = buckets.get(period) ?? { period, byType: {} };
    b.byType[String(r.keys.event_type ?? 'Unknown')] = { events: r.events, fatalities: r.fatalities };
    buckets.set(period, b);
  }
  const last = coverage.last;
  const byYear = yearRows
    .map((r) => ({
      year: Number(r.keys.year),
      events: r.events,
      fatalities: r.fatalities,
      partial: last !== null && Number(last.slice(0, 4)) === Number(r.keys.year) && last.slice(5) !== '12-31',
    }))
    .sort((a, b) => a.year - b.year);

  const partial = byYear.find((y) => y.partial);
  let yearToDate: ReportData['yearToDate'] = null;
  if (partial && last) {
    const prevTo = `${partial.year - 1}${last.slice(4)}`.replace(/-02-29$/, '-02-28');
    const [before] = await store.stats([], { ...filter, from: `${partial.year - 1}-01-01`, to: prevTo });
    yearToDate = {
      year: partial.year,
      to: last,
      events: partial.events,
      fatalities: partial.fatalities,
      previousEvents: before?.events ?? 0,
      previousFatalities: before?.fatalities ?? 0,
    };
  }

  return {
    title: options.title ?? defaultTitle(question),
    generatedAt: now().toISOString(),
    question,
    filter,
    coverage,
    span: { first: span?.first ?? null, last: span?.last ?? null },
    totals: {
      events: stats[0]?.events ?? 0,
      fatalities: stats[0]?.fatalities ?? 0,
      districts:
        districts.features.filter((f) => f.properties.events > 0).length + districts.unmatched.length,
      actors: Number(span?.actors ?? 0),
    },
    byYear,
    yearToDate,
    timeline: [...buckets.values()].sort((a, b) => a.period.localeCompare(b.period)),
    districts,
    provinces: defaultBoundaries().provinces,
    actorTrend,
    spread: spreadResult,
    network: net,
    sites: exposures,
    missingSites,
    forecast: options.forecast ? await options.forecast(store, filter).catch(() => []) : [],
  };
}

function spanQuery(filter: EventFilter): [string, SqlParam[]] {
  const params = new Params();
  return [
    `SELECT MIN(e.event_date) AS first, MAX(e.event_date) AS last,
            COUNT(DISTINCT COALESCE(e.actor1_id, e.actor1)) AS actors
     FROM events e WHERE ${filterSql(filter, params)}`,
    params.values,
  ];
}

function defaultTitle(q: QuestionFilter): string {
  const who = [...(q.groups ?? []), ...(q.actors ?? [])].join(', ');
  const where = [...(q.admin2 ?? []), ...(q.admin1 ?? [])].join(', ');
  return ['Situation brief', who, where].filter(Boolean).join(' — ');
}
