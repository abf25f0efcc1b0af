import { haversineKm } from '../extract/places/geometry.ts';
import { aliasKey } from './alias-key.ts';

export { haversineKm };

/**
 * Province names as sources write them ("KPK", "NWFP", "North-West Frontier Province", "Baluchistan")
 * reduced to one key per province, so records from different sources can be compared by place.
 */
const ADMIN1_ALIASES: Record<string, string> = {
  kpk: 'khyber pakhtunkhwa',
  kp: 'khyber pakhtunkhwa',
  nwfp: 'khyber pakhtunkhwa',
  'north west frontier province': 'khyber pakhtunkhwa',
  'khyber pakhtoonkhwa': 'khyber pakhtunkhwa',
  fata: 'fata',
  'federally administered tribal areas': 'fata',
  baluchistan: 'balochistan',
  capital: 'islamabad',
  ict: 'islamabad',
  'islamabad capital territory': 'islamabad',
  'federal capital territory': 'islamabad',
  ajk: 'azad kashmir',
  'azad jammu kashmir': 'azad kashmir',
  'azad jammu and kashmir': 'azad kashmir',
  'northern areas': 'gilgit baltistan',
};

/** The comparison key of a province name; null for missing or "Unknown". */
export function admin1Key(name: string | null): string | null {
  if (!name) return null;
  const key = aliasKey(name);
  if (!key || key === 'unknown') return null;
  return ADMIN1_ALIASES[key] ?? key;
}

/**
 * Provinces that sources confuse for one place: FATA was merged into Khyber Pakhtunkhwa in 2018, and
 * the Islamabad Capital Territory is an enclave in Punjab whose suburbs (Rawalpindi, Wah) are filed
 * under either.
 */
const CONFUSED_ADMIN1 = [
  ['fata', 'khyber pakhtunkhwa'],
  ['islamabad', 'punjab'],
];

export function admin1Compatible(a: string | null, b: string | null): boolean {
  if (a === null || b === null || a === b) return true;
  return CONFUSED_ADMIN1.some(([x, y]) => (a === x && b === y) || (a === y && b === x));
}

/** District keys: spacing and spelling variants of the same district compare equal ("Las Bela" = "Lasbela"). */
export function admin2Key(name: string | null): string | null {
  if (!name) return null;
  const key = aliasKey(name)
    .replace(/\b(district|agency|tehsil)\b/g, '')
    .replace(/\s+/g, '');
  return key || null;
}

/**
 * How far apart two reports of one incident may be placed, by the coarser geo precision of the two:
 * 1 = the place itself, 2 = near it, 3 = district/province centroid, 4–5 = unknown.
 */
export function placeToleranceKm(precisionA: number | null, precisionB: number | null): number {
  const worst = Math.max(precisionA ?? 2, precisionB ?? 2);
  if (worst <= 1) return 30;
  if (worst === 2) return 60;
  if (worst === 3) return 150;
  return Number.POSITIVE_INFINITY;
}

/** Days since 1970-01-01 of an ISO date. */
export function dayNumber(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000);
}
