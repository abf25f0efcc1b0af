import { formatPeriod } from '../svg/format.ts';
import { getJson } from './api.ts';
import { filterParams, type Metric, type ViewState } from './state.ts';

/**
 * The map's "next months" layer: `/api/forecast?level=admin2` per district, summed over the months ahead.
 * The expected count of several months is the sum of the months' expectations (exact); an interval for
 * the sum would need the months' joint distribution, so the tooltip gives the first month's 80 % interval,
 * which the forecast states as such.
 */

export interface DistrictOutlook {
  /** Expected count over every month forecast. */
  expected: number;
  /** The first month ahead: expected count and its 80 % interval. */
  next: { mean: number; low: number; high: number };
}

export interface DistrictForecast {
  /** Last observed month the forecast starts after (YYYY-MM). */
  origin: string;
  /** Months forecast, in order (YYYY-MM). */
  months: string[];
  events: Map<string, DistrictOutlook>;
  fatalities: Map<string, DistrictOutlook>;
}

interface PredictionJson {
  mean?: unknown;
  intervals?: Record<string, unknown>;
}
interface UnitForecastJson {
  unit?: unknown;
  month?: unknown;
  horizon?: unknown;
  events?: PredictionJson;
  fatalities?: PredictionJson;
}
export interface ForecastJson {
  origin?: unknown;
  forecasts?: unknown;
}

const finite = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Sums the per-district, per-month forecasts of `/api/forecast` into one outlook per district and measure. */
export function districtOutlook(raw: ForecastJson): DistrictForecast {
  const rows = (Array.isArray(raw.forecasts) ? raw.forecasts : []) as UnitForecastJson[];
  const result: DistrictForecast = {
    origin: typeof raw.origin === 'string' ? raw.origin : '',
    months: [],
    events: new Map(),
    fatalities: new Map(),
  };
  const months = new Set<string>();
  for (const row of rows) {
    if (typeof row.unit !== 'string' || typeof row.month !== 'string') continue;
    months.add(row.month);
    for (const measure of ['events', 'fatalities'] as const) {
      const prediction = row[measure];
      if (!prediction) continue;
      const mean = finite(prediction.mean);
      const outlook = result[measure].get(row.unit) ?? {
        expected: 0,
        next: { mean: 0, low: 0, high: 0 },
      };
      outlook.expected += mean;
      if (row.horizon === 1) {
        const interval = Array.isArray(prediction.intervals?.['80']) ? prediction.intervals['80'] : [];
        outlook.next = { mean, low: finite(interval[0]), high: finite(interval[1]) };
      }
      result[measure].set(row.unit, outlook);
    }
  }
  result.months = [...months].sort();
  return result;
}

/** "Jul – Dec 2024", "Nov 2024 – Apr 2025", or one month. */
export function monthSpan(months: readonly string[]): string {
  const first = months[0];
  const last = months[months.length - 1];
  if (!first || !last) return '';
  if (first === last) return formatPeriod(first);
  const [fy] = first.split('-');
  const [ly] = last.split('-');
  const firstLabel = fy === ly ? formatPeriod(first).split(' ')[0] : formatPeriod(first);
  return `${firstLabel} – ${formatPeriod(last)}`;
}

/** One district's hover text in the forecast layer. */
export function outlookTitle(name: string, forecast: DistrictForecast, metric: Metric): string {
  const outlook = forecast[metric].get(name);
  const noun = metric === 'events' ? 'events' : 'fatalities';
  if (!outlook) return `${name}: no forecast (no history in the data)`;
  const next = outlook.next;
  return (
    `${name}: ${outlook.expected.toFixed(1)} ${noun} expected, ${monthSpan(forecast.months)} · ` +
    `${formatPeriod(forecast.months[0] ?? '')}: ${next.mean.toFixed(1)} (80 %: ${next.low}–${next.high})`
  );
}

export async function fetchDistrictForecast(
  state: ViewState,
  signal?: AbortSignal,
): Promise<DistrictForecast> {
  // Dates are left out as on the timeline's band: the forecast always starts after the data's last month.
  const q = filterParams(state, { dates: false });
  q.set('level', 'admin2');
  q.set('horizon', '6');
  return districtOutlook(await getJson<ForecastJson>('/api/forecast', q, signal));
}
