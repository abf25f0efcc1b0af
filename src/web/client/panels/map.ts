import { geoCentroid } from 'd3-geo';
import { countNoun, formatCount, formatPeriod } from '../../svg/format.ts';
import { type MapArea, type MapPoint, renderMap } from '../../svg/map.ts';
import type { BoundaryAsset, DistrictCount, SiteInfo } from '../api.ts';
import { type DistrictForecast, monthSpan, outlookTitle } from '../district-forecast.ts';
import { show } from '../dom.ts';
import type { ViewState } from '../state.ts';

/** Above this many single events the map groups them into grid cells (screen-space clustering). */
const CLUSTER_ABOVE = 400;

/**
 * Groups points into cells of about `cellDeg` degrees so thousands of events read as density,
 * not as an ink blot; a cell keeps the mean position of its events.
 */
export function binPoints(points: readonly MapPoint[], cellDeg: number): MapPoint[] {
  const cells = new Map<string, { lon: number; lat: number; events: number; fatalities: number }>();
  for (const p of points) {
    const key = `${Math.floor(p.lon / cellDeg)}:${Math.floor(p.lat / cellDeg)}`;
    const c = cells.get(key) ?? { lon: 0, lat: 0, events: 0, fatalities: 0 };
    c.lon += p.lon;
    c.lat += p.lat;
    c.events += p.events;
    c.fatalities += p.fatalities;
    cells.set(key, c);
  }
  return [...cells.values()].map((c) => ({
    lon: c.lon / c.events,
    lat: c.lat / c.events,
    events: c.events,
    fatalities: c.fatalities,
  }));
}

export function renderMapPanel(
  target: HTMLElement,
  note: HTMLElement,
  data: {
    districts: DistrictCount[];
    boundaries: BoundaryAsset;
    total: number;
    /** Single events, or null when there are too many to fetch (the districts' counts stand in). */
    points: MapPoint[] | null;
    sites: SiteInfo[];
    /** The next months per district, when the forecast layer is on. */
    forecast?: DistrictForecast | null;
  },
  state: ViewState,
): void {
  if (data.forecast) {
    renderForecastLayer(target, note, { ...data, forecast: data.forecast }, state);
    return;
  }
  const counts = new Map(data.districts.map((d) => [d.name, d]));
  const areas: MapArea[] = data.districts.some((d) => d.geometry)
    ? data.districts
        .filter((d) => d.geometry)
        .map((d) => ({
          name: d.name,
          parent: d.admin1,
          geometry: d.geometry!,
          events: d.events,
          fatalities: d.fatalities,
        }))
    : data.boundaries.districts.map((b) => ({
        name: b.name,
        parent: b.parent,
        geometry: b.geometry,
        events: counts.get(b.name)?.events ?? 0,
        fatalities: counts.get(b.name)?.fatalities ?? 0,
      }));
  const single = data.points ?? [];
  const clustered = single.length > CLUSTER_ABOVE;
  // Above the point limit the store's per-district counts stand in for points: one circle per district.
  // (Events without coordinates do not: they only make the points fewer than the total.)
  const perDistrict = data.points === null;
  const points = perDistrict
    ? areas
        .filter((a) => a.events > 0)
        .map((a) => {
          const [lon, lat] = geoCentroid(a.geometry);
          return {
            lon,
            lat,
            events: a.events,
            fatalities: a.fatalities,
            label: `${a.name}: ${formatCount(a.events)} events`,
          };
        })
    : clustered
      ? binPoints(single, 0.25)
      : single;
  show(
    target,
    renderMap({
      ...mapFrame(target, data, state),
      areas,
      points,
      pointUnit: perDistrict ? 'events per district' : 'events per cell',
    }),
  );
  note.textContent = [
    perDistrict
      ? `${formatCount(data.total)} events counted per district · filter below 4,000 to see single events`
      : `${countNoun(single.length, 'event')} on the map${clustered ? ', grouped in ~25 km cells' : ''}`,
    !perDistrict && data.total > single.length
      ? `${countNoun(data.total - single.length, 'event')} without coordinates`
      : null,
    offMapNote(data.districts),
    'click a district to filter',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** What both layers draw alike: the size for the panel, the measure, provinces, the chosen site and district. */
function mapFrame(
  target: HTMLElement,
  data: { boundaries: BoundaryAsset; sites: readonly SiteInfo[] },
  state: ViewState,
) {
  const width = Math.max(360, target.clientWidth);
  const site = state.site ? data.sites.find((s) => s.id === state.site) : undefined;
  return {
    width,
    height: Math.round(Math.max(340, Math.min(560, width * 0.72))),
    metric: state.metric,
    outlines: data.boundaries.provinces,
    sites: site ? [{ name: site.name, lon: site.lon, lat: site.lat, radiusKm: state.radius }] : [],
    selected: state.admin2,
  };
}

/**
 * The "next 6 months" layer: every district of the boundaries shaded by the expected count of the
 * measure on screen over the months forecast (no event points: nothing has happened yet).
 */
function renderForecastLayer(
  target: HTMLElement,
  note: HTMLElement,
  data: { boundaries: BoundaryAsset; sites: SiteInfo[]; forecast: DistrictForecast },
  state: ViewState,
): void {
  const { forecast } = data;
  const outlooks = forecast[state.metric];
  const expected = (name: string) => outlooks.get(name)?.expected ?? 0;
  const areas: MapArea[] = data.boundaries.districts.map((b) => ({
    name: b.name,
    parent: b.parent,
    geometry: b.geometry,
    events: state.metric === 'events' ? expected(b.name) : 0,
    fatalities: state.metric === 'fatalities' ? expected(b.name) : 0,
  }));
  const span = monthSpan(forecast.months);
  const noun = state.metric === 'events' ? 'events' : 'fatalities';
  show(
    target,
    renderMap({
      ...mapFrame(target, data, state),
      areas,
      points: [],
      title: `Map of expected ${noun} by district, ${span}`,
      legendTitle: `Expected ${noun} per district, ${span}`,
      areaTitle: (area) => outlookTitle(area.name, forecast, state.metric),
    }),
  );
  const offMap = [...outlooks.keys()].filter(
    (name) => !data.boundaries.districts.some((b) => b.name === name),
  );
  note.textContent = outlooks.size
    ? [
        `Forecast from the data up to ${formatPeriod(forecast.origin)}: ${noun} expected over ${span}`,
        `${countNoun(outlooks.size, 'district')} forecast`,
        offMap.length
          ? `${offMap.slice(0, 3).join(', ')}${offMap.length > 3 ? ' …' : ''} not on the map`
          : null,
        "hover a district for next month's 80 % interval",
      ]
        .filter(Boolean)
        .join(' · ')
    : 'No forecast for these filters: too little history in the data.';
}

/** Districts the store names but the shipped boundaries lack: counted in the totals, named here. */
export function offMapNote(districts: readonly DistrictCount[]): string | null {
  const off = districts.filter((d) => !d.geometry && d.events > 0);
  if (!off.length || !districts.some((d) => d.geometry)) return null;
  const events = off.reduce((s, d) => s + d.events, 0);
  const names = off.slice(0, 3).map((d) => d.name);
  const more = off.length > 3 ? ` and ${off.length - 3} more` : '';
  return `${countNoun(events, 'event')} in ${names.join(', ')}${more} (not on the map)`;
}
