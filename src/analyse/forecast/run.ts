import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GAZETTEER_DIR } from '../../extract/places/data-files.ts';
import type { EventFilter } from '../../schema/index.ts';
import type { Queryable } from '../../store/contract.ts';
import { dataCoverage } from '../coverage.ts';
import { loadAreaAliases, loadAreas, unitNeighbours } from './adjacency.ts';
import { type BacktestOptions, type BacktestResult, backtest } from './backtest.ts';
import { forecastPanel, type TotalForecast, totalForecasts, type UnitForecast } from './forecast.ts';
import {
  buildPanel,
  type ForecastLevel,
  lastMonthOf,
  loadPanelRows,
  loadUnitPlaces,
  type Panel,
} from './panel.ts';
import { TREE_FEATURE_NAMES } from './tree-features.ts';

const MODEL_FAMILY =
  'boosted trees over the smoothed level, blended with it by inner validation, with negative binomial intervals';

/** The data cannot support a forecast (nothing matches, or too little history). */
export class InsufficientDataError extends Error {}

/** Boundary polygons per level: adjacency for the neighbouring-units feature. */
export const DEFAULT_BOUNDARY_FILES: Record<ForecastLevel, string> = {
  admin2: join(GAZETTEER_DIR, 'pakistan-districts.geojson'),
  admin1: join(GAZETTEER_DIR, 'pakistan-provinces.geojson'),
};
const ADMIN_ALIASES = join(GAZETTEER_DIR, 'admin-aliases.json');

export interface ForecastQuery {
  level: ForecastLevel;
  horizon: number;
  filter?: EventFilter;
  /**
   * Last observed month (YYYY-MM); default the data sets' last month (events read from news text after it
   * do not move it: an article telling of October does not make a data set that stops in June run on).
   */
  until?: string;
  /** GeoJSON of the level's polygons; default the gazetteer's. */
  boundaries?: string;
}

export interface ForecastResult {
  level: ForecastLevel;
  origin: string;
  horizon: number;
  units: number;
  /** Units with at least one neighbour found in the boundary polygons. */
  unitsWithNeighbours: number;
  /**
   * What made the forecast. `features` names what the trees read (the smoothed level among them);
   * `ridge` is 0 (no linear regression is fitted).
   */
  model: { family: typeof MODEL_FAMILY; features: readonly string[]; ridge: number };
  forecasts: UnitForecast[];
  /**
   * Per month, the forecast of all units together: the sum of their means, with the median and
   * intervals of the sum's own distribution (`totalPrediction`), not the sum of the units' intervals.
   */
  totals: TotalForecast[];
}

/** Neighbour lookup for a set of unit names, from polygons when the file exists (else no neighbours). */
async function neighbourLookup(db: Queryable, query: Omit<ForecastQuery, 'horizon'>) {
  const path = query.boundaries ?? DEFAULT_BOUNDARY_FILES[query.level];
  if (!existsSync(path)) {
    if (query.boundaries) throw new Error(`boundary file not found: ${path}`);
    return undefined;
  }
  const areas = loadAreas(path);
  const aliases = loadAreaAliases(ADMIN_ALIASES);
  const places = new Map((await loadUnitPlaces(db, query.level, query.filter)).map((p) => [p.name, p]));
  return (units: readonly string[]) =>
    unitNeighbours(
      units.map((name) => places.get(name) ?? { name, latitude: null, longitude: null }),
      areas,
      aliases,
    );
}

/** Forecasts events and fatalities per unit for the months after `until` (or the data's last month). */
export async function forecastFromStore(db: Queryable, query: ForecastQuery): Promise<ForecastResult> {
  const rows = await loadPanelRows(db, query.level, query.filter);
  if (rows.length === 0)
    throw new InsufficientDataError('no events with a place at this level match the filter');
  const origin = query.until ?? (await dataSetsEnd(db, query.filter)) ?? lastMonthOf(rows);
  const panel = buildPanel(rows, origin, await neighbourLookup(db, query));
  const forecasts = forecastOrExplain(panel, query.horizon);
  return {
    level: query.level,
    origin,
    horizon: query.horizon,
    units: panel.units.length,
    unitsWithNeighbours: panel.neighbours.filter((n) => n.length > 0).length,
    model: { family: MODEL_FAMILY, features: TREE_FEATURE_NAMES, ridge: 0 },
    forecasts,
    totals: totalForecasts(forecasts),
  };
}

/** Rolling-origin backtest of the model against the naive baselines on the stored events. */
export async function backtestFromStore(
  db: Queryable,
  query: Omit<ForecastQuery, 'until'> & { from: string },
  extra: Pick<BacktestOptions, 'comparisons' | 'onForecast'> = {},
): Promise<BacktestResult & { level: ForecastLevel }> {
  const rows = await loadPanelRows(db, query.level, query.filter);
  if (rows.length === 0)
    throw new InsufficientDataError('no events with a place at this level match the filter');
  // Months after the data sets end would be scored as quiet months against every forecast.
  const end = await dataSetsEnd(db, query.filter);
  const observed = end ? rows.filter((r) => r.month <= end) : rows;
  const neighboursOf = await neighbourLookup(db, query);
  const result = backtest(observed, {
    ...extra,
    from: query.from,
    horizon: query.horizon,
    ...(neighboursOf ? { neighboursOf } : {}),
  });
  return { level: query.level, ...result };
}

/** The last month (YYYY-MM) of the data sets the filter draws on (`dataCoverage`), or null for none. */
async function dataSetsEnd(db: Queryable, filter: EventFilter | undefined): Promise<string | null> {
  const { last } = await dataCoverage(db, filter ?? {});
  return last ? last.slice(0, 7) : null;
}

function forecastOrExplain(panel: Panel, horizon: number): UnitForecast[] {
  if (panel.months.length < 6) {
    throw new InsufficientDataError(
      `only ${panel.months.length} months of data: a forecast needs at least 6`,
    );
  }
  return forecastPanel(panel, horizon);
}
