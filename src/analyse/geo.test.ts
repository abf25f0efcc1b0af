import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  distanceToGeometryKm,
  expandBbox,
  geometryBbox,
  haversineKm,
  insidePolygon,
  pointToSegmentKm,
} from './geo.ts';
import { addMonths, periodBounds, periodRange, windowStart } from './periods.ts';

describe('geo', () => {
  it('haversine: a degree of latitude is ≈111.2 km; Karachi–Quetta ≈ 580 km', () => {
    assert.ok(Math.abs(haversineKm(0, 0, 1, 0) - 111.19) < 0.05);
    const kq = haversineKm(24.86, 67.01, 30.18, 66.99);
    assert.ok(kq > 585 && kq < 595, String(kq));
    assert.equal(haversineKm(30, 67, 30, 67), 0);
  });

  it('point to segment: perpendicular foot inside the segment, else the nearer end', () => {
    // segment along the equator from lon 0 to 2; a point 1° north of its middle is ≈111 km away
    assert.ok(Math.abs(pointToSegmentKm(1, 1, [0, 0], [2, 0]) - 111.19) < 0.2);
    // beyond the east end: distance to the end point
    assert.ok(Math.abs(pointToSegmentKm(0, 3, [0, 0], [2, 0]) - haversineKm(0, 3, 0, 2)) < 0.01);
    // a degenerate segment is a point
    assert.equal(pointToSegmentKm(0, 1, [1, 0], [1, 0]), 0);
  });

  it('polygons: inside is 0, outside is the distance to the nearest edge; holes are outside', () => {
    const square = [
      [
        [66, 29],
        [68, 29],
        [68, 31],
        [66, 31],
        [66, 29],
      ],
      [
        [66.9, 29.9],
        [67.1, 29.9],
        [67.1, 30.1],
        [66.9, 30.1],
        [66.9, 29.9],
      ],
    ];
    assert.equal(insidePolygon(29.5, 67, square), true);
    assert.equal(insidePolygon(30, 67, square), false, 'in the hole');
    assert.equal(
      distanceToGeometryKm(29.5, 67, { type: 'Polygon', coordinates: square as [number, number][][] }),
      0,
    );
    const outside = distanceToGeometryKm(28, 67, {
      type: 'Polygon',
      coordinates: square as [number, number][][],
    });
    assert.ok(Math.abs(outside - 111.19) < 0.3, String(outside));
  });

  it('bounding boxes grow by the radius', () => {
    const box = geometryBbox({
      type: 'LineString',
      coordinates: [
        [66, 29],
        [67, 30],
      ],
    });
    assert.deepEqual(box, [66, 29, 67, 30]);
    const grown = expandBbox(box, 111);
    assert.ok(grown[1] < 28.01 && grown[3] > 30.99);
    assert.ok(grown[0] < 66 - 1.1 && grown[2] > 67 + 1.1);
  });
});

describe('periods', () => {
  it('labels, bounds and month arithmetic', () => {
    assert.deepEqual(periodRange('quarter', '2023-11-05', '2024-04-01'), ['2023-Q4', '2024-Q1', '2024-Q2']);
    assert.deepEqual(periodRange('month', '2024-11-30', '2025-01-01'), ['2024-11', '2024-12', '2025-01']);
    assert.deepEqual(periodBounds('2024-02'), { from: '2024-02-01', to: '2024-02-29' });
    assert.deepEqual(periodBounds('2024-Q3'), { from: '2024-07-01', to: '2024-09-30' });
    assert.equal(addMonths('2024-03-31', -1), '2024-02-29');
    assert.equal(addMonths('2024-01-01', -24), '2022-01-01');
  });

  it('windows end on a month end as whole months', () => {
    assert.equal(windowStart('2024-06-30', 6), '2024-01-01');
    assert.equal(windowStart('2024-02-29', 12), '2023-03-01');
    assert.equal(windowStart('2024-12-31', 12), '2024-01-01');
    // Any other day: from the day after the same day back.
    assert.equal(windowStart('2024-06-15', 6), '2023-12-16');
  });
});
