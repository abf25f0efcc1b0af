import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderToString } from './node.ts';
import {
  FORECAST_LEGEND,
  legendItemWidth,
  legendLayout,
  renderTimeline,
  type TimelineBucket,
} from './timeline.ts';

const TYPES = [
  'Explosions/Remote violence',
  'Battles',
  'Violence against civilians',
  'Strategic developments',
  'Unknown',
];

/** Monthly buckets from January of `firstYear` to `lastMonth`, a few events of every type each month. */
function months(firstYear: number, lastMonth: string): TimelineBucket[] {
  const out: TimelineBucket[] = [];
  for (let y = firstYear; ; y++)
    for (let m = 1; m <= 12; m++) {
      const period = `${y}-${String(m).padStart(2, '0')}`;
      out.push({ period, byType: Object.fromEntries(TYPES.map((t) => [t, { events: 2, fatalities: 1 }])) });
      if (period === lastMonth) return out;
    }
}

describe('timeline rendering', () => {
  it('names the forecast band in the legend, and only when there is one', () => {
    const buckets = months(2023, '2024-06');
    const forecast = [{ period: '2024-07', low: 3, mid: 9, high: 20 }];
    const withBand = renderToString(
      renderTimeline({ width: 1100, height: 210, metric: 'events', buckets, forecast }),
    );
    assert.match(withBand, new RegExp(`<g [^>]*class="legend-forecast"[^>]*>.*?${FORECAST_LEGEND}</text>`));
    const without = renderToString(renderTimeline({ width: 1100, height: 210, metric: 'events', buckets }));
    assert.doesNotMatch(without, /legend-forecast/);
  });

  it('keeps every legend item inside the chart, wrapping onto a second row on a narrow screen', () => {
    for (const width of [332, 480, 1100]) {
      const { items, rows } = legendLayout(TYPES, true, width);
      for (const item of items)
        assert.ok(
          item.x + legendItemWidth(item.label) <= width || item.x === 44,
          `"${item.label}" runs past ${width} px`,
        );
      if (width === 332) assert.ok(rows >= 3, 'the phone legend wraps');
      if (width === 1100) assert.equal(rows, 1);
    }
  });

  it('leaves out a year label that would be cut off at the right edge', () => {
    // 1995 … March 2025: the 2025 column sits a few pixels from the edge, too close for its label
    const svg = renderToString(
      renderTimeline({ width: 1100, height: 210, metric: 'events', buckets: months(1995, '2025-03') }),
    );
    const labels = [...svg.matchAll(/<text x="([\d.]+)"[^>]*>(\d{4})<\/text>/g)].map((m) => ({
      x: Number(m[1]),
      year: m[2],
    }));
    assert.ok(labels.some((l) => l.year === '1995'));
    for (const l of labels) assert.ok(l.x + 26 <= 1100, `${l.year} at x=${l.x} is cut off`);
  });
});
