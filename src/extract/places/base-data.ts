/**
 * The gazetteer's base data: GeoNames cities of every country (kept as columns, turned into entries on
 * demand), curated Pakistani towns, alternate names, districts, provinces and countries, with the name index
 * `findMentions` walks. Built once per process by `Gazetteer.load`.
 */
import { admin1Names, admin2Names, adminOfPolygon, canonicalAdmin1 } from './admin-names.ts';
import { readBoundaries, readTable } from './data-files.ts';
import { haversineKm, interiorPoint, type PolygonRings, polygonsOf, RegionIndex } from './geometry.ts';
import { placeKey } from './normalise.ts';
import type { Place, PlaceKind } from './place.ts';
import { countryName, readWorldCities, type WorldCities } from './world-cities.ts';

export interface Entry {
  place: Place;
  /** Score before context: population, administrative rank, kind. */
  prior: number;
  /** Times structured records named this place (learned layer). */
  seen: number;
  /** Capitals, admin seats, curated and administrative units: trusted even when small. */
  major: boolean;
  /** A national capital or a sizeable first-level seat (GeoNames PPLC, PPLA): named abroad, it is still likely meant. */
  capital?: boolean;
}

export type NameIndex = Map<string, Entry[]>;

/** Prior bonus of a settlement over a same-named district, province or country. */
export const SETTLEMENT_BONUS = 30;
/** A learned place this close to a base place of the same name is that place, seen again. */
export const SAME_PLACE_KM = 25;
const MAX_NAME_TOKENS = 8;
/** A point this close outside the simplified boundaries (a harbour, a border post) still belongs to the nearest district. */
export const COAST_KM = 15;

/** 20 per power of ten; an admin seat of unknown size counts as a town of 10,000. */
function populationScore(population: number | null, adminSeat = false): number {
  const score = population && population > 0 ? 20 * Math.log10(population) : 0;
  return adminSeat ? Math.max(score, 80) : score;
}

function tokenCount(key: string): number {
  let count = 1;
  for (let k = key.indexOf(' '); k >= 0 && count < MAX_NAME_TOKENS; k = key.indexOf(' ', k + 1)) count++;
  return count;
}

/** Records how many tokens the longest name starting with this key's first token has (one-token names need no note). */
function noteLength(maxTokens: Map<string, number>, key: string): void {
  const space = key.indexOf(' ');
  if (space < 0) return;
  const first = key.slice(0, space);
  const count = tokenCount(key);
  if ((maxTokens.get(first) ?? 0) < count) maxTokens.set(first, count);
}

export function addName(index: NameIndex, maxTokens: Map<string, number>, name: string, entry: Entry): void {
  const key = placeKey(name);
  if (!key) return;
  const list = index.get(key);
  if (list) {
    if (!list.includes(entry)) list.push(entry);
  } else index.set(key, [entry]);
  noteLength(maxTokens, key);
}

/**
 * The base entries: ≈135,000 GeoNames rows kept as columns and turned into `Entry` objects only when a
 * lookup reaches them (building them all up front costs more than the rest of loading), plus the
 * curated places, districts, provinces and countries, built eagerly. Ids below `cities.count` are rows.
 */
export class BaseEntries {
  readonly #cities: WorldCities;
  readonly #countryOf: (code: string) => string;
  readonly #adminOf: (id: number) => { admin1: string; admin2: string } | null;
  readonly #cache: Array<Entry | undefined>;
  readonly #extra: Entry[] = [];
  readonly #ids = new Map<string, number | number[]>();
  readonly maxTokens = new Map<string, number>();

  constructor(
    cities: WorldCities,
    countryOf: (code: string) => string,
    adminOf: (id: number) => { admin1: string; admin2: string } | null,
  ) {
    this.#cities = cities;
    this.#countryOf = countryOf;
    this.#adminOf = adminOf;
    this.#cache = new Array(cities.count);
  }

  get cities(): WorldCities {
    return this.#cities;
  }

  entry(id: number): Entry {
    if (id >= this.#cities.count) return this.#extra[id - this.#cities.count] as Entry;
    const cached = this.#cache[id];
    if (cached) return cached;
    const c = this.#cities;
    const featureCode = c.featureCodes[id] as string;
    const rawPopulation = c.population[id] as number;
    const admin = this.#adminOf(id);
    const population = rawPopulation > 0 ? rawPopulation : null;
    const major = featureCode === 'PPLC' || featureCode === 'PPLA' || featureCode === 'PPLA2';
    const rank = featureCode === 'PPLC' ? 60 : featureCode === 'PPLA' ? 40 : featureCode === 'PPLA2' ? 20 : 0;
    const entry: Entry = {
      place: {
        name: c.names[id] as string,
        country: this.#countryOf(c.countries[id] as string),
        admin1: admin?.admin1 ?? null,
        admin2: admin?.admin2 ?? null,
        latitude: c.latitude[id] as number,
        longitude: c.longitude[id] as number,
        kind: kindOfCity(rawPopulation, featureCode),
        population,
      },
      prior: populationScore(population, major) + rank + SETTLEMENT_BONUS,
      seen: 0,
      major,
      capital: featureCode === 'PPLC' || (featureCode === 'PPLA' && rawPopulation >= 50_000),
    };
    this.#cache[id] = entry;
    return entry;
  }

  /** Adds a non-GeoNames entry and returns its id. */
  push(entry: Entry): number {
    this.#extra.push(entry);
    return this.#cities.count + this.#extra.length - 1;
  }

  idOf(entry: Entry): number {
    const extra = this.#extra.indexOf(entry);
    if (extra >= 0) return this.#cities.count + extra;
    return this.#cache.indexOf(entry);
  }

  addKey(key: string, id: number): void {
    if (!key) return;
    const ids = this.#ids.get(key);
    if (ids === undefined) this.#ids.set(key, id);
    else if (typeof ids === 'number') {
      if (ids !== id) this.#ids.set(key, [ids, id]);
    } else if (!ids.includes(id)) ids.push(id);
    noteLength(this.maxTokens, key);
  }

  addName(name: string, id: number): void {
    this.addKey(placeKey(name), id);
  }

  has(key: string): boolean {
    return this.#ids.has(key);
  }

  get(key: string): Entry[] | undefined {
    const ids = this.#ids.get(key);
    if (ids === undefined) return undefined;
    if (typeof ids === 'number') return [this.entry(ids)];
    return ids.map((id) => this.entry(id));
  }

  #grid: Map<number, number[]> | undefined;

  /** The nearest populated place within `maxKm`, from a 1° grid of ids built on first use. */
  nearest(lat: number, lon: number, maxKm: number): Entry | null {
    const cellOf = (la: number, lo: number) => (Math.floor(la) + 90) * 1000 + (Math.floor(lo) + 180);
    if (!this.#grid) {
      this.#grid = new Map();
      const total = this.#cities.count + this.#extra.length;
      for (let id = 0; id < total; id++) {
        const extra = id >= this.#cities.count ? this.#extra[id - this.#cities.count] : undefined;
        if (
          extra &&
          (extra.place.kind === 'country' ||
            extra.place.kind === 'province' ||
            extra.place.kind === 'district')
        )
          continue;
        const la = extra ? extra.place.latitude : (this.#cities.latitude[id] as number);
        const lo = extra ? extra.place.longitude : (this.#cities.longitude[id] as number);
        const cell = cellOf(la, lo);
        const list = this.#grid.get(cell);
        if (list) list.push(id);
        else this.#grid.set(cell, [id]);
      }
    }
    let best = -1;
    let bestKm = maxKm;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        for (const id of this.#grid.get(cellOf(lat + dy, lon + dx)) ?? []) {
          const extra = id >= this.#cities.count ? this.#extra[id - this.#cities.count] : undefined;
          const la = extra ? extra.place.latitude : (this.#cities.latitude[id] as number);
          const lo = extra ? extra.place.longitude : (this.#cities.longitude[id] as number);
          const km = haversineKm(lat, lon, la, lo);
          if (km < bestKm) {
            bestKm = km;
            best = id;
          }
        }
      }
    }
    return best < 0 ? null : this.entry(best);
  }
}

export interface BaseData {
  entries: BaseEntries;
  stopNames: Set<string>;
  districts: RegionIndex<{ admin1: string; admin2: string }>;
  provinces: RegionIndex<string>;
  countryByCode: Map<string, string>;
  countryByKey: Map<string, string>;
}

function kindOfCity(population: number, featureCode: string): PlaceKind {
  if (population >= 100_000) return 'city';
  if (population >= 10_000 || featureCode.startsWith('PPLA') || featureCode === 'PPLC') return 'town';
  return 'village';
}

/** `placeKey` for the common case of a plain ASCII name of letters and single spaces, without regexes. */
function quickKey(name: string): string {
  const lower = name.toLowerCase();
  for (let k = 0; k < lower.length; k++) {
    const c = lower.charCodeAt(k);
    const letter = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (!letter && !(c === 32 && k > 0 && k < lower.length - 1 && lower.charCodeAt(k - 1) !== 32))
      return placeKey(name);
  }
  const first = lower.charCodeAt(0);
  return first === 113 || first === 107 || lower.includes(' q') || lower.includes(' k')
    ? placeKey(name)
    : lower;
}

export function buildBase(): BaseData {
  const districtFeatures = readBoundaries('pakistan-districts.geojson');
  const districts = new RegionIndex(
    districtFeatures.map((f) => {
      const polygon = String(f.properties.districts);
      const admin = adminOfPolygon(polygon) ?? {
        admin2: polygon,
        admin1: canonicalAdmin1(String(f.properties.province_territory)) ?? '',
      };
      return { value: admin, geometry: f.geometry };
    }),
  );
  const provinceFeatures = readBoundaries('pakistan-provinces.geojson');
  const provinces = new RegionIndex(
    provinceFeatures.map((f) => ({
      value:
        canonicalAdmin1(String(f.properties.province_territory)) ?? String(f.properties.province_territory),
      geometry: f.geometry,
    })),
  );

  // GeoNames cities ≥ 1000 inhabitants, all countries; Pakistani ones get their district by point-in-polygon.
  const cities = readWorldCities();
  const countryByCode = new Map<string, string>();
  const countryOf = (code: string): string => {
    let name = countryByCode.get(code);
    if (name === undefined) {
      name = countryName(code);
      countryByCode.set(code, name);
    }
    return name;
  };
  const pakistaniAdmin = new Map<number, { admin1: string; admin2: string } | null>();
  const entries = new BaseEntries(cities, countryOf, (id) => pakistaniAdmin.get(id) ?? null);
  const biggestByCountry = new Map<string, { id: number; score: number }>();
  // GeoNames' other names ("Fort Sandeman" for Zhob), by GeoNames id; see scripts/build-gazetteer.ts.
  const alternatesById = new Map<number, string[]>();
  for (const [geonameId = '', , alternates = ''] of readTable('geonames-alternate-names.tsv')) {
    alternatesById.set(Number(geonameId), alternates.split('|'));
  }
  for (let id = 0; id < cities.count; id++) {
    const code = cities.countries[id] as string;
    entries.addKey(quickKey(cities.names[id] as string), id);
    const alternates = alternatesById.get(cities.ids[id] as number);
    if (alternates) for (const alternate of alternates) entries.addName(alternate, id);
    if (code === 'PK') {
      pakistaniAdmin.set(
        id,
        districts.findNear(cities.longitude[id] as number, cities.latitude[id] as number, COAST_KM),
      );
    }
    const score = (cities.featureCodes[id] === 'PPLC' ? 1e12 : 0) + (cities.population[id] as number);
    const best = biggestByCountry.get(code);
    if (!best || score > best.score) biggestByCountry.set(code, { id, score });
  }

  // Countries, placed at their capital (or biggest city): good enough for "somewhere in X", precision 3.
  const countryByKey = new Map<string, string>();
  for (const [code, { id }] of biggestByCountry) {
    const name = countryOf(code);
    const id2 = entries.push({
      place: {
        name,
        country: name,
        admin1: null,
        admin2: null,
        latitude: cities.latitude[id] as number,
        longitude: cities.longitude[id] as number,
        kind: 'country',
        population: null,
      },
      prior: 200,
      seen: 0,
      major: true,
    });
    entries.addName(name, id2);
    countryByKey.set(placeKey(name), name);
    countryByKey.set(code.toLowerCase(), name);
  }

  // Curated Pakistani towns and landmarks GeoNames lacks; a curated row near a GeoNames place of the same
  // name only adds its alternate names to it.
  for (const [name = '', kind = 'town', lat = '', lon = '', alternates = ''] of readTable(
    'pakistan-places.tsv',
  )) {
    const latitude = Number(lat);
    const longitude = Number(lon);
    const key = placeKey(name);
    // Already known under this name (its own or a GeoNames alternate) close by: only add the alternates.
    const existing = (entries.get(key) ?? []).find(
      (e) =>
        e.place.country === 'Pakistan' &&
        e.place.kind !== 'district' &&
        e.place.kind !== 'province' &&
        haversineKm(e.place.latitude, e.place.longitude, latitude, longitude) < SAME_PLACE_KM,
    );
    let id = existing ? entries.idOf(existing) : -1;
    if (id < 0) {
      const admin = districts.findNear(longitude, latitude, COAST_KM);
      const entry: Entry = {
        place: {
          name,
          country: 'Pakistan',
          admin1: admin?.admin1 ?? provinces.find(longitude, latitude),
          admin2: admin?.admin2 ?? null,
          latitude,
          longitude,
          kind: kind === 'landmark' ? 'landmark' : 'town',
          population: null,
        },
        prior: 80 + SETTLEMENT_BONUS,
        seen: 0,
        major: true,
      };
      id = entries.push(entry);
      entries.addName(name, id);
    }
    for (const alternate of alternates.split('|')) if (alternate.trim()) entries.addName(alternate, id);
  }

  // Alternate names of places already present.
  for (const [alternate = '', target = '', code = ''] of readTable('alternate-names.tsv')) {
    const country = countryOf(code);
    const targets = (entries.get(placeKey(target)) ?? []).filter((e) => e.place.country === country);
    const best = targets.sort((a, b) => b.prior - a.prior)[0];
    if (best) entries.addName(alternate, entries.idOf(best));
  }

  // Districts (canonical name, old and new names) and provinces, placed at an interior point of their polygon.
  const addUnit = (
    unit: {
      name: string;
      kind: 'district' | 'province';
      admin1: string;
      admin2: string | null;
      prior: number;
    },
    shape: PolygonRings[],
    names: readonly string[],
  ) => {
    const [longitude, latitude] = interiorPoint(shape);
    const { name, kind, admin1, admin2, prior } = unit;
    const place: Place = {
      name,
      country: 'Pakistan',
      admin1,
      admin2,
      latitude,
      longitude,
      kind,
      population: null,
    };
    const id = entries.push({ place, prior, seen: 0, major: true });
    for (const alias of names) entries.addName(alias, id);
  };
  const districtShape = new Map(
    districtFeatures.map((f) => [String(f.properties.districts), polygonsOf(f.geometry)]),
  );
  for (const d of admin2Names()) {
    const shape = districtShape.get(d.polygon);
    if (shape)
      addUnit(
        { name: d.name, kind: 'district', admin1: d.admin1, admin2: d.name, prior: 60 },
        shape,
        d.names,
      );
  }
  const FATA = 'Federally Administered Tribal Areas';
  const provinceShape = new Map(
    provinceFeatures.map((f) => [String(f.properties.province_territory), polygonsOf(f.geometry)]),
  );
  for (const p of admin1Names()) {
    const shape = [...provinceShape].find(([name]) => name !== FATA && canonicalAdmin1(name) === p.name)?.[1];
    const names = p.names.filter((name) => !p.successors.includes(name));
    if (shape)
      addUnit({ name: p.name, kind: 'province', admin1: p.name, admin2: null, prior: 80 }, shape, names);
  }
  // The former tribal areas are Khyber Pakhtunkhwa now, but "in FATA" still means that region, not Peshawar.
  const fataShape = provinceShape.get(FATA);
  const fataNames = admin1Names().flatMap((p) => p.successors);
  if (fataShape)
    addUnit(
      { name: FATA, kind: 'province', admin1: 'Khyber Pakhtunkhwa', admin2: null, prior: 85 },
      fataShape,
      fataNames,
    );

  const stopNames = new Set(readTable('stop-names.txt').map((row) => placeKey(row[0] ?? '')));
  return { entries, stopNames, districts, provinces, countryByCode, countryByKey };
}
