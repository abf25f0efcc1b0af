import type { EventFilter } from '../../schema/index.ts';
import type { Queryable } from '../../store/contract.ts';
import { filterSql, Params } from '../../store/filter-sql.ts';
import type { UnitPlace } from './adjacency.ts';

export type ForecastLevel = 'admin1' | 'admin2';

/** Monthly counts per unit, per unit and actor: what the forecast model reads. */
export interface PanelRow {
  unit: string;
  /** YYYY-MM */
  month: string;
  actor: string | null;
  events: number;
  fatalities: number;
}

/**
 * A unit × month panel of event and fatality counts, every month from the first with data to `last`
 * present (zeros included), plus per-actor counts for the actor-activity feature.
 */
export interface Panel {
  units: string[];
  months: string[];
  events: number[][];
  fatalities: number[][];
  /** Per actor: events per month across all units. */
  actorTotals: Map<string, number[]>;
  /** Per unit: per actor, events per month in that unit. */
  unitActors: Map<string, number[]>[];
  neighbours: number[][];
}

/** 'YYYY-MM' → months since year 0, and back. */
export const monthIndex = (month: string): number =>
  Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
export const monthName = (index: number): string =>
  `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;

/**
 * Builds the panel from aggregated rows, keeping only months up to `last` (inclusive): a forecast
 * made at `last` can never see what came after it. Units are those with an event by then.
 */
export function buildPanel(
  rows: readonly PanelRow[],
  last: string,
  neighboursOf: (units: readonly string[]) => number[][] = (units) => units.map(() => []),
): Panel {
  const end = monthIndex(last);
  const kept = rows.filter((r) => monthIndex(r.month) <= end);
  const start = kept.length ? Math.min(...kept.map((r) => monthIndex(r.month))) : end;
  const months = Array.from({ length: end - start + 1 }, (_, i) => monthName(start + i));
  const units = [...new Set(kept.map((r) => r.unit))].sort();
  const unitIndex = new Map(units.map((u, i) => [u, i]));
  const zeros = () => new Array<number>(months.length).fill(0);
  const events = units.map(zeros);
  const fatalities = units.map(zeros);
  const actorTotals = new Map<string, number[]>();
  const unitActors = units.map(() => new Map<string, number[]>());
  for (const r of kept) {
    const u = unitIndex.get(r.unit)!;
    const m = monthIndex(r.month) - start;
    events[u]![m]! += r.events;
    fatalities[u]![m]! += r.fatalities;
    if (r.actor) {
      const total = actorTotals.get(r.actor) ?? zeros();
      total[m]! += r.events;
      actorTotals.set(r.actor, total);
      const own = unitActors[u]!.get(r.actor) ?? zeros();
      own[m]! += r.events;
      unitActors[u]!.set(r.actor, own);
    }
  }
  return { units, months, events, fatalities, actorTotals, unitActors, neighbours: neighboursOf(units) };
}

/** Reads monthly counts per unit and actor (actor1, the side that acted) for the events a filter selects. */
export async function loadPanelRows(
  db: Queryable,
  level: ForecastLevel,
  filter: EventFilter = {},
): Promise<PanelRow[]> {
  const params = new Params();
  const rows = await db.query(
    `SELECT e.${level} AS unit, SUBSTR(CAST(e.event_date AS TEXT), 1, 7) AS month, e.actor1 AS actor,
            COUNT(*) AS events, COALESCE(SUM(e.fatalities_best), 0) AS fatalities
     FROM events e WHERE e.${level} IS NOT NULL AND ${filterSql(filter, params)}
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    params.values,
  );
  return rows.map((r) => ({
    unit: String(r.unit),
    month: String(r.month),
    actor: r.actor === null ? null : String(r.actor),
    events: Number(r.events),
    fatalities: Number(r.fatalities),
  }));
}

/** Mean position of each unit's events: places units whose names match no boundary polygon. */
export async function loadUnitPlaces(
  db: Queryable,
  level: ForecastLevel,
  filter: EventFilter = {},
): Promise<UnitPlace[]> {
  const params = new Params();
  const rows = await db.query(
    `SELECT e.${level} AS unit, AVG(e.latitude) AS latitude, AVG(e.longitude) AS longitude
     FROM events e WHERE e.${level} IS NOT NULL AND ${filterSql(filter, params)} GROUP BY 1 ORDER BY 1`,
    params.values,
  );
  return rows.map((r) => ({
    name: String(r.unit),
    latitude: r.latitude === null ? null : Number(r.latitude),
    longitude: r.longitude === null ? null : Number(r.longitude),
  }));
}

/** The latest month (YYYY-MM) among the rows. */
export function lastMonthOf(rows: readonly PanelRow[]): string {
  let last = '0000-00';
  for (const r of rows) if (r.month.localeCompare(last) > 0) last = r.month;
  return last;
}
