import type { Store } from '../../store/contract.ts';
import { admin1Names, admin2Names, adminOfPolygon, canonicalAdmin1, canonicalAdmin2 } from './admin-names.ts';
import { readBoundaries, readTable } from './data-files.ts';
import { haversineKm, interiorPoint, type PolygonRings, polygonsOf, RegionIndex } from './geometry.ts';
import { type LearnedPlace, readLearnedPlaces } from './learn.ts';
import { placeKey, type TextToken, tokenize } from './normalise.ts';
import { countryName, readWorldCities, type WorldCities } from './world-cities.ts';

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

interface Entry {
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

type NameIndex = Map<string, Entry[]>;

const SETTLEMENT_BONUS = 30;
const SEEN_WEIGHT = 40;
const COUNTRY_MATCH = 1000;
const ADMIN1_MATCH = 400;
/** A learned place this close to a base place of the same name is that place, seen again. */
const SAME_PLACE_KM = 25;
/** A foreign place named in a text about another country must be a capital, a province seat or this big. */
const FOREIGN_MIN_POPULATION = 500_000;
/** Without a known country, a one-word match must be at least this big (or an admin seat). */
const UNANCHORED_MIN_POPULATION = 5_000;
const MAX_NAME_TOKENS = 8;
/** A point this close outside the simplified boundaries (a harbour, a border post) still belongs to the nearest district. */
const COAST_KM = 15;

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

function addName(index: NameIndex, maxTokens: Map<string, number>, name: string, entry: Entry): void {
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
class BaseEntries {
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

interface BaseData {
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

function buildBase(): BaseData {
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

let basePromise: Promise<Gazetteer> | undefined;

/**
 * The offline gazetteer: GeoNames cities of every country, Pakistani districts and provinces with their
 * old and new names, curated towns, and (from a store) the places structured records have taught it.
 *
 * @example
 * const gazetteer = await Gazetteer.load();
 * gazetteer.lookup('Turbat')[0]?.admin2 // 'Kech'
 */
export class Gazetteer {
  readonly #base: BaseData;
  readonly #learned: NameIndex;
  readonly #learnedMaxTokens: Map<string, number>;

  private constructor(
    base: BaseData,
    learned: NameIndex = new Map(),
    learnedMaxTokens = new Map<string, number>(),
  ) {
    this.#base = base;
    this.#learned = learned;
    this.#learnedMaxTokens = learnedMaxTokens;
  }

  /** The base gazetteer, built once per process. */
  static load(): Promise<Gazetteer> {
    // A failed build is not cached: the next call tries again (and reports its own error).
    basePromise ??= Promise.resolve()
      .then(() => new Gazetteer(buildBase()))
      .catch((error: unknown) => {
        basePromise = undefined;
        throw error;
      });
    return basePromise;
  }

  /** Base data plus the places learned from structured records (see `learnPlaces`). */
  static async fromStore(store: Store): Promise<Gazetteer> {
    const base = await Gazetteer.load();
    return base.withLearned(await readLearnedPlaces(store));
  }

  /** A gazetteer sharing this one's base data, with these learned places on top (the base is not changed). */
  withLearned(places: readonly LearnedPlace[]): Gazetteer {
    const learned: NameIndex = new Map();
    const maxTokens = new Map<string, number>();
    // The same place listed more than once (one row per sighting) becomes one entry seen that often.
    const byIdentity = new Map<string, Entry>();
    for (const p of places) {
      const admin = p.admin2 && p.country ? null : this.locate(p.latitude, p.longitude);
      const country = p.country ?? admin?.country ?? null;
      if (!country) continue;
      const admin1 = canonicalAdmin1(p.admin1) ?? admin?.admin1 ?? null;
      const admin2 = canonicalAdmin2(p.admin2, admin1) ?? admin?.admin2 ?? null;
      const identity = [placeKey(p.name), country, admin1 ?? '', admin2 ?? ''].join('|');
      const same = byIdentity.get(identity);
      if (same) {
        const total = same.seen + p.seen;
        same.place.latitude = (same.place.latitude * same.seen + p.latitude * p.seen) / total;
        same.place.longitude = (same.place.longitude * same.seen + p.longitude * p.seen) / total;
        same.seen = total;
        continue;
      }
      const entry: Entry = {
        place: {
          name: p.name,
          country,
          admin1,
          admin2,
          latitude: p.latitude,
          longitude: p.longitude,
          kind: 'learned',
          population: null,
        },
        prior: SETTLEMENT_BONUS,
        seen: p.seen,
        major: false,
      };
      byIdentity.set(identity, entry);
      addName(learned, maxTokens, p.name, entry);
    }
    return new Gazetteer(this.#base, learned, maxTokens);
  }

  /** A one-word key that names a place on its own (not a stop name). */
  readonly #isPlaceName = (key: string): boolean =>
    !this.#base.stopNames.has(key) && (this.#base.entries.has(key) || this.#learned.has(key));

  /** Number of learned places in this gazetteer. */
  get learnedCount(): number {
    let n = 0;
    for (const list of this.#learned.values()) n += list.length;
    return n;
  }

  /** Base and learned entries under one key; a learned place near a base place of that name boosts it instead. */
  #candidates(key: string): Entry[] {
    const base = this.#base.entries.get(key);
    const learned = this.#learned.get(key);
    if (!learned) return base ?? [];
    const merged: Entry[] = base ? base.map((e) => ({ ...e })) : [];
    for (const l of learned) {
      const same = merged.find(
        (e) =>
          e.place.kind !== 'learned' &&
          e.place.country === l.place.country &&
          haversineKm(e.place.latitude, e.place.longitude, l.place.latitude, l.place.longitude) <
            SAME_PLACE_KM,
      );
      if (same) same.seen += l.seen;
      else merged.push(l);
    }
    return merged;
  }

  #countryOf(name: string | undefined): string | null {
    if (!name) return null;
    return this.#base.countryByKey.get(placeKey(name)) ?? name;
  }

  #score(entry: Entry, country: string | null, admin1: string | null): number {
    let score = entry.prior + SEEN_WEIGHT * Math.log2(1 + entry.seen);
    if (country && entry.place.country === country) score += COUNTRY_MATCH;
    if (admin1 && entry.place.admin1 === admin1) score += ADMIN1_MATCH;
    return score;
  }

  #rank(entries: Entry[], country: string | null, admin1: string | null): Entry[] {
    return entries
      .map((entry) => ({ entry, score: this.#score(entry, country, admin1) }))
      .sort((a, b) => b.score - a.score)
      .map((s) => s.entry);
  }

  /**
   * Every place a name may mean, best first: the context's country and province first, then places
   * seen more often in structured records, bigger places, towns before same-named districts.
   * "Kech district" and "District of Kech" look up the district.
   *
   * @example gazetteer.lookup('Qila Abdullah', { country: 'Pakistan' })[0]?.admin2 // 'Killa Abdullah'
   */
  lookup(name: string, context: PlaceContext = {}): Place[] {
    const country = this.#countryOf(context.country);
    const admin1 = canonicalAdmin1(context.admin1);
    const key = placeKey(name);
    let found = this.#candidates(key);
    const adminWord =
      /^(?:(district|agency|province|tehsil) (?:of )?(.+)|(.+) (district|agency|province|tehsil))$/.exec(key);
    if (found.length === 0 && adminWord) {
      const word = adminWord[1] ?? adminWord[4];
      const bare = adminWord[2] ?? adminWord[3] ?? '';
      const all = this.#candidates(bare);
      const wanted = word === 'province' ? 'province' : word === 'tehsil' ? null : 'district';
      found = wanted ? all.filter((e) => e.place.kind === wanted) : all;
      if (found.length === 0) found = all;
    }
    // With a country to go by, a foreign hamlet that shares the name is noise, not an answer.
    if (country) found = found.filter((e) => plausible(e, country, true));
    return this.#rank(found, country, admin1).map((e) => e.place);
  }

  /**
   * Every place named in a text, left to right, each the longest name that matches there, none overlapping.
   * A name must start with a capital letter; common words that are also towns somewhere ("Police") are
   * skipped; the text's own country (from `context` or from the unambiguous names in it) settles the rest.
   */
  findMentions(text: string, context: PlaceContext = {}): PlaceMention[] {
    const tokens = tokenize(text);
    const raw: Array<{
      from: number;
      to: number;
      candidates: Entry[];
      unit: 'district' | 'province' | null;
    }> = [];
    for (let i = 0; i < tokens.length; i++) {
      const first = tokens[i] as TextToken;
      if (!first.capitalised) continue;
      const longest = Math.max(
        this.#base.entries.maxTokens.get(first.key) ?? 0,
        this.#learnedMaxTokens.get(first.key) ?? 0,
        this.#base.entries.has(first.key) || this.#learned.has(first.key) ? 1 : 0,
      );
      if (longest === 0) continue;
      if (insideLongerName(text, tokens, i, raw[raw.length - 1]?.to ?? -1, this.#isPlaceName)) continue;
      let matched = false;
      let key = first.key;
      const keys = [key];
      for (let n = 1; n < longest && i + n < tokens.length; n++) {
        const prev = tokens[i + n - 1] as TextToken;
        const next = tokens[i + n] as TextToken;
        if (!joinable(text, prev.end, next.start)) break;
        key = `${key} ${next.key}`;
        keys.push(key);
      }
      for (let n = keys.length; n >= 1; n--) {
        const last = tokens[i + n - 1] as TextToken;
        if (n > 1 && !last.capitalised) continue;
        const k = keys[n - 1] as string;
        if (n === 1 && (this.#base.stopNames.has(k) || k.length < 3 || /^\d/.test(k))) continue;
        const candidates = this.#candidates(k);
        if (candidates.length === 0) continue;
        const after = tokens[i + n];
        const before1 = tokens[i - 1];
        const before2 = tokens[i - 2];
        let unit: 'district' | 'province' | null = null;
        let to = i + n - 1;
        const unitAfter = after && joinable(text, last.end, after.start) ? UNIT_WORDS[after.key] : undefined;
        if (unitAfter && candidates.some((c) => c.place.kind === unitAfter)) {
          unit = unitAfter;
          to = i + n;
        } else if (
          before1 &&
          (before1.key === 'district' || (before1.key === 'of' && before2?.key === 'district'))
        ) {
          unit = 'district';
        }
        raw.push({ from: i, to, candidates, unit });
        i = to;
        matched = true;
        break;
      }
      if (!matched) continue;
    }
    if (raw.length === 0) return [];

    // The text's country and province: from context, else voted by the names that can only mean one.
    let country = this.#countryOf(context.country);
    let admin1 = canonicalAdmin1(context.admin1);
    if (!country || !admin1) {
      const countryVotes = new Map<string, number>();
      const admin1Votes = new Map<string, number>();
      for (const m of raw) {
        const countries = new Set(m.candidates.map((c) => c.place.country));
        const admin = m.candidates.find(
          (c) => c.place.kind === 'province' || c.place.kind === 'district' || c.place.kind === 'country',
        );
        const weight = admin ? 2 : countries.size === 1 ? 1 : 0;
        const votedCountry = admin?.place.country ?? (countries.size === 1 ? [...countries][0] : undefined);
        if (votedCountry && weight > 0)
          countryVotes.set(votedCountry, (countryVotes.get(votedCountry) ?? 0) + weight);
        const admins = new Set(m.candidates.map((c) => c.place.admin1).filter((a) => a !== null));
        const votedAdmin1 =
          admin?.place.kind === 'province'
            ? admin.place.admin1
            : admins.size === 1
              ? [...admins][0]
              : undefined;
        if (votedAdmin1)
          admin1Votes.set(
            votedAdmin1,
            (admin1Votes.get(votedAdmin1) ?? 0) + (admin?.place.kind === 'province' ? 2 : 1),
          );
      }
      country ??= argmax(countryVotes);
      admin1 ??= argmax(admin1Votes);
    }

    const mentions: PlaceMention[] = [];
    for (const m of raw) {
      const single = m.to === m.from || (m.unit !== null && m.to === m.from + 1);
      let candidates = m.candidates.filter((c) => plausible(c, country, single));
      if (m.unit) {
        const units = candidates.filter((c) => c.place.kind === m.unit);
        if (units.length > 0) candidates = units;
      }
      const best = this.#rank(candidates, country, admin1)[0];
      if (!best) continue;
      const start = (tokens[m.from] as TextToken).start;
      const end = (tokens[m.to] as TextToken).end;
      mentions.push({ place: best.place, start, end, text: text.slice(start, end) });
    }
    return mentions;
  }

  /** The canonical district and province of a point (Pakistan, by polygon), else the country of the nearest town. */
  locate(lat: number, lon: number): AdminLocation {
    const district = this.#base.districts.find(lon, lat);
    if (district) return { admin1: district.admin1, admin2: district.admin2, country: 'Pakistan' };
    const province = this.#base.provinces.find(lon, lat);
    if (province) return { admin1: province, admin2: null, country: 'Pakistan' };
    const near = this.#nearest(lat, lon, 100);
    // Just outside the simplified border: Pakistani unless a foreign town is right there.
    const nearForeign =
      near &&
      near.place.country !== 'Pakistan' &&
      haversineKm(lat, lon, near.place.latitude, near.place.longitude) < COAST_KM;
    const edge = nearForeign ? null : this.#base.districts.findNear(lon, lat, COAST_KM);
    if (edge) return { admin1: edge.admin1, admin2: edge.admin2, country: 'Pakistan' };
    return { admin1: null, admin2: null, country: near?.place.country ?? null };
  }

  #nearest(lat: number, lon: number, maxKm: number): Entry | null {
    return this.#base.entries.nearest(lat, lon, maxKm);
  }
}

/** Capitalised words that may stand right before a place name without being part of a longer name. */
const OPENERS = new Set(
  'in at near from to of and or the on district province tehsil city town village area areas north south east west central upper lower greater outskirts'.split(
    ' ',
  ),
);

/**
 * Whether token i continues a capitalised name that does not match (the "Mardan" of "Shah Mardan"): the
 * token before it is capitalised, joined by a space, not a sentence opener or the end of a previous match.
 */
function insideLongerName(
  text: string,
  tokens: readonly TextToken[],
  i: number,
  previousMatchEnd: number,
  isPlaceName: (key: string) => boolean,
): boolean {
  const prev = tokens[i - 1];
  const token = tokens[i] as TextToken;
  if (!prev?.capitalised || i - 1 === previousMatchEnd) return false;
  if (token.start - prev.end !== 1 || text.charCodeAt(prev.end) !== 32) return false;
  // A place name right before it ("Karachi Lahore" in a list) is a neighbour, not the start of a longer name.
  if (OPENERS.has(prev.key) || isPlaceName(prev.key)) return false;
  const surface = text.slice(prev.start, token.end);
  if (surface === surface.toUpperCase()) return false;
  const before = tokens[i - 2];
  const gap = text.slice(before ? before.end : 0, prev.start);
  return !(before === undefined || /[.!?:;"“(\n]/.test(gap));
}

const UNIT_WORDS: Record<string, 'district' | 'province'> = {
  district: 'district',
  districts: 'district',
  agency: 'district',
  province: 'province',
};

/** Tokens of one name are separated by a space, hyphen, dot or apostrophe, not by a comma or a line. */
function joinable(text: string, end: number, start: number): boolean {
  if (start - end > 3) return false;
  for (let k = end; k < start; k++) {
    const c = text.charCodeAt(k);
    // space, hyphen, dot, non-breaking space
    if (c !== 32 && c !== 45 && c !== 46 && c !== 160) return false;
  }
  return true;
}

function plausible(entry: Entry, country: string | null, single: boolean): boolean {
  const place = entry.place;
  if (place.kind === 'country') return true;
  if (country) {
    if (place.country === country) return true;
    return (
      (place.population ?? 0) >= FOREIGN_MIN_POPULATION ||
      entry.seen >= 3 ||
      entry.capital === true ||
      (entry.major && !single)
    );
  }
  if (!single || entry.major || entry.seen > 0) return true;
  return (place.population ?? 0) >= UNANCHORED_MIN_POPULATION;
}

function argmax(votes: Map<string, number>): string | null {
  let best: string | null = null;
  let most = 0;
  for (const [value, n] of votes) {
    if (n > most) {
      most = n;
      best = value;
    }
  }
  return best;
}
