/** The gazetteer's public types: what a place is, and how precise an event placed there is. */

export type PlaceKind =
  | 'city'
  | 'town'
  | 'village'
  | 'district'
  | 'province'
  | 'country'
  | 'landmark'
  | 'learned';

export interface Place {
  name: string;
  country: string;
  admin1: string | null;
  admin2: string | null;
  latitude: number;
  longitude: number;
  kind: PlaceKind;
  population: number | null;
}

export interface PlaceContext {
  /** Country name ("Pakistan") or ISO code ("PK"). */
  country?: string;
  admin1?: string;
}

export interface PlaceMention {
  place: Place;
  start: number;
  end: number;
  text: string;
}

export interface AdminLocation {
  admin1: string | null;
  admin2: string | null;
  country: string | null;
}

/**
 * ACLED-style geo-precision for an event placed at this place: 1 the place itself, 2 a district,
 * 3 a province or country.
 */
export function geoPrecisionOf(place: Place): 1 | 2 | 3 {
  if (place.kind === 'district') return 2;
  if (place.kind === 'province' || place.kind === 'country') return 3;
  return 1;
}
