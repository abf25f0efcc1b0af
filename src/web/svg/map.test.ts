import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Geometry } from 'geojson';
import { renderMap, shadeBreaks, shadeColour, ZERO_SHADE } from './map.ts';
import { renderToString } from './node.ts';
import { SHADE_RAMP } from './palette.ts';

const square = (x: number, y: number): Geometry => ({
  type: 'Polygon',
  // clockwise, as d3-geo expects
  coordinates: [
    [
      [x, y],
      [x, y + 1],
      [x + 1, y + 1],
      [x + 1, y],
      [x, y],
    ],
  ],
});

describe('map rendering', () => {
  it('picks rising breaks and darker shades for larger values', () => {
    const breaks = shadeBreaks(340);
    assert.ok(breaks.length >= 3 && breaks.length <= SHADE_RAMP.length - 1);
    for (let i = 1; i < breaks.length; i++) assert.ok(breaks[i]! > breaks[i - 1]!);
    assert.ok(breaks[breaks.length - 1]! <= 340);
    const ramp = (v: number) => SHADE_RAMP.indexOf(shadeColour(v, breaks));
    assert.ok(ramp(1) < ramp(30) && ramp(30) < ramp(340));
    assert.equal(shadeColour(0, breaks), ZERO_SHADE);
  });

  it('a district with one event stands apart from one with none, and each step from the next', () => {
    const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
    const distance = (a: string, b: string) => Math.hypot(...rgb(a).map((v, i) => v - rgb(b)[i]!));
    assert.ok(distance(ZERO_SHADE, shadeColour(1, shadeBreaks(340))) >= 40);
    for (let i = 1; i < SHADE_RAMP.length; i++)
      assert.ok(
        distance(SHADE_RAMP[i - 1]!, SHADE_RAMP[i]!) >= 30,
        `${SHADE_RAMP[i - 1]} → ${SHADE_RAMP[i]}`,
      );
  });

  it('draws one shaded path per district with its counts, and escapes names', () => {
    const svg = renderToString(
      renderMap({
        width: 400,
        height: 300,
        metric: 'events',
        areas: [
          { name: 'Kech', parent: 'Balochistan', geometry: square(62, 25), events: 40, fatalities: 3 },
          { name: '<b>Evil</b>', parent: null, geometry: square(64, 25), events: 0, fatalities: 0 },
        ],
        points: [{ lon: 62.5, lat: 25.5, events: 1, fatalities: 2, id: 'e1', eventType: 'Battles' }],
      }),
    );
    assert.equal((svg.match(/<path [^>]*class="area/g) ?? []).length, 2);
    assert.match(svg, /data-admin2="Kech"/);
    assert.match(svg, /Kech, Balochistan: 40 events, 3 fatalities/);
    assert.match(svg, /data-event-id="e1"/);
    assert.match(svg, /&lt;b&gt;Evil&lt;\/b&gt;/);
    assert.doesNotMatch(svg, /<b>/);
  });
});
