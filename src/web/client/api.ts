import type { MapArea, MapOutline, MapPoint } from '../svg/map.ts';
import type { NetworkEdge, NetworkNode } from '../svg/network.ts';
import type { ForecastPoint, TimelineBucket } from '../svg/timeline.ts';
import { filterParams, type ViewState } from './state.ts';

/**
 * The dashboard's only door to data: `/api` on the same origin. Everything arrives aggregated by the
 * store (counts per district, per period, per actor pair); single events only in small pages.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function getJson<T>(path: string, params?: URLSearchParams, signal?: AbortSignal): Promise<T> {
  const url = params && [...params.keys()].length ? `${path}?${params}` : path;
  const response = await fetch(url, { signal: signal ?? null, headers: { accept: 'application/json' } });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: unknown; message?: unknown };
      message = String(body.error ?? body.message ?? message);
    } catch {
      // the status line is the best we have
    }
    throw new ApiError(response.status, `${path}: ${message}`);
  }
  return (await response.json()) as T;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v ?? 0) || 0);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

export interface Meta {
  first: string | null;
  last: string | null;
  /** How precisely `first` and `last` are known ('day', 'week', 'month', 'year'). */
  firstPrecision: string | null;
  lastPrecision: string | null;
  events: number;
  eventTypes: string[];
  admin1: string[];
  admin2: { name: string; admin1: string | null }[];
  actors: { name: string; events: number }[];
  groups: string[];
  /** Data sets with their event counts ("text": events read from news documents). */
  sources: { name: string; events: number }[];
}

interface MetaJson {
  events: number;
  firstDate: string | null;
  lastDate: string | null;
  firstDatePrecision?: string | null;
  lastDatePrecision?: string | null;
  admin1: { name: string; events: number }[];
  admin2: { name: string; admin1: string | null; events: number }[];
  eventTypes: { name: string; events: number }[];
  actors: { id: string; name: string; events: number }[];
  groups: { name: string }[];
  sources?: { name: string; events: number }[];
}

/** What the store holds, for the filter choices (`/api/meta`). */
export async function fetchMeta(signal?: AbortSignal): Promise<Meta> {
  const raw = await getJson<MetaJson>('/api/meta', undefined, signal);
  return {
    first: raw.firstDate,
    last: raw.lastDate,
    firstPrecision: raw.firstDatePrecision ?? null,
    lastPrecision: raw.lastDatePrecision ?? null,
    events: num(raw.events),
    eventTypes: raw.eventTypes.map((t) => t.name),
    admin1: raw.admin1.map((a) => a.name),
    admin2: raw.admin2.map((a) => ({ name: a.name, admin1: a.admin1 })),
    actors: raw.actors.map((a) => ({ name: a.name, events: num(a.events) })),
    groups: raw.groups.map((g) => g.name),
    sources: (raw.sources ?? []).map((x) => ({ name: x.name, events: num(x.events) })),
  };
}

export interface Totals {
  events: number;
  fatalities: number;
  /** No matching event states its toll: `fatalities` 0 is unknown, not none. */
  tollUnknown: boolean;
}

/** Events and fatalities for the whole filter, from `/api/stats` with no grouping. */
export async function fetchTotals(state: ViewState, signal?: AbortSignal): Promise<Totals> {
  const raw = await getJson<Record<string, unknown>>('/api/stats', filterParams(state), signal);
  const rows = (raw.rows ?? raw.stats ?? []) as Record<string, unknown>[];
  const total = (raw.total ?? raw.totals) as Record<string, unknown> | undefined;
  const tollUnknown = raw.tollUnknown === true;
  if (total) return { events: num(total.events), fatalities: num(total.fatalities), tollUnknown };
  return {
    events: rows.reduce((s, r) => s + num(r.events), 0),
    fatalities: rows.reduce((s, r) => s + num(r.fatalities), 0),
    tollUnknown,
  };
}

interface StatRowJson {
  keys: Record<string, string | number | null>;
  events: number;
  fatalities: number;
}

async function fetchStats(
  by: string[],
  state: ViewState,
  signal?: AbortSignal,
  dates = true,
): Promise<StatRowJson[]> {
  const q = filterParams(state, { dates });
  q.set('by', by.join(','));
  const raw = await getJson<Record<string, unknown>>('/api/stats', q, signal);
  const rows = (Array.isArray(raw) ? raw : (raw.rows ?? raw.stats ?? [])) as Record<string, unknown>[];
  return rows.map((r) => ({
    keys: ((r.keys as Record<string, string | number | null>) ?? r) as Record<string, string | number | null>,
    events: num(r.events),
    fatalities: num(r.fatalities),
  }));
}

/** Events per event type under every filter except the type filter (facet counts for the type list). */
export async function fetchTypeCounts(state: ViewState, signal?: AbortSignal): Promise<Map<string, number>> {
  const rows = await fetchStats(['event_type'], { ...state, types: [] }, signal);
  return new Map(rows.map((r) => [String(r.keys.event_type ?? 'Unknown'), r.events]));
}

/** The timeline's bars, and the months that hold matching events (the headline's period). */
export interface Timeline {
  buckets: TimelineBucket[];
  /** YYYY-MM of every month with a matching event, in order (weeks would start in the month before). */
  months: string[];
  /**
   * Events known only to their year, by year (YYYY, in order): left out of `buckets` and `months`, where
   * their stored day (the 1st of January) would draw them as January's.
   */
  yearOnly: YearOnly[];
}

export interface YearOnly {
  year: string;
  events: number;
  fatalities: number;
}

/** Events and fatalities per month by event type for the timeline; dates are not filtered, so the brush shows context. */
export async function fetchTimeline(state: ViewState, signal?: AbortSignal): Promise<Timeline> {
  const [allMonthly, byPrecision] = await Promise.all([
    timelineBuckets('month', state, signal),
    fetchStats(['precision', 'year'], state, signal, false),
  ]);
  const yearOnly = byPrecision
    .filter((r) => r.keys.precision === 'year' && r.keys.year !== null)
    .map((r) => ({ year: String(r.keys.year), events: r.events, fatalities: r.fatalities }))
    .sort((a, b) => a.year.localeCompare(b.year));
  const withoutYearOnly = async (period: 'month' | 'week', buckets: TimelineBucket[]) =>
    yearOnly.length
      ? leaveOut(buckets, await fetchStats(['precision', period, 'event_type'], state, signal, false))
      : buckets;
  const monthly = await withoutYearOnly('month', allMonthly);
  const months = monthly
    .filter((b) => Object.values(b.byType).some((x) => x.events > 0))
    .map((b) => b.period.slice(0, 7));
  // A short record reads better by week: a year and a half of months is under 80 weeks.
  return {
    buckets:
      monthly.length > 0 && monthly.length <= WEEKLY_UP_TO_MONTHS
        ? await withoutYearOnly('week', await timelineBuckets('week', state, signal))
        : monthly,
    months,
    yearOnly,
  };
}

/**
 * The buckets without the year-precision events of `byPrecision` (rows by precision, period and type), and
 * without the periods left empty: a year known only as a year draws no bar.
 */
function leaveOut(buckets: readonly TimelineBucket[], byPrecision: readonly StatRowJson[]): TimelineBucket[] {
  const out = buckets.map((b) => ({ period: b.period, byType: { ...b.byType } }));
  const byPeriod = new Map(out.map((b) => [b.period, b]));
  for (const r of byPrecision) {
    if (r.keys.precision !== 'year') continue;
    const bucket = byPeriod.get(String(r.keys.month ?? r.keys.week ?? ''));
    const type = String(r.keys.event_type ?? 'Unknown');
    const counts = bucket?.byType[type];
    if (!bucket || !counts) continue;
    const left = { events: counts.events - r.events, fatalities: counts.fatalities - r.fatalities };
    if (left.events > 0) bucket.byType[type] = left;
    else delete bucket.byType[type];
  }
  return out.filter((b) => Object.values(b.byType).some((x) => x.events > 0));
}

const WEEKLY_UP_TO_MONTHS = 18;

async function timelineBuckets(
  period: 'month' | 'week',
  state: ViewState,
  signal?: AbortSignal,
): Promise<TimelineBucket[]> {
  const rows = await fetchStats([period, 'event_type'], state, signal, false);
  const buckets = new Map<string, TimelineBucket>();
  for (const r of rows) {
    const period = String(r.keys.month ?? r.keys.week ?? '');
    if (!period) continue;
    const type = String(r.keys.event_type ?? 'Unknown');
    const b = buckets.get(period) ?? { period, byType: {} };
    b.byType[type] = { events: r.events, fatalities: r.fatalities };
    buckets.set(period, b);
  }
  return [...buckets.values()].sort((a, b) => a.period.localeCompare(b.period));
}

export interface DistrictCount {
  name: string;
  admin1: string | null;
  events: number;
  fatalities: number;
  geometry?: MapArea['geometry'];
}

/**
 * Events and fatalities per district, with polygons when the API sends them (`/api/districts`);
 * else counts per admin2 from `/api/stats`, matched to the shipped boundaries by name.
 */
export async function fetchDistricts(state: ViewState, signal?: AbortSignal): Promise<DistrictCount[]> {
  let raw: {
    features?: { properties: Record<string, unknown>; geometry: MapArea['geometry'] }[];
    unmatched?: { admin2: string; admin1: string | null; events: number; fatalities: number }[];
  };
  try {
    raw = await getJson('/api/districts', filterParams(state), signal);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    const rows = await fetchStats(['admin2', 'admin1'], state, signal);
    return rows
      .filter((r) => r.keys.admin2 !== null && r.keys.admin2 !== undefined)
      .map((r) => ({
        name: String(r.keys.admin2),
        admin1: r.keys.admin1 === null ? null : String(r.keys.admin1),
        events: r.events,
        fatalities: r.fatalities,
      }));
  }
  const onMap: DistrictCount[] = (raw.features ?? []).map((f) => ({
    name: str(f.properties.name ?? f.properties.admin2 ?? f.properties.district) ?? '',
    admin1: str(f.properties.admin1 ?? f.properties.province),
    events: num(f.properties.events),
    fatalities: num(f.properties.fatalities),
    geometry: f.geometry,
  }));
  // District names with no polygon still count as districts hit (as in the brief); the map names them.
  const offMap: DistrictCount[] = (raw.unmatched ?? []).map((u) => ({
    name: u.admin2,
    admin1: u.admin1,
    events: num(u.events),
    fatalities: num(u.fatalities),
  }));
  return [...onMap, ...offMap];
}

export interface BoundaryAsset {
  districts: { name: string; parent: string | null; geometry: MapArea['geometry'] }[];
  provinces: MapOutline[];
}

let boundaryCache: Promise<BoundaryAsset> | undefined;
export function fetchBoundaries(): Promise<BoundaryAsset> {
  boundaryCache ??= getJson<BoundaryAsset>('/assets/boundaries.json');
  return boundaryCache;
}

/** Single events (at most `limit`) as map points, from the GeoJSON form of `/api/events`. */
export async function fetchPoints(
  state: ViewState,
  limit: number,
  signal?: AbortSignal,
): Promise<MapPoint[]> {
  const q = filterParams(state);
  q.set('format', 'geojson');
  q.set('limit', String(limit));
  const raw = await getJson<{
    features?: {
      properties: Record<string, unknown>;
      geometry: { type: string; coordinates: number[] } | null;
    }[];
  }>('/api/events', q, signal);
  const out: MapPoint[] = [];
  for (const f of raw.features ?? []) {
    if (f.geometry?.type !== 'Point') continue;
    const [lon, lat] = f.geometry.coordinates as [number, number];
    const p = f.properties;
    const fatalities = p.fatalities;
    out.push({
      lon,
      lat,
      events: 1,
      fatalities:
        typeof fatalities === 'object' && fatalities
          ? num((fatalities as Record<string, unknown>).best)
          : num(fatalities),
      id: String(p.id ?? ''),
      eventType: str(p.eventType ?? p.event_type),
      label: `${str(p.eventDate ?? p.event_date) ?? ''} · ${str(p.eventType ?? p.event_type) ?? 'event'} · ${str(p.location) ?? ''}`,
    });
  }
  return out;
}

export interface EventRow {
  id: string;
  eventDate: string;
  /** day, week, month or year: how much of eventDate the source gave (null: day). */
  timePrecision: string | null;
  eventType: string | null;
  subEventType: string | null;
  actor1: string | null;
  actor2: string | null;
  admin1: string | null;
  admin2: string | null;
  location: string | null;
  /** Best estimate; null when the source gives no toll (a news text that is silent on deaths). */
  fatalities: number | null;
  source: string;
}

/** A count's best estimate ({low, best, high} or a bare number); null when the source gives none. */
function bestCount(value: unknown): number | null {
  const best = value !== null && typeof value === 'object' ? (value as { best?: unknown }).best : value;
  return best === null || best === undefined ? null : num(best);
}

export async function fetchEvents(
  state: ViewState,
  limit: number,
  signal?: AbortSignal,
): Promise<{ events: EventRow[]; total: number | null; warnings: string[] }> {
  const q = filterParams(state);
  q.set('limit', String(limit));
  const raw = await getJson<Record<string, unknown>>('/api/events', q, signal);
  const list = (raw.events ?? raw.items ?? raw.data ?? []) as Record<string, unknown>[];
  return {
    total: raw.total === undefined ? null : num(raw.total),
    // an actor the store does not know (src/serve/routes/unknown-actors.ts)
    warnings: (Array.isArray(raw.warnings)
      ? (raw.warnings as { name?: unknown; suggestion?: unknown }[])
      : []
    )
      .filter((w) => str(w.name) !== null)
      .map((w) => {
        const suggestion = str(w.suggestion);
        return `No actor "${str(w.name)}" in the store${suggestion ? ` — did you mean "${suggestion}"?` : ''}`;
      }),
    events: list.map((e) => ({
      id: String(e.id),
      eventDate: String(e.eventDate ?? ''),
      eventType: str(e.eventType),
      subEventType: str(e.subEventType),
      actor1: str(e.actor1),
      actor2: str(e.actor2),
      admin1: str(e.admin1),
      admin2: str(e.admin2),
      location: str(e.location),
      timePrecision: str(e.timePrecision),
      fatalities: bestCount(e.fatalities),
      source: String(e.source ?? ''),
    })),
  };
}

/** The stored document a text event was read from, as the detail drawer needs it. */
export interface SourceDocument {
  id: string;
  text: string;
  source: string | null;
  url: string | null;
  published: string | null;
}

/**
 * The news document events were extracted from (`/api/documents/{id}`), or null when the server
 * does not have it (unknown id, or a server without documents).
 */
export async function fetchDocument(id: string, signal?: AbortSignal): Promise<SourceDocument | null> {
  try {
    const raw = await getJson<Record<string, unknown>>(
      `/api/documents/${encodeURIComponent(id)}`,
      undefined,
      signal,
    );
    if (typeof raw.text !== 'string') return null;
    return {
      id: String(raw.id ?? id),
      text: raw.text,
      source: str(raw.source),
      url: str(raw.url),
      published: str(raw.published),
    };
  } catch (error) {
    if (signal?.aborted) throw error;
    return null;
  }
}

export async function fetchEvent(id: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const raw = await getJson<Record<string, unknown>>(
    `/api/events/${encodeURIComponent(id)}`,
    undefined,
    signal,
  );
  return (raw.event as Record<string, unknown> | undefined) ?? raw;
}

/** A dated relation between actors: a recorded merger, or one read from news text. */
export interface NetworkRelation {
  kind: string;
  /** Names to show: the words of the text, else the node's label, else the id. */
  source: string;
  target: string;
  date: string | null;
  evidence: string | null;
}

export interface NetworkData {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  relations: NetworkRelation[];
}

export async function fetchNetwork(state: ViewState, signal?: AbortSignal): Promise<NetworkData> {
  const q = filterParams(state);
  q.set('limit', '40');
  const raw = await getJson<{
    nodes?: Record<string, unknown>[];
    edges?: Record<string, unknown>[];
    relations?: Record<string, unknown>[];
  }>('/api/network', q, signal);
  const labels = new Map((raw.nodes ?? []).map((n) => [String(n.id), String(n.label ?? n.name ?? n.id)]));
  const named = (id: unknown, name: unknown) => str(name) ?? labels.get(String(id)) ?? String(id);
  return {
    relations: (raw.relations ?? []).map((r) => ({
      kind: String(r.kind),
      source: named(r.source, r.sourceName),
      target: named(r.target, r.targetName),
      date: str(r.date),
      evidence: str(r.evidence),
    })),
    nodes: (raw.nodes ?? []).map((n) => ({
      id: String(n.id),
      name: String(n.label ?? n.name ?? n.id),
      events: num(n.events),
      kind: str(n.kind),
    })),
    edges: (raw.edges ?? []).map((e) => ({
      source: String(e.source),
      target: String(e.target),
      events: num(e.events),
      first: str(e.first),
      last: str(e.last),
    })),
  };
}

export interface TrendRow {
  key: string;
  label: string;
  current: number;
  previous: number;
}

/** Events by actor in the last two years of the filtered period, from `/api/trend?by=actor&period=year`. */
export async function fetchActorTrend(
  state: ViewState,
  signal?: AbortSignal,
): Promise<{ rows: TrendRow[]; currentLabel: string; previousLabel: string; partial: string | null }> {
  const q = filterParams(state);
  q.set('by', 'actor');
  q.set('period', 'year');
  q.set('limit', '12');
  const raw = await getJson<{
    periods?: string[];
    series?: {
      key: string;
      label: string;
      points: { period: string; events: number; partial?: boolean }[];
    }[];
  }>('/api/trend', q, signal);
  const periods = raw.periods ?? [];
  const partialPeriod = periods.find((p) =>
    raw.series?.some((s) => s.points.find((x) => x.period === p)?.partial),
  );
  // Whole years only: a partial latest year would read as a fall.
  const complete = periods.filter((p) => p !== partialPeriod);
  const current = complete[complete.length - 1] ?? '';
  const previous = complete[complete.length - 2] ?? '';
  const rows = (raw.series ?? []).map((s) => ({
    key: s.label ?? s.key,
    label: s.label ?? s.key,
    current: num(s.points.find((p) => p.period === current)?.events),
    previous: num(s.points.find((p) => p.period === previous)?.events),
  }));
  rows.sort((a, b) => b.current + b.previous - (a.current + a.previous));
  const active = rows.filter((r) => r.current + r.previous > 0);
  return {
    rows: active.slice(0, 10),
    currentLabel: current,
    previousLabel: previous,
    partial: partialPeriod ?? null,
  };
}

export interface ClaimResult {
  verdict: string;
  summary: string;
  details: string[];
}

interface CheckJson {
  verdict: string;
  explanation: string;
  definition: string;
  periods: { label: string; value: number; complete: boolean }[];
  alternatives: { definition: string; from: number; to: number; changePct: number | null }[];
  caveats: string[];
  ranking?: { top: { name: string; value: number; claimed: boolean }[] };
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${v > 0 ? '+' : ''}${v}%`);

/** Checks a claim typed as a sentence (`/api/check?claim=…`) within the current filters. */
export async function checkClaim(
  claim: string,
  state: ViewState,
  signal?: AbortSignal,
): Promise<ClaimResult> {
  const q = filterParams(state);
  q.set('claim', claim);
  const raw = await getJson<CheckJson>('/api/check', q, signal);
  return {
    verdict: raw.verdict,
    summary: raw.explanation,
    details: [
      `Counted: ${raw.definition}`,
      raw.periods.map((p) => `${p.label}: ${p.value}${p.complete ? '' : ' (incomplete)'}`).join(' · '),
      ...(raw.ranking
        ? [
            `Top: ${raw.ranking.top.map((r, i) => `${i + 1}. ${r.name}${r.claimed ? ' (claimed)' : ''} ${r.value}`).join(' · ')}`,
          ]
        : []),
      ...raw.alternatives.map((a) => `${a.definition}: ${a.from} → ${a.to} (${pct(a.changePct)})`),
      ...raw.caveats.map((c) => `Caveat: ${c}`),
    ],
  };
}

export interface SiteInfo {
  id: string;
  name: string;
  kind: string | null;
  lon: number;
  lat: number;
}

export async function fetchSites(signal?: AbortSignal): Promise<SiteInfo[]> {
  const raw = await getJson<unknown>('/api/sites', undefined, signal);
  const list = (Array.isArray(raw) ? raw : ((raw as Record<string, unknown>).sites ?? [])) as Record<
    string,
    unknown
  >[];
  return list.map((s) => {
    const g = s.geometry as { type: string; coordinates: unknown } | undefined;
    const bbox = s.bbox as number[] | undefined;
    let lon = 0;
    let lat = 0;
    if (g?.type === 'Point') [lon, lat] = g.coordinates as [number, number];
    else if (bbox)
      [lon, lat] = [((bbox[0] ?? 0) + (bbox[2] ?? 0)) / 2, ((bbox[1] ?? 0) + (bbox[3] ?? 0)) / 2];
    return { id: String(s.id), name: String(s.name), kind: str(s.kind), lon, lat };
  });
}

export async function addSite(
  site: { name: string; kind: string | null; lon: number; lat: number },
  token: string,
): Promise<SiteInfo> {
  const response = await fetch('/api/sites', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      name: site.name,
      kind: site.kind,
      geometry: { type: 'Point', coordinates: [site.lon, site.lat] },
    }),
  });
  if (!response.ok) {
    let message = `${response.status}`;
    try {
      const body = (await response.json()) as Record<string, unknown>;
      message = String(body.error ?? body.message ?? message);
    } catch {
      // keep the status
    }
    throw new ApiError(response.status, message);
  }
  const raw = (await response.json()) as Record<string, unknown>;
  const s = (raw.site ?? raw) as Record<string, unknown>;
  return { id: String(s.id), name: String(s.name), kind: str(s.kind), lon: site.lon, lat: site.lat };
}

export interface ExposureData {
  radiusKm: number;
  events: number;
  fatalities: number;
  byYear: { year: number; events: number; fatalities: number }[];
  byActor: { actor: string; events: number }[];
  nearest: {
    id: string;
    date: string;
    distanceKm: number;
    eventType: string | null;
    location: string | null;
    fatalities: number;
  }[];
  risk: {
    score: number;
    level: string;
    parts: { name: string; points: number; weight: number; why: string }[];
  };
}

export async function fetchExposure(
  siteId: string,
  radiusKm: number,
  state: ViewState,
  signal?: AbortSignal,
): Promise<ExposureData> {
  const q = filterParams(state);
  q.set('site', siteId);
  q.set('radius_km', String(radiusKm));
  const r = await getJson<Record<string, unknown>>('/api/exposure', q, signal);
  const risk = (r.risk ?? {}) as Record<string, unknown>;
  return {
    radiusKm: num(r.radiusKm ?? radiusKm),
    events: num(r.events),
    fatalities: num(r.fatalities),
    byYear: ((r.byYear ?? []) as Record<string, unknown>[]).map((y) => ({
      year: num(y.year),
      events: num(y.events),
      fatalities: num(y.fatalities),
    })),
    byActor: ((r.byActor ?? []) as Record<string, unknown>[]).map((a) => ({
      actor: String(a.actor),
      events: num(a.events),
    })),
    nearest: ((r.nearestRecent ?? r.nearest ?? []) as Record<string, unknown>[]).map((e) => ({
      id: String(e.id),
      date: String(e.date),
      distanceKm: num(e.distanceKm),
      eventType: str(e.eventType),
      location: str(e.location),
      fatalities: num(e.fatalities),
    })),
    risk: {
      score: num(risk.score),
      level: String(risk.level ?? ''),
      parts: ((risk.parts ?? []) as Record<string, unknown>[]).map((p) => ({
        name: String(p.name),
        points: num(p.points),
        weight: num(p.weight),
        why: String(p.why ?? ''),
      })),
    },
  };
}

/** The forecast of the whole filter, one series per measure (the timeline draws the one on screen). */
export interface ForecastSeries {
  events: ForecastPoint[];
  fatalities: ForecastPoint[];
}

interface PredictionJson {
  mean: number;
  intervals: Record<string, [number, number]>;
}

interface TotalForecastJson {
  month: string;
  events: PredictionJson;
  fatalities?: PredictionJson;
}

/**
 * The band of `/api/forecast`'s `totals`: per month, the expected total and the 80 % interval of the
 * total itself (the sum's own distribution). Summing the units' interval ends, as the timeline once
 * did, drew a band far wider than 80 %.
 */
export function forecastSeries(totals: readonly TotalForecastJson[]): ForecastSeries {
  const series: ForecastSeries = { events: [], fatalities: [] };
  for (const measure of ['events', 'fatalities'] as const) {
    series[measure] = totals
      .flatMap((t) => {
        const prediction = t[measure];
        return prediction
          ? [
              {
                period: t.month,
                mid: num(prediction.mean),
                low: num(prediction.intervals['80']?.[0]),
                high: num(prediction.intervals['80']?.[1]),
              },
            ]
          : [];
      })
      .sort((a, b) => a.period.localeCompare(b.period));
  }
  return series;
}

export async function fetchForecast(state: ViewState, signal?: AbortSignal): Promise<ForecastSeries> {
  try {
    const q = filterParams(state, { dates: false });
    q.set('level', 'admin1');
    const raw = await getJson<{ totals?: TotalForecastJson[] }>('/api/forecast', q, signal);
    // The forecasting stage's own shape (as `sitrep forecast --json`): the total's distribution per month.
    return forecastSeries(Array.isArray(raw.totals) ? raw.totals : []);
  } catch {
    return { events: [], fatalities: [] };
  }
}
