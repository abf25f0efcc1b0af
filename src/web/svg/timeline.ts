import { scaleBand, scaleLinear } from 'd3-scale';
import { chartRoot } from './chart.ts';
import { formatCount, formatPeriod, periodRange, shortCount } from './format.ts';
import { type ElementNode, h } from './node.ts';
import { eventTypeColour, GRID, INK, MUTED } from './palette.ts';

export type TimelineMetric = 'events' | 'fatalities';

/** One period (month "YYYY-MM" or week starting "YYYY-MM-DD") with counts per event type. */
export interface TimelineBucket {
  period: string;
  byType: Record<string, { events: number; fatalities: number }>;
}

/** A forecast for a future period: the expected count and its band. */
export interface ForecastPoint {
  period: string;
  low: number;
  mid: number;
  high: number;
}

export interface TimelineInput {
  width: number;
  height: number;
  metric: TimelineMetric;
  buckets: readonly TimelineBucket[];
  /** Stack order, bottom first; types not listed are stacked above in the order met. */
  types?: readonly string[];
  /** Highlighted date range (inclusive ISO dates), e.g. the brushed filter. */
  selection?: { from?: string | undefined; to?: string | undefined };
  forecast?: readonly ForecastPoint[];
  legend?: boolean;
  title?: string;
}

/** Event types in the buckets, ordered by their total (largest at the bottom of the stack). */
export function stackOrder(buckets: readonly TimelineBucket[], metric: TimelineMetric): string[] {
  const totals = new Map<string, number>();
  for (const b of buckets)
    for (const [type, v] of Object.entries(b.byType)) totals.set(type, (totals.get(type) ?? 0) + v[metric]);
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([t]) => t);
}

/**
 * Stacked bars of events or fatalities per period by event type, with an optional forecast band.
 * Every period carries a full-height hit column (`data-from`/`data-to`) the dashboard uses to brush.
 */
export function renderTimeline(input: TimelineInput): ElementNode {
  const { width, height, metric, buckets } = input;
  const showLegend = input.legend ?? true;
  const types = [...new Set([...(input.types ?? []), ...stackOrder(buckets, metric)])];
  const forecast = input.forecast ?? [];
  const legend = showLegend ? legendLayout(types.slice(0, 8), forecast.length > 0, width) : null;
  const margin = { top: legend ? 30 + (legend.rows - 1) * LEGEND_ROW : 10, right: 12, bottom: 24, left: 44 };
  const periods = [
    ...buckets.map((b) => b.period),
    ...forecast.map((f) => f.period).filter((p) => !buckets.some((b) => b.period === p)),
  ];
  const x = scaleBand<string>()
    .domain(periods)
    .range([margin.left, width - margin.right])
    .paddingInner(periods.length > 120 ? 0.05 : 0.18);
  const totals = buckets.map((b) => Object.values(b.byType).reduce((s, v) => s + v[metric], 0));
  const yMax = Math.max(1, ...totals, ...forecast.map((f) => f.high));
  const y = scaleLinear()
    .domain([0, yMax])
    .nice(4)
    .range([height - margin.bottom, margin.top]);

  // Counts are whole numbers: no 0.5 gridlines on a quiet series.
  const gridLines = y
    .ticks(4)
    .filter(Number.isInteger)
    .map((t) =>
      h(
        'g',
        {},
        h('line', {
          x1: margin.left,
          x2: width - margin.right,
          y1: y(t),
          y2: y(t),
          stroke: GRID,
          'stroke-width': 1,
        }),
        h(
          'text',
          { x: margin.left - 6, y: y(t) + 3.5, 'text-anchor': 'end', 'font-size': 10, fill: MUTED },
          shortCount(t),
        ),
      ),
    );

  const from = input.selection?.from;
  const to = input.selection?.to;
  const inSelection = (period: string) => {
    if (!from && !to) return true;
    const r = periodRange(period);
    return (!from || r.to >= from) && (!to || r.from <= to);
  };

  const bw = x.bandwidth();
  const bars = buckets.map((b) => {
    let acc = 0;
    const x0 = x(b.period) ?? 0;
    const segments = types.map((type) => {
      const v = b.byType[type]?.[metric] ?? 0;
      if (v <= 0) return null;
      const yTop = y(acc + v);
      const yBottom = y(acc);
      acc += v;
      return h('rect', {
        x: x0.toFixed(2),
        y: yTop.toFixed(2),
        width: Math.max(0.5, bw).toFixed(2),
        height: Math.max(0.5, yBottom - yTop).toFixed(2),
        fill: eventTypeColour(type),
      });
    });
    return h('g', { class: 'bar', opacity: inSelection(b.period) ? 1 : 0.28 }, segments);
  });

  const band = forecast.length
    ? h(
        'g',
        { class: 'forecast' },
        forecast.map((f) => {
          const x0 = x(f.period) ?? 0;
          return h(
            'g',
            {},
            h('rect', {
              x: x0.toFixed(2),
              y: y(f.high).toFixed(2),
              width: Math.max(0.5, bw).toFixed(2),
              height: Math.max(0.5, y(f.low) - y(f.high)).toFixed(2),
              fill: FORECAST_FILL,
              'fill-opacity': 0.35,
            }),
            h('line', {
              x1: x0,
              x2: x0 + bw,
              y1: y(f.mid),
              y2: y(f.mid),
              stroke: FORECAST_LINE,
              'stroke-width': 2,
            }),
            h(
              'title',
              {},
              `Forecast ${formatPeriod(f.period)}: ${formatCount(f.mid)} (${formatCount(f.low)}–${formatCount(f.high)})`,
            ),
          );
        }),
      )
    : null;

  // Year labels at each January (or the first period), thinned so they never collide.
  const yearTicks: ElementNode[] = [];
  let lastX = -Infinity;
  let lastYear = '';
  for (const p of periods) {
    const year = p.slice(0, 4);
    if (year === lastYear) continue;
    lastYear = year;
    const px = x(p) ?? 0;
    // a label that would run past the right edge (the last year, a few months in) is left out
    if (px - lastX < 34 || px + YEAR_LABEL_WIDTH > width) continue;
    lastX = px;
    yearTicks.push(
      h(
        'g',
        {},
        h('line', {
          x1: px,
          x2: px,
          y1: height - margin.bottom,
          y2: height - margin.bottom + 4,
          stroke: MUTED,
        }),
        h('text', { x: px + 2, y: height - margin.bottom + 15, 'font-size': 10.5, fill: MUTED }, year),
      ),
    );
  }

  const hits = periods.map((p, i) => {
    const r = periodRange(p);
    const b = buckets.find((bk) => bk.period === p);
    const breakdown = b
      ? types
          .filter((t) => (b.byType[t]?.[metric] ?? 0) > 0)
          .map((t) => `\n${t}: ${formatCount(b.byType[t]![metric])}`)
          .join('')
      : '';
    return h(
      'rect',
      {
        class: 'hit',
        x: (x(p) ?? 0) - (x.step() - bw) / 2,
        y: margin.top,
        width: x.step(),
        height: height - margin.top - margin.bottom,
        fill: 'transparent',
        'data-period': p,
        'data-from': r.from,
        'data-to': r.to,
        'data-index': i,
      },
      h('title', {}, `${formatPeriod(p)}: ${formatCount(totals[i] ?? 0)} ${metric}${breakdown}`),
    );
  });

  const legendNodes = legend
    ? legend.items.map(({ label, x: lx, row, forecast: isForecast }) =>
        h(
          'g',
          {
            transform: `translate(${lx},${10 + row * LEGEND_ROW})`,
            class: isForecast ? 'legend-forecast' : null,
          },
          isForecast
            ? [
                h('rect', { width: 10, height: 10, fill: FORECAST_FILL, 'fill-opacity': 0.35 }),
                h('line', { x1: 0, x2: 10, y1: 5, y2: 5, stroke: FORECAST_LINE, 'stroke-width': 2 }),
              ]
            : h('rect', { width: 10, height: 10, rx: 2, fill: eventTypeColour(label) }),
          h('text', { x: 14, y: 9, 'font-size': 10.5, fill: INK }, label),
        ),
      )
    : [];

  return chartRoot(
    {
      width: width,
      height: height,
      kind: 'timeline',
      label: input.title ?? `${metric} per period by event type`,
    },
    h('g', { class: 'grid' }, gridLines),
    h('g', { class: 'bars' }, bars),
    band,
    h('line', {
      x1: margin.left,
      x2: width - margin.right,
      y1: height - margin.bottom,
      y2: height - margin.bottom,
      stroke: '#9ca3af',
    }),
    h('g', { class: 'axis' }, yearTicks),
    h('g', { class: 'legend' }, legendNodes),
    h('g', { class: 'hits' }, hits),
  );
}

const FORECAST_FILL = '#93a5c9';
const FORECAST_LINE = '#1d4ed8';
/** What the legend calls the band: the 80 % interval of the forecast total (`/api/forecast`'s `totals`). */
export const FORECAST_LEGEND = 'forecast: expected, 80 % band';
const LEGEND_ROW = 16;
/** Width of a four-digit year label at 10.5 px, with its 2 px offset from the tick. */
const YEAR_LABEL_WIDTH = 28;

/** Places legend items left to right, starting a new row where the next would run past the edge. */
export function legendLayout(
  types: readonly string[],
  withForecast: boolean,
  width: number,
): { items: { label: string; x: number; row: number; forecast: boolean }[]; rows: number } {
  const left = 44;
  const right = width - 12;
  const labels = [...types.map((t) => ({ label: t, forecast: false }))];
  if (withForecast) labels.push({ label: FORECAST_LEGEND, forecast: true });
  const items: { label: string; x: number; row: number; forecast: boolean }[] = [];
  let lx = left;
  let row = 0;
  for (const { label, forecast } of labels) {
    const itemWidth = legendItemWidth(label);
    if (lx > left && lx + itemWidth > right) {
      row += 1;
      lx = left;
    }
    items.push({ label, x: lx, row, forecast });
    lx += itemWidth + 12;
  }
  return { items, rows: row + 1 };
}

/** Swatch, gap and text at 10.5 px (about 5.6 px a character in the sans-serif the charts use). */
export function legendItemWidth(label: string): number {
  return 14 + label.length * 5.6;
}
