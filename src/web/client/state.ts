/**
 * The dashboard's whole view lives in the URL, so a link reproduces it: filters, the metric, the
 * open event and the chosen site. Pure functions, tested in Node.
 */

export type Metric = 'events' | 'fatalities';
/** What the map shades: counts of the events seen, or the forecast of the next months. */
export type MapLayer = 'observed' | 'forecast';
export interface ViewState {
  actors: string[];
  groups: string[];
  types: string[];
  admin1: string[];
  admin2: string[];
  /** Data sets: acled, gtd, text (events read from news documents), … */
  sources: string[];
  from: string | null;
  to: string | null;
  metric: Metric;
  /** Id of the event open in the detail panel. */
  event: string | null;
  /** Id of the site open in the site-risk panel. */
  site: string | null;
  /** The site's exposure radius in km (also the ring on the map). */
  radius: SiteRadius;
  mapLayer: MapLayer;
}

export const SITE_RADII = [25, 50, 100] as const;
export type SiteRadius = (typeof SITE_RADII)[number];

export const EMPTY_STATE: ViewState = {
  actors: [],
  groups: [],
  types: [],
  admin1: [],
  admin2: [],
  sources: [],
  from: null,
  to: null,
  metric: 'events',
  event: null,
  site: null,
  radius: 50,
  mapLayer: 'observed',
};

const LISTS = [
  ['actor', 'actors'],
  ['group', 'groups'],
  ['type', 'types'],
  ['admin1', 'admin1'],
  ['admin2', 'admin2'],
  ['source', 'sources'],
] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const clean = (values: string[]) => [
  ...new Set(values.map((v) => v.trim()).filter((v) => v && v.length <= 200)),
];

/** Reads a view from a query string; anything malformed is dropped, never trusted. */
export function parseState(search: string): ViewState {
  const q = new URLSearchParams(search);
  const state: ViewState = { ...EMPTY_STATE };
  for (const [param, key] of LISTS) state[key] = clean(q.getAll(param)).slice(0, 50);
  const from = q.get('from');
  const to = q.get('to');
  state.from = from && DATE.test(from) ? from : null;
  state.to = to && DATE.test(to) ? to : null;
  state.metric = q.get('metric') === 'fatalities' ? 'fatalities' : 'events';
  state.event = q.get('event')?.slice(0, 300) || null;
  state.site = q.get('site')?.slice(0, 300) || null;
  state.radius = SITE_RADII.find((r) => String(r) === q.get('radius')) ?? EMPTY_STATE.radius;
  state.mapLayer = q.get('map') === 'forecast' ? 'forecast' : 'observed';
  return state;
}

/** Writes a view as a query string, leaving out defaults so links stay short. */
export function stateToSearch(state: ViewState): string {
  const q = new URLSearchParams();
  for (const [param, key] of LISTS) for (const v of state[key]) q.append(param, v);
  if (state.from) q.set('from', state.from);
  if (state.to) q.set('to', state.to);
  if (state.metric !== 'events') q.set('metric', state.metric);
  if (state.event) q.set('event', state.event);
  if (state.site) q.set('site', state.site);
  if (state.radius !== EMPTY_STATE.radius) q.set('radius', String(state.radius));
  if (state.mapLayer !== 'observed') q.set('map', state.mapLayer);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The filter part of a view as API query parameters (the same names the CLI flags use). */
export function filterParams(state: ViewState, options: { dates?: boolean } = {}): URLSearchParams {
  const q = new URLSearchParams();
  for (const a of state.actors) q.append('actor', a);
  for (const g of state.groups) q.append('group', g);
  for (const t of state.types) q.append('type', t);
  for (const a of state.admin1) q.append('admin1', a);
  for (const a of state.admin2) q.append('admin2', a);
  for (const s of state.sources) q.append('source', s);
  if (options.dates !== false) {
    if (state.from) q.set('from', state.from);
    if (state.to) q.set('to', state.to);
  }
  return q;
}

/** Adds or removes one value of a list filter. */
export function toggle(list: readonly string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
