import { geoCentroid } from 'd3-geo';
import { formatCount } from '../../svg/format.ts';
import { type MapArea, type MapPoint, renderMap } from '../../svg/map.ts';
import type { BoundaryAsset, DistrictCount, SiteInfo } from '../api.ts';
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
    points: MapPoint[];
    sites: SiteInfo[];
  },
  state: ViewState,
): void {
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
  const width = Math.max(360, target.clientWidth);
  const height = Math.round(Math.max(340, Math.min(560, width * 0.72)));
  const clustered = data.points.length > CLUSTER_ABOVE;
  // Above the point limit the store's per-district counts stand in for points: one circle per district.
  const perDistrict = data.total > data.points.length;
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
      ? binPoints(data.points, 0.25)
      : data.points;
  const site = state.site ? data.sites.find((s) => s.id === state.site) : undefined;
  show(
    target,
    renderMap({
      width,
      height,
      metric: state.metric,
      areas,
      outlines: data.boundaries.provinces,
      points,
      sites: site ? [{ name: site.name, lon: site.lon, lat: site.lat, radiusKm: 50 }] : [],
      selected: state.admin2,
      pointUnit: perDistrict ? 'events per district' : 'events per cell',
    }),
  );
  note.textContent = perDistrict
    ? `${formatCount(data.total)} events counted per district · filter below 4,000 to see single events`
    : `${formatCount(data.points.length)} events${clustered ? ' grouped in ~25 km cells' : ''} · click a district to filter`;
}
