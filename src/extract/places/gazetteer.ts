import type { Store } from '../../store/contract.ts';
import { canonicalAdmin1, canonicalAdmin2 } from './admin-names.ts';
import {
  addName,
  type BaseData,
  buildBase,
  COAST_KM,
  type Entry,
  type NameIndex,
  SAME_PLACE_KM,
  SETTLEMENT_BONUS,
} from './base-data.ts';
import { haversineKm } from './geometry.ts';
import { type LearnedPlace, readLearnedPlaces } from './learn.ts';
import { placeKey, type TextToken, tokenize } from './normalise.ts';
import type { AdminLocation, Place, PlaceContext, PlaceMention } from './place.ts';

export {
  type AdminLocation,
  geoPrecisionOf,
  type Place,
  type PlaceContext,
  type PlaceKind,
  type PlaceMention,
} from './place.ts';

// Ranking weights: the context beats everything, then sightings in structured records, then the prior.
const SEEN_WEIGHT = 40;
const COUNTRY_MATCH = 1000;
const ADMIN1_MATCH = 400;
const OWN_NAME = 50;
/** A foreign place named in a text about another country must be a capital, a province seat or this big. */
const FOREIGN_MIN_POPULATION = 500_000;
/** Without a known country, a one-word match must be at least this big (or an admin seat). */
const UNANCHORED_MIN_POPULATION = 5_000;

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

  #score(entry: Entry, key: string, country: string | null, admin1: string | null): number {
    let score = entry.prior + SEEN_WEIGHT * Math.log2(1 + entry.seen);
    if (country && entry.place.country === country) score += COUNTRY_MATCH;
    if (admin1 && entry.place.admin1 === admin1) score += ADMIN1_MATCH;
    // The place that bears the name beats one that merely lists it as another name ("New Delhi" vs Delhi).
    if (placeKey(entry.place.name) === key) score += OWN_NAME;
    return score;
  }

  #rank(entries: Entry[], key: string, country: string | null, admin1: string | null): Entry[] {
    return entries
      .map((entry) => ({ entry, score: this.#score(entry, key, country, admin1) }))
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
    let matchedKey = key;
    const adminWord =
      /^(?:(district|agency|province|tehsil) (?:of )?(.+)|(.+) (district|agency|province|tehsil))$/.exec(key);
    if (found.length === 0 && adminWord) {
      const word = adminWord[1] ?? adminWord[4];
      const bare = adminWord[2] ?? adminWord[3] ?? '';
      const all = this.#candidates(bare);
      matchedKey = bare;
      const wanted = word === 'province' ? 'province' : word === 'tehsil' ? null : 'district';
      found = wanted ? all.filter((e) => e.place.kind === wanted) : all;
      if (found.length === 0) found = all;
    }
    // With a country to go by, a foreign hamlet that shares the name is noise, not an answer.
    if (country) found = found.filter((e) => plausible(e, country, true));
    return this.#rank(found, matchedKey, country, admin1).map((e) => e.place);
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
      /** The name key that matched. */
      key: string;
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
        raw.push({ from: i, to, key: k, candidates, unit });
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
      const best = this.#rank(candidates, m.key, country, admin1)[0];
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

/**
 * Capitalised words that may stand right before a place name without being part of a longer name:
 * prepositions, units, directions, and the titles, forces and facilities Pakistani reports put before
 * a place ("Chief Minister Balochistan", "Frontier Corps Balochistan", "Civil Hospital Quetta").
 */
const OPENERS = new Set(
  [
    'in at near from to of and or the on outskirts',
    'district province tehsil city town village area areas division agency',
    'north south east west central upper lower greater',
    'minister governor commissioner inspector general chief deputy secretary president mayor sho dpo dig ig dc',
    'police corps fc frontier levies rangers army forces ctd government assembly',
    'hospital road market bazaar bazar camp cantonment cantt airport station university college school mosque',
    'jail prison office headquarters club court press',
  ]
    .join(' ')
    .split(' '),
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
