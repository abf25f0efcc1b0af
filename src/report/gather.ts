import {
  type ClaimCheck,
  checkClaim,
  claimFromExtraction,
  withActorsFromText,
} from '../analyse/claim-check.ts';
import { type Coverage, dataCoverage } from '../analyse/coverage.ts';
import { type ExposureResult, exposure } from '../analyse/exposure.ts';
import { type QuestionFilter, resolveFilter } from '../analyse/filter.ts';
import { forecastFromStore } from '../analyse/forecast/run.ts';
import { type NetworkResult, network } from '../analyse/network.ts';
import { findSite, listSites, type Site } from '../analyse/sites.ts';
import { type SpreadResult, spread } from '../analyse/spread.ts';
import { anyTollStated } from '../analyse/tolls.ts';
import { type TrendResult, trend } from '../analyse/trend.ts';
import type { ExtractionResult } from '../schema/extraction.ts';
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
  /** `tollUnknown`: no selected event states its toll, so `fatalities` 0 is unknown, not none. */
  totals: { events: number; fatalities: number; tollUnknown: boolean; districts: number; actors: number };
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
  forecast: ReportForecast | null;
  /** Trend claims the stored news documents make, each checked against the store under the filter. */
  claims: ReportClaim[];
}

/** A claim read from a stored news document ("attacks … increased by 119 per cent between 2023 and 2024"). */
export interface ReportClaim {
  document: { id: string; title: string | null; source: string | null; published: string };
  /** The sentence the claim was read from. */
  quote: string;
  check: ClaimCheck;
}

/** The forecasting stage's outlook, summed to the whole filter per month, and the districts to watch. */
export interface ReportForecast {
  origin: string;
  /** Per month: expected events and the 80 % interval (summed over provinces when there are several). */
  points: ForecastPoint[];
  /** Districts with the most events expected in the first forecast month. */
  districts: { name: string; month: string; mean: number; low: number; high: number }[];
  model: string;
}

export interface GatherOptions {
  title?: string;
  /** Site ids or names; default every stored site. */
  sites?: readonly string[];
  radiusKm?: number;
  now?: () => Date;
  /** Months ahead to forecast (0: no forecast section; default 6). */
  forecastMonths?: number;
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
  const lastYear = last === null ? null : Number(last.slice(0, 4));
  // A year the data sets stop in is partial; so is any year after it (events there come from news text,
  // which tells of what it tells, not of everything that happened).
  const byYear = yearRows
    .map((r) => {
      const year = Number(r.keys.year);
      return {
        year,
        events: r.events,
        fatalities: r.fatalities,
        partial:
          last !== null &&
          lastYear !== null &&
          (year > lastYear || (year === lastYear && last.slice(5) !== '12-31')),
      };
    })
    .sort((a, b) => a.year - b.year);

  const partial = byYear.find((y) => y.partial && y.year === lastYear);
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
      tollUnknown:
        (stats[0]?.events ?? 0) > 0 && stats[0]?.fatalities === 0 && !(await anyTollStated(store, filter)),
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
    forecast: await outlook(store, filter, options.forecastMonths ?? 6, coverage.last),
    claims: await documentClaims(store, filter),
  };
}

/** At most this many claims: a brief, not an audit of every column ever ingested. */
const MAX_CLAIMS = 6;

/**
 * The trend claims of the stored news documents, newest document first, each once, checked as `sitrep
 * check --text` checks them (the claim's own periods; the filter's places and sources, not its dates).
 */
async function documentClaims(store: Store, filter: EventFilter): Promise<ReportClaim[]> {
  const rows = await store.query<{
    id: string;
    title: string | null;
    source: string | null;
    published: string;
    text: string;
    extraction: string | null;
  }>(
    `SELECT id, title, source, CAST(published AS VARCHAR) AS published, text, extraction
     FROM documents WHERE extraction IS NOT NULL ORDER BY published DESC, id LIMIT 200`,
  );
  const out: ReportClaim[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const extracted = JSON.parse(row.extraction ?? '{}') as Partial<ExtractionResult>;
    for (const c of extracted.claims ?? []) {
      if (!c.from || !c.to || out.length >= MAX_CLAIMS) continue;
      const quote = row.text.slice(c.evidence.start, c.evidence.end);
      const claim = await withActorsFromText(
        store,
        claimFromExtraction({ ...c, from: c.from, to: c.to, evidence: quote }),
      );
      const key = JSON.stringify([claim.metric, claim.actors, claim.from, claim.to, claim.changePct]);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        document: { id: row.id, title: row.title, source: row.source, published: row.published },
        quote,
        check: await checkClaim(store, claim, filter),
      });
    }
  }
  return out;
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

/**
 * The forecast after the filter's period, or null when it cannot be made (too little data, no places).
 * Dates are left out of the filter: the model needs the history; `to` sets where the forecast starts,
 * else the end of the data sets (`dataLast`): an article telling of October must not make a data set
 * that stops in June look like four quiet months, from which the forecast would start low.
 */
async function outlook(
  store: Store,
  filter: EventFilter,
  horizon: number,
  dataLast: string | null,
): Promise<ReportForecast | null> {
  if (horizon <= 0) return null;
  const { from: _from, to, ...rest } = filter;
  const until = (to ?? dataLast)?.slice(0, 7);
  try {
    const query = { horizon, filter: rest, ...(until ? { until } : {}) };
    const [provinces, districts] = await Promise.all([
      forecastFromStore(store, { ...query, level: 'admin1' }),
      forecastFromStore(store, { ...query, level: 'admin2' }),
    ]);
    const first = districts.forecasts.map((f) => f.month).sort()[0];
    return {
      origin: provinces.origin,
      // the total's own interval, not the sum of the provinces' intervals (see totalPrediction)
      points: provinces.totals.map((t) => ({
        period: t.month,
        mid: t.events.mean,
        low: t.events.intervals[80][0],
        high: t.events.intervals[80][1],
      })),
      districts: districts.forecasts
        .filter((f) => f.month === first)
        .sort((a, b) => b.events.mean - a.events.mean)
        .slice(0, 8)
        .map((f) => ({
          name: f.unit,
          month: f.month,
          mean: f.events.mean,
          low: f.events.intervals[80][0],
          high: f.events.intervals[80][1],
        })),
      model: provinces.model.family,
    };
  } catch {
    return null;
  }
}

function defaultTitle(q: QuestionFilter): string {
  const who = [...(q.groups ?? []), ...(q.actors ?? [])].join(', ');
  const where = [...(q.admin2 ?? []), ...(q.admin1 ?? [])].join(', ');
  return ['Situation brief', who, where].filter(Boolean).join(' — ');
}
