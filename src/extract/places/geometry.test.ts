import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { haversineKm, interiorPoint, type PolygonRings, pointInPolygons, RegionIndex } from './geometry.ts';

const square = (x0: number, y0: number, size: number): Array<[number, number]> => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
];

describe('pointInPolygons', () => {
  const withHole: PolygonRings = [square(0, 0, 10), square(4, 4, 2)];
  const island: PolygonRings = [square(20, 20, 2)];

  it('is inside the outer ring and outside the hole', () => {
    assert.equal(pointInPolygons([withHole], 1, 1), true);
    assert.equal(pointInPolygons([withHole], 5, 5), false);
    assert.equal(pointInPolygons([withHole], 11, 5), false);
  });

  it('finds a point in any part of a multipolygon', () => {
    assert.equal(pointInPolygons([withHole, island], 21, 21), true);
    assert.equal(pointInPolygons([withHole, island], 15, 15), false);
  });

  it('indexes regions with a bbox prefilter', () => {
    const index = new RegionIndex([
      { value: 'A', geometry: { type: 'Polygon', coordinates: withHole } },
      { value: 'B', geometry: { type: 'MultiPolygon', coordinates: [island, [square(4.5, 4.5, 1)]] } },
    ]);
    assert.equal(index.find(1, 1), 'A');
    // In A's hole but inside B's second polygon.
    assert.equal(index.find(5, 5), 'B');
    assert.equal(index.find(21, 21), 'B');
    assert.equal(index.find(-1, -1), null);
  });
});

describe('interiorPoint', () => {
  it('falls inside a C-shaped polygon whose centroid does not', () => {
    const c: PolygonRings = [
      [
        [0, 0],
        [10, 0],
        [10, 2],
        [2, 2],
        [2, 8],
        [10, 8],
        [10, 10],
        [0, 10],
        [0, 0],
      ],
    ];
    const [lon, lat] = interiorPoint([c]);
    assert.equal(pointInPolygons([c], lon, lat), true);
  });
});

describe('haversineKm', () => {
  it('measures Quetta to Karachi as about 590 km', () => {
    const km = haversineKm(30.184, 67.001, 24.861, 67.01);
    assert.ok(km > 580 && km < 600, `got ${km}`);
  });
});
