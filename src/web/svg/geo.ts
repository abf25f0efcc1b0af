import { geoArea } from 'd3-geo';
import type { Geometry, Polygon, Position } from 'geojson';

/**
 * d3-geo treats rings by their spherical winding: an RFC 7946 (counter-clockwise) polygon would
 * be read as "the whole globe minus this district". Reverse any polygon whose area says so.
 */
export function rewindForD3(geometry: Geometry): Geometry {
  const fix = (rings: Position[][]): Position[][] => {
    const polygon: Polygon = { type: 'Polygon', coordinates: rings };
    return geoArea(polygon) > 2 * Math.PI ? rings.map((ring) => [...ring].reverse()) : rings;
  };
  if (geometry.type === 'Polygon') return { type: 'Polygon', coordinates: fix(geometry.coordinates) };
  if (geometry.type === 'MultiPolygon')
    return { type: 'MultiPolygon', coordinates: geometry.coordinates.map(fix) };
  return geometry;
}

/** Rounds coordinates to `digits` decimals (≈ 110 m at 3) so boundaries ship small. */
export function roundGeometry(geometry: Geometry, digits = 3): Geometry {
  const f = 10 ** digits;
  const r = (p: Position): Position => [Math.round(p[0]! * f) / f, Math.round(p[1]! * f) / f];
  const ring = (ps: Position[]): Position[] => {
    const out: Position[] = [];
    for (const p of ps.map(r)) {
      const last = out[out.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
    return out;
  };
  if (geometry.type === 'Polygon') return { type: 'Polygon', coordinates: geometry.coordinates.map(ring) };
  if (geometry.type === 'MultiPolygon')
    return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((poly) => poly.map(ring)) };
  return geometry;
}
