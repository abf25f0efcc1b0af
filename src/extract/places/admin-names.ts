import { readAdminAliases } from './data-files.ts';
import { placeKey } from './normalise.ts';
import type { AdminLocation } from './place.ts';

interface Admin2Entry {
  name: string;
  admin1: string;
  polygon: string;
}

interface AdminTables {
  admin1ByKey: Map<string, string>;
  /** key → entries (a few names repeat across provinces elsewhere; admin1 picks). */
  admin2ByKey: Map<string, Admin2Entry[]>;
  admin2ByPolygon: Map<string, Admin2Entry>;
  provinces: Set<string>;
}

let tables: AdminTables | undefined;

function adminTables(): AdminTables {
  if (tables) return tables;
  const file = readAdminAliases();
  const admin1ByKey = new Map<string, string>();
  for (const entry of file.admin1) {
    for (const alias of [entry.name, ...entry.aliases, ...(entry.successors ?? [])]) {
      admin1ByKey.set(placeKey(alias), entry.name);
    }
  }
  const admin2ByKey = new Map<string, Admin2Entry[]>();
  const admin2ByPolygon = new Map<string, Admin2Entry>();
  for (const entry of file.admin2) {
    const value = { name: entry.name, admin1: entry.admin1, polygon: entry.polygon };
    admin2ByPolygon.set(entry.polygon, value);
    for (const alias of [entry.name, entry.polygon, ...entry.aliases, ...(entry.successors ?? [])]) {
      const key = placeKey(alias);
      const list = admin2ByKey.get(key) ?? [];
      if (!list.includes(value)) list.push(value);
      admin2ByKey.set(key, list);
    }
  }
  tables = { admin1ByKey, admin2ByKey, admin2ByPolygon, provinces: new Set(file.admin1.map((e) => e.name)) };
  return tables;
}

/** Drops a trailing "District"/"Agency"/"Division" and a leading "District of", which sources add or leave out. */
function stripAdminWords(name: string): string {
  return name
    .replace(/^\s*district\s+(of\s+)?/i, '')
    .replace(/\s+(district|division|tehsil)\s*$/i, '')
    .trim();
}

/** A name trimmed, with each run of whitespace inside it made one space ("Bajaur  Agency" → "Bajaur Agency"). */
function collapseSpaces(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

/**
 * The canonical name of a province-level unit, whatever a source calls it ("NWFP", "KPK", "FATA" →
 * "Khyber Pakhtunkhwa"; "Baluchistan" → "Balochistan"). Names it does not know come back trimmed, inner whitespace collapsed.
 *
 * @example canonicalAdmin1('N.W.F.P.') // 'Khyber Pakhtunkhwa'
 */
export function canonicalAdmin1(name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  const trimmed = name.trim();
  if (trimmed === '') return null;
  const t = adminTables();
  return (
    t.admin1ByKey.get(placeKey(trimmed)) ??
    t.admin1ByKey.get(placeKey(stripAdminWords(trimmed))) ??
    collapseSpaces(trimmed)
  );
}

/**
 * The canonical name of a district: one per polygon of the base map (pre-2018 boundaries), spelled as now.
 * Spellings and renames map to it ("Turbat" → "Kech", "Bolan" → "Kachhi", "Qila Abdullah" → "Killa Abdullah",
 * "South Waziristan Agency" → "South Waziristan"), and so do districts carved out of it later
 * ("Duki" → "Loralai", "Hub" → "Lasbela", "Karachi East" → "Karachi"). `admin1` breaks ties
 * between same-named units. Names it does not know come back trimmed, inner whitespace collapsed.
 *
 * @example canonicalAdmin2('Las Bela') // 'Lasbela'
 */
export function canonicalAdmin2(name: string | null | undefined, admin1?: string | null): string | null {
  if (name === null || name === undefined) return null;
  const trimmed = name.trim();
  if (trimmed === '') return null;
  const t = adminTables();
  const candidates =
    t.admin2ByKey.get(placeKey(trimmed)) ?? t.admin2ByKey.get(placeKey(stripAdminWords(trimmed)));
  if (!candidates || candidates.length === 0) return collapseSpaces(trimmed);
  const province = admin1 ? canonicalAdmin1(admin1) : null;
  // A province the table does not know is another country's: its "Nagar" or "Thar" is not Pakistan's.
  if (province && !t.provinces.has(province)) return collapseSpaces(trimmed);
  const match = province ? candidates.find((c) => c.admin1 === province) : undefined;
  return (match ?? candidates[0])?.name ?? collapseSpaces(trimmed);
}

/** The canonical district and province of a polygon of pakistan-districts.geojson, by its `districts` property. */
export function adminOfPolygon(polygonName: string): { admin2: string; admin1: string } | null {
  const entry = adminTables().admin2ByPolygon.get(polygonName);
  return entry ? { admin2: entry.name, admin1: entry.admin1 } : null;
}

/** Every canonical district with its province and every name that maps to it (for the gazetteer's names). */
export function admin2Names(): Array<{ name: string; admin1: string; polygon: string; names: string[] }> {
  return readAdminAliases().admin2.map((e) => ({
    name: e.name,
    admin1: e.admin1,
    polygon: e.polygon,
    names: [e.name, e.polygon, ...e.aliases, ...(e.successors ?? [])],
  }));
}

/** Every canonical province with the names that map to it. */
export function admin1Names(): Array<{ name: string; names: string[]; successors: string[] }> {
  return readAdminAliases().admin1.map((e) => ({
    name: e.name,
    names: [e.name, ...e.aliases, ...(e.successors ?? [])],
    successors: e.successors ?? [],
  }));
}

/** The country whose provinces and districts the alias table holds. */
export const ALIAS_COUNTRY = 'Pakistan';

/**
 * Sets an event's `admin1`/`admin2` to the names it is stored under: for an event in Pakistan, the
 * canonical province and district (pre-2018 polygons, current names: "NWFP" and "FATA" → "Khyber
 * Pakhtunkhwa", "Hungu" → "Hangu", "Duki" → "Loralai"), or the name as written with its whitespace
 * collapsed when the table does not know it. Other countries' names are left as they are: the table is
 * Pakistan's ("Punjab" in India, "Capital" in another country stay). The source's own spelling stays in `raw`.
 * The ingest's DuckDB path gives the same names (src/store/canonical-admin.ts maps its rows with this).
 *
 * @example canonicalEventAdmin({ country: 'Pakistan', admin1: 'NWFP', admin2: 'Hungu' }) // admin1 'Khyber Pakhtunkhwa', admin2 'Hangu'
 */
export function canonicalEventAdmin(event: {
  country: string | null;
  admin1: string | null;
  admin2: string | null;
}): void {
  if (event.country !== ALIAS_COUNTRY) return;
  // A file repeats a few pairs over and over: each is mapped once (0.5 s CPU per million events uncached).
  let byAdmin2 = pairCache.get(event.admin1);
  if (!byAdmin2) {
    if (pairCache.size >= 1000) pairCache.clear();
    byAdmin2 = new Map();
    pairCache.set(event.admin1, byAdmin2);
  }
  let names = byAdmin2.get(event.admin2);
  if (!names) {
    names = [canonicalAdmin1(event.admin1), canonicalAdmin2(event.admin2, event.admin1)];
    if (byAdmin2.size >= 10_000) byAdmin2.clear();
    byAdmin2.set(event.admin2, names);
  }
  [event.admin1, event.admin2] = names;
}

const pairCache = new Map<string | null, Map<string | null, [string | null, string | null]>>();

/** The place fields of an event that `districtOf` reads. */
export interface LocatableEvent {
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  latitude: number | null;
  longitude: number | null;
  geoPrecision: number | null;
}

/**
 * The district a Pakistani event's coordinates fall in, when the source names none and the point is the
 * place itself or near it (geo precision 1–2, or not given): GTD and the compilations name a city and a
 * province but no district, so their events were missing from every district count, map and filter.
 * A point whose district lies in another province than the one the source names is left alone (the
 * point or the province is wrong, and the district would contradict the source). Null: leave as is.
 */
export function districtOf(event: LocatableEvent, located: AdminLocation): AdminLocation | null {
  if (event.country !== ALIAS_COUNTRY || event.admin2 !== null || located.admin2 === null) return null;
  if (event.geoPrecision !== null && event.geoPrecision > 2) return null;
  if (event.admin1 !== null && canonicalAdmin1(event.admin1) !== located.admin1) return null;
  return { country: event.country, admin1: located.admin1, admin2: located.admin2 };
}
