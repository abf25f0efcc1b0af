import type { EventFilter } from '../schema/index.ts';
import { eventsMatching } from '../store/actor-events.ts';
import { actorPairRows } from '../store/actor-pair-months.ts';
import type { Queryable } from '../store/contract.ts';
import { Params } from '../store/filter-sql.ts';
import { placeMonthsWhere } from '../store/place-months.ts';
import { actorSide } from './actor-side.ts';
import { type Coverage, dataCoverage } from './coverage.ts';
import { readUntilWrite } from './memo.ts';
import {
  datePartSql,
  daysInclusive,
  type Period,
  periodBounds,
  periodLabel,
  periodPartSql,
  periodRange,
} from './periods.ts';

export const TREND_DIMENSIONS = ['actor', 'admin1', 'admin2', 'event_type', 'sub_event_type'] as const;
export type TrendDimension = (typeof TREND_DIMENSIONS)[number];

export const TREND_BANDS = [
  'large increase',
  'moderate increase',
  'stable',
  'moderate decrease',
  'large decrease',
] as const;
export type TrendBand = (typeof TREND_BANDS)[number];

/**
 * Band thresholds on the change against the mean of the previous N periods, in the spirit of ACLED's
 * Conflict Trendfinder. Changes of fewer than `minAbsoluteChange` events are "stable" whatever the
 * percentage, so that 1 → 3 events is not a "large increase".
 */
export const BAND_RULES = {
  largePct: 50,
  moderatePct: 20,
  minAbsoluteChange: 3,
} as const;

export interface TrendOptions {
  by: TrendDimension;
  period: Period;
  filter: EventFilter;
  /** N for the "against the mean of the previous N periods" comparison. */
  baselinePeriods?: number;
  /** Keep the groups with most events; the rest are summed into none (default 20). */
  limit?: number;
  /** Count from the events even where `actor_pair_months` or `place_months` would answer (tests). */
  fromEvents?: boolean;
}

export interface TrendPoint {
  period: string;
  events: number;
  fatalities: number;
  /** % change in events against the previous period; null when the previous period had none. */
  changePrevPct: number | null;
  /** Mean events over the previous N periods (fewer at the start of the series). */
  baselineMean: number | null;
  changeMeanPct: number | null;
  band: TrendBand | null;
  /** The period runs past the end of the data: its count is incomplete. */
  partial: boolean;
  /**
   * Events scaled to the whole period at the rate seen so far (= events when the period is complete).
   * Bands and changes of a partial period are computed on this pace, not on the incomplete count.
   */
  pace: number;
}

export interface TrendSeries {
  key: string;
  label: string;
  events: number;
  fatalities: number;
  points: TrendPoint[];
}

export interface TrendResult {
  by: TrendDimension;
  period: Period;
  baselinePeriods: number;
  periods: string[];
  coverage: Coverage;
  series: TrendSeries[];
  /**
   * Events the question matched that lie in no period: periods span the data sets' coverage, and events
   * read from news text dated before or after it are left out (one article does not make a data set run
   * on, and a period past the data's end would read as a collapse). `first` and `last` are their periods.
   */
  outsideCoverage: { events: number; fatalities: number; first: string | null; last: string | null };
  bandRules: typeof BAND_RULES;
}

/**
 * The key each event is grouped under. Actors are keyed by their canonical id (or the name as written);
 * a dated merger moves an actor's events on or after the merger date to the merged actor, and leaves
 * the earlier ones with the member.
 */
const KEY_SQL = {
  actor: {
    key: 'COALESCE(m.into_actor, e.actor1_id, e.actor1)',
    label: 'COALESCE(ma.name, m.into_actor, a.name, e.actor1, e.actor1_id)',
    joins: `LEFT JOIN actor_mergers m ON m.member = COALESCE(e.actor1_id, e.actor1) AND e.event_date >= m.effective_date
            LEFT JOIN actors ma ON ma.id = m.into_actor
            LEFT JOIN actors a ON a.id = e.actor1_id`,
  },
};

/** Share of a period's days that lie inside the data's coverage (1 for a fully covered period). */
function coveredShare(label: string, coverage: Coverage): number {
  const { from, to } = periodBounds(label);
  if (!coverage.first || !coverage.last) return 1;
  // ISO dates compare as strings.
  const start = [coverage.first, from].sort()[1] ?? from;
  const end = [coverage.last, to].sort()[0] ?? to;
  if (start > end) return 0;
  // Only a period cut short by the end of the data is partial; one before the data began is simply empty.
  if (end === to) return 1;
  return daysInclusive(start, end) / daysInclusive(from, to);
}

/** Which band a change against the baseline mean falls in. */
export function trendBand(current: number, mean: number): TrendBand {
  const delta = current - mean;
  if (Math.abs(delta) < BAND_RULES.minAbsoluteChange) return 'stable';
  const pct = mean === 0 ? Number.POSITIVE_INFINITY : (delta / mean) * 100;
  if (pct >= BAND_RULES.largePct) return 'large increase';
  if (pct >= BAND_RULES.moderatePct) return 'moderate increase';
  if (pct <= -BAND_RULES.largePct) return 'large decrease';
  if (pct <= -BAND_RULES.moderatePct) return 'moderate decrease';
  return 'stable';
}

export function pctChange(current: number, previous: number): number | null {
  return previous === 0 ? null : Math.round(((current - previous) / previous) * 1000) / 10;
}

/**
 * Events and fatalities per group per period, with change against the previous period and against the
 * mean of the previous N, and a band for each period.
 *
 * @example await trend(store, { by: 'actor', period: 'year', filter: { admin1: ['Balochistan'] } })
 */
export async function trend(db: Queryable, options: TrendOptions): Promise<TrendResult> {
  const { by, period, filter } = options;
  const baselinePeriods = Math.max(1, Math.min(options.baselinePeriods ?? 3, 24));
  const limit = Math.max(1, Math.min(options.limit ?? 20, 500));
  // The data's span is read beside the grouping below, on another of the store's connections.
  const coverageQuery = dataCoverage(db, filter);
  coverageQuery.catch(() => undefined);
  const params = new Params(db.dialect);
  // Grouped by actor, a filter on actors keeps their own rows: not those of whoever they fought.
  const merged =
    by === 'actor' && (await readUntilWrite(db, 'SELECT 1 AS x FROM actor_mergers LIMIT 1')).length > 0;
  // By year, whole years are read from actor_pair_years (a tenth of the rows).
  const monthly =
    by === 'actor' && !merged && options.fromEvents !== true
      ? actorPairRows(filter, params, period === 'year')
      : null;
  // Places and types over whole months are summed from place_months.
  const placeMonthly =
    by !== 'actor' && options.fromEvents !== true ? placeMonthsWhere(filter, params) : null;
  // By place or type over an actor group, PostgreSQL reads the group's events from its actor indexes;
  // DuckDB tests actor1 alone where the group is never the other side of an event over these days.
  const events =
    monthly || placeMonthly
      ? { from: 'events e', where: 'TRUE' }
      : eventsMatching(
          filter,
          params,
          [by, 'event_date', 'fatalities_best'],
          by === 'actor' ? 'primary' : await actorSide(db, filter, filter.from, filter.to),
        );
  const period_ = `${datePartSql('year', 'e.event_date', db.dialect)} AS y, ${periodPartSql(period, 'e.event_date', db.dialect)} AS p`;
  const totals = 'COUNT(*) AS events, COALESCE(SUM(e.fatalities_best), 0) AS fatalities';
  let sql: string;
  if (placeMonthly) {
    const column = `m.${by}`;
    sql = `SELECT ${column} AS k, ${column} AS label, CAST(EXTRACT(YEAR FROM m.month) AS INTEGER) AS y,
                  ${periodPartSql(period, 'm.month')} AS p, SUM(m.events) AS events,
                  COALESCE(SUM(m.fatalities), 0) AS fatalities
           FROM place_months m WHERE ${placeMonthly} AND ${column} IS NOT NULL GROUP BY 1, 3, 4`;
  } else if (by !== 'actor') {
    const column = `e.${by}`;
    sql = `SELECT ${column} AS k, ${column} AS label, ${period_}, ${totals}
           FROM ${events.from} WHERE ${events.where} AND ${column} IS NOT NULL GROUP BY 1, 3, 4`;
  } else if (merged) {
    const actor = KEY_SQL.actor;
    sql = `SELECT ${actor.key} AS k, MIN(${actor.label}) AS label, ${period_}, ${totals}
           FROM ${events.from} ${actor.joins}
           WHERE ${events.where} AND ${actor.key} IS NOT NULL GROUP BY 1, 3, 4`;
  } else if (monthly) {
    // No mergers, whole months and no other filter: actor_pair_months (and _years) hold the same key (actor1's id,
    // else its name), its smallest name and the sums per month (12k rows against 1M events on the bench).
    sql = `SELECT g.k, COALESCE(a.name, g.label) AS label, g.y, g.p, g.events, g.fatalities FROM (
             SELECT m.a1 AS k, MIN(m.n1) AS label, CAST(EXTRACT(YEAR FROM m.month) AS INTEGER) AS y,
                    ${periodPartSql(period, 'm.month')} AS p, SUM(m.events) AS events,
                    COALESCE(SUM(m.fatalities), 0) AS fatalities
             FROM ${monthly} m WHERE m.a1 IS NOT NULL GROUP BY 1, 3, 4
           ) g LEFT JOIN actors a ON a.id = g.k`;
  } else {
    // No mergers recorded: group on the raw key first and name the few groups afterwards.
    sql = `SELECT g.k, COALESCE(a.name, g.label) AS label, g.y, g.p, g.events, g.fatalities FROM (
             SELECT COALESCE(e.actor1_id, e.actor1) AS k, MIN(e.actor1) AS label, ${period_}, ${totals}
             FROM ${events.from} WHERE ${events.where} AND COALESCE(e.actor1_id, e.actor1) IS NOT NULL GROUP BY 1, 3, 4
           ) g LEFT JOIN actors a ON a.id = g.k`;
  }
  const rows = await db.query<{
    k: string;
    label: string;
    y: number;
    p: number;
    events: number;
    fatalities: number;
  }>(sql, params.values);
  const coverage = await coverageQuery;
  // Periods run from the later of the filter's start and the data's, to the earlier of their ends: a
  // filter reaching into the future (or back to year 1) adds no empty periods.
  const later = (a: string | undefined, b: string | null) => (a && (!b || a > b) ? a : b);
  const earlier = (a: string | undefined, b: string | null) => (a && (!b || a < b) ? a : b);
  const start = later(filter.from, coverage.first);
  const end = earlier(filter.to, coverage.last);
  const periods = start && end && start <= end ? periodRange(period, start, end) : [];

  const byKey = new Map<
    string,
    { label: string; cells: Map<string, { events: number; fatalities: number }> }
  >();
  for (const row of rows) {
    const entry = byKey.get(row.k) ?? { label: row.label, cells: new Map() };
    entry.cells.set(periodLabel(period, row.y, row.p), {
      events: Number(row.events),
      fatalities: Number(row.fatalities),
    });
    byKey.set(row.k, entry);
  }
  // A period's covered share depends on the period alone: worked out once, not once per series (150
  // districts × 24 months made it a fifth of the question's CPU time).
  const shares = periods.map((label) => coveredShare(label, coverage));
  const outsideCoverage = uncounted(rows, period, new Set(periods));
  const series = [...byKey.entries()].map(([key, entry]): TrendSeries => {
    const counts = periods.map((label) => entry.cells.get(label) ?? { events: 0, fatalities: 0 });
    const points = periods.map((label, i): TrendPoint => {
      const current = counts[i] ?? { events: 0, fatalities: 0 };
      const previous = i > 0 ? counts.slice(Math.max(0, i - baselinePeriods), i) : [];
      const mean = previous.length ? previous.reduce((n, c) => n + c.events, 0) / previous.length : null;
      const share = shares[i] ?? 1;
      const pace = share < 1 && share > 0 ? Math.round((current.events / share) * 10) / 10 : current.events;
      return {
        period: label,
        events: current.events,
        fatalities: current.fatalities,
        changePrevPct: i > 0 ? pctChange(pace, counts[i - 1]?.events ?? 0) : null,
        baselineMean: mean === null ? null : Math.round(mean * 10) / 10,
        changeMeanPct: mean === null ? null : pctChange(pace, mean),
        band: mean === null ? null : trendBand(pace, mean),
        partial: share < 1,
        pace,
      };
    });
    return {
      key,
      label: entry.label,
      events: counts.reduce((n, c) => n + c.events, 0),
      fatalities: counts.reduce((n, c) => n + c.fatalities, 0),
      points,
    };
  });
  series.sort((a, b) => b.events - a.events || a.key.localeCompare(b.key));
  return {
    by,
    period,
    baselinePeriods,
    periods,
    coverage,
    series: series.slice(0, limit),
    outsideCoverage,
    bandRules: BAND_RULES,
  };
}

/** The events of rows whose period is not among `periods` (those outside the data's coverage). */
function uncounted(
  rows: readonly { y: number; p: number; events: number; fatalities: number }[],
  period: Period,
  periods: ReadonlySet<string>,
): TrendResult['outsideCoverage'] {
  const labels: string[] = [];
  let events = 0;
  let fatalities = 0;
  for (const row of rows) {
    const label = periodLabel(period, row.y, row.p);
    if (periods.has(label)) continue;
    labels.push(label);
    events += Number(row.events);
    fatalities += Number(row.fatalities);
  }
  labels.sort();
  return { events, fatalities, first: labels[0] ?? null, last: labels.at(-1) ?? null };
}
