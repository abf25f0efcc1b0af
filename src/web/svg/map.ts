import { geoBounds, geoMercator, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { chartRoot } from './chart.ts';
import { countNoun, formatCount } from './format.ts';
import { type ElementNode, h } from './node.ts';
import { eventTypeColour, INK, MUTED, SHADE_RAMP } from './palette.ts';

export type MapMetric = 'events' | 'fatalities';

/** A district (or any area) to shade. */
export interface MapArea {
  name: string;
  parent: string | null;
  geometry: Geometry;
  events: number;
  fatalities: number;
}

/** An outline drawn over the areas (a province, a country). */
export interface MapOutline {
  name: string;
  geometry: Geometry;
}

/** One event, or a bin of many (then `events` > 1 and `id` is absent). */
export interface MapPoint {
  lon: number;
  lat: number;
  events: number;
  fatalities: number;
  id?: string;
  label?: string;
  eventType?: string | null;
}

export interface MapSite {
  name: string;
  lon: number;
  lat: number;
  radiusKm?: number;
}

export interface MapInput {
  width: number;
  height: number;
  metric: MapMetric;
  areas: readonly MapArea[];
  outlines?: readonly MapOutline[];
  points?: readonly MapPoint[];
  sites?: readonly MapSite[];
  /** Names of selected areas, drawn with a heavier edge. */
  selected?: readonly string[];
  /** What a point stands for when points are bins, for the legend (default "events per cell"). */
  pointUnit?: string;
  /** Label this many of the most affected areas (default 8). */
  labels?: number;
  /** What to fit the view to: the areas with events (default) or every area. */
  fit?: 'data' | 'all';
  title?: string;
  /** Hover text of an area (default: its events and fatalities). */
  areaTitle?: (area: MapArea) => string;
  /** The legend's heading (default: "Events per district" or "Fatalities per district"). */
  legendTitle?: string;
}

/** Thresholds for the shading legend: up to `steps` nice numbers spread in log space up to `max`. */
export function shadeBreaks(max: number, steps = SHADE_RAMP.length - 1): number[] {
  if (max <= 1) return [1];
  const nice: number[] = [];
  for (let p = 1; p <= max * 10; p *= 10) for (const m of [1, 2, 5]) if (m * p <= max) nice.push(m * p);
  if (nice.length <= steps) return nice;
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const value = nice[Math.round((i * (nice.length - 1)) / (steps - 1))]!;
    if (!out.includes(value)) out.push(value);
  }
  return out;
}

/** Fill of an area with no events: land, distinct from the sea/background. */
export const ZERO_SHADE = '#faf9f6';

/** Ramp colour for a value given the breaks: 0 is the lightest, ≥ last break the darkest. */
export function shadeColour(value: number, breaks: readonly number[]): string {
  if (value <= 0) return ZERO_SHADE;
  let i = 0;
  while (i < breaks.length && value >= breaks[i]!) i++;
  const ramp = SHADE_RAMP.slice(SHADE_RAMP.length - breaks.length - 1);
  return ramp[Math.max(0, i - 1)] ?? SHADE_RAMP[SHADE_RAMP.length - 1]!;
}

function fitFeatures(input: MapInput): FeatureCollection {
  const withData = input.areas.filter((a) => a.events > 0);
  const pointFeatures: Feature[] = (input.points ?? []).map((p) => ({
    type: 'Feature',
    properties: {},
    geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
  }));
  const siteFeatures: Feature[] = (input.sites ?? []).map((s) => ({
    type: 'Feature',
    properties: {},
    geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
  }));
  const areas = input.fit === 'all' || withData.length === 0 ? input.areas : withData;
  const features: Feature[] = [
    ...areas.map((a): Feature => ({ type: 'Feature', properties: {}, geometry: a.geometry })),
    ...(input.fit === 'all' ? [] : pointFeatures),
    ...siteFeatures,
  ];
  if (features.length === 0 && input.outlines?.length) {
    features.push(
      ...input.outlines.map((o): Feature => ({ type: 'Feature', properties: {}, geometry: o.geometry })),
    );
  }
  return { type: 'FeatureCollection', features };
}

/**
 * A choropleth of areas by events or fatalities, with outlines, points (single events or bins)
 * and sites, projected with Web-Mercator-like geometry fitted to where the events are.
 * @example renderToString(renderMap({ width: 800, height: 600, metric: 'events', areas }))
 */
export function renderMap(input: MapInput): ElementNode {
  const { width, height } = input;
  const legendHeight = 46;
  const fit = fitFeatures(input);
  const projection = geoMercator();
  if (fit.features.length) {
    const [[w, s], [e, n]] = geoBounds(fit);
    const tiny = Math.abs(e - w) < 0.05 && Math.abs(n - s) < 0.05;
    const target: FeatureCollection = tiny
      ? {
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: {},
              geometry: {
                type: 'MultiPoint',
                coordinates: [
                  [w - 0.5, s - 0.5],
                  [e + 0.5, n + 0.5],
                ],
              },
            },
          ],
        }
      : fit;
    projection.fitExtent(
      [
        [16, 16],
        [width - 16, height - legendHeight - 8],
      ],
      target,
    );
  }
  const path = geoPath(projection).digits(1);
  const values = input.areas.map((a) => (input.metric === 'events' ? a.events : a.fatalities));
  const max = Math.max(0, ...values);
  const breaks = shadeBreaks(max);
  const selected = new Set(input.selected ?? []);

  const areaNodes = input.areas.map((area) => {
    const value = input.metric === 'events' ? area.events : area.fatalities;
    const d = path(area.geometry);
    if (!d) return null;
    return h(
      'path',
      {
        d,
        class: selected.has(area.name) ? 'area selected' : 'area',
        fill: shadeColour(value, breaks),
        stroke: selected.has(area.name) ? INK : '#ffffff',
        'stroke-width': selected.has(area.name) ? 1.6 : 0.6,
        'data-admin2': area.name,
        'data-admin1': area.parent ?? '',
      },
      h(
        'title',
        {},
        input.areaTitle?.(area) ??
          `${area.name}${area.parent ? `, ${area.parent}` : ''}: ${countNoun(area.events, 'event')}, ${countNoun(area.fatalities, 'fatality', 'fatalities')}`,
      ),
    );
  });

  const outlineNodes = (input.outlines ?? []).map((o) => {
    const d = path(o.geometry);
    return d
      ? h('path', {
          d,
          class: 'outline',
          fill: 'none',
          stroke: '#4b5563',
          'stroke-width': 1.2,
          'data-admin1': o.name,
        })
      : null;
  });

  const points = [...(input.points ?? [])].sort((a, b) => b.events - a.events);
  const maxPoint = Math.max(1, ...points.map((p) => p.events));
  const binned = points.some((p) => p.events > 1);
  const pointNodes = points.map((p) => {
    const xy = projection([p.lon, p.lat]);
    if (!xy) return null;
    const r = binned ? 2.5 + 11 * Math.sqrt(p.events / maxPoint) : 3.2;
    const label = p.label ?? `${formatCount(p.events)} event${p.events === 1 ? '' : 's'}`;
    return h(
      'circle',
      {
        cx: xy[0].toFixed(1),
        cy: xy[1].toFixed(1),
        r: r.toFixed(1),
        class: p.id ? 'point event' : 'point bin',
        fill: binned ? '#1f2937' : eventTypeColour(p.eventType ?? null),
        'fill-opacity': binned ? 0.55 : 0.9,
        stroke: binned ? '#ffffff' : '#111827',
        'stroke-width': binned ? 0.8 : 0.6,
        'data-event-id': p.id,
        'data-lon': p.lon,
        'data-lat': p.lat,
      },
      h('title', {}, `${label} · ${formatCount(p.fatalities)} fatalities`),
    );
  });

  const siteNodes = (input.sites ?? []).map((s) => {
    const xy = projection([s.lon, s.lat]);
    if (!xy) return null;
    const ring = s.radiusKm ? ringRadius(projection, s) : 0;
    return h(
      'g',
      { class: 'site', 'data-site': s.name, transform: `translate(${xy[0].toFixed(1)},${xy[1].toFixed(1)})` },
      ring > 0
        ? h('circle', { r: ring.toFixed(1), fill: 'none', stroke: '#1d4ed8', 'stroke-dasharray': '4 3' })
        : null,
      h('path', { d: 'M0,-7 L6,0 L0,7 L-6,0 Z', fill: '#1d4ed8', stroke: '#ffffff', 'stroke-width': 1.2 }),
      haloText(s.name, 9, 4, { 'font-size': 11, 'font-weight': 600, fill: '#1d4ed8' }),
      h('title', {}, s.name),
    );
  });

  const labelled = [...input.areas]
    .filter((a) => (input.metric === 'events' ? a.events : a.fatalities) > 0)
    .sort((a, b) => (input.metric === 'events' ? b.events - a.events : b.fatalities - a.fatalities))
    .slice(0, input.labels ?? 8);
  const labelNodes = labelled.map((a) => {
    const [x, y] = path.centroid(a.geometry);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
    return haloText(a.name, x, y, {
      'text-anchor': 'middle',
      'font-size': 10.5,
      fill: INK,
      class: 'area-label',
    });
  });

  return chartRoot(
    { width, height, kind: 'map', label: input.title ?? 'Map of events by district' },
    h('rect', { width, height, fill: '#dde5ec' }),
    h('g', { class: 'areas' }, areaNodes),
    h('g', { class: 'outlines', 'pointer-events': 'none' }, outlineNodes),
    h('g', { class: 'points' }, pointNodes),
    h('g', { class: 'labels', 'pointer-events': 'none' }, labelNodes),
    h('g', { class: 'sites' }, siteNodes),
    legend(
      breaks,
      input.legendTitle ?? `${input.metric === 'events' ? 'Events' : 'Fatalities'} per district`,
      width,
      height,
      binned ? (input.pointUnit ?? 'events per cell') : null,
    ),
  );
}

function ringRadius(projection: ReturnType<typeof geoMercator>, site: MapSite): number {
  const centre = projection([site.lon, site.lat]);
  const edge = projection([site.lon, site.lat + (site.radiusKm ?? 0) / 111.32]);
  if (!centre || !edge) return 0;
  return Math.abs(centre[1] - edge[1]);
}

function haloText(text: string, x: number, y: number, attrs: Record<string, string | number>): ElementNode {
  return h(
    'text',
    {
      x: x.toFixed(1),
      y: y.toFixed(1),
      stroke: '#ffffff',
      'stroke-width': 3,
      'stroke-linejoin': 'round',
      'paint-order': 'stroke',
      ...attrs,
    },
    text,
  );
}

/** 1 → "1", 2500 → "2.5k", 100000 → "100k", 2e6 → "2M". */
function compactCount(n: number): string {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return String(n);
}

function legend(
  breaks: readonly number[],
  title: string,
  width: number,
  height: number,
  pointUnit: string | null,
) {
  const box = 26;
  const x0 = 16;
  const y0 = height - 34;
  const swatches = [0, ...breaks].map((b, i) => {
    // Each swatch is labelled with its lower bound (a threshold legend): short at any scale.
    const label = i === 0 ? '0' : i === breaks.length ? `${compactCount(b)}+` : compactCount(b);
    return h(
      'g',
      { transform: `translate(${x0 + i * (box + 18)},${y0})` },
      h('rect', {
        width: box + 16,
        height: 8,
        fill: shadeColour(i === 0 ? 0 : b, breaks),
        stroke: '#d1d5db',
        'stroke-width': 0.5,
      }),
      h('text', { x: 0, y: 20, 'font-size': 9.5, fill: MUTED }, label),
    );
  });
  return h(
    'g',
    { class: 'legend', 'pointer-events': 'none' },
    h('rect', {
      x: 8,
      y: y0 - 18,
      width: Math.min(width - 16, 24 + (breaks.length + 1) * (box + 18) + 8),
      height: 46,
      fill: '#ffffff',
      'fill-opacity': 0.85,
      rx: 4,
    }),
    h(
      'text',
      { x: x0, y: y0 - 5, 'font-size': 10, 'font-weight': 600, fill: INK },
      `${title}${pointUnit ? ` · circles: ${pointUnit}` : ''}`,
    ),
    swatches,
  );
}
