import type { Place } from './places/place.ts';
import type { SpanIndex } from './span-index.ts';

/**
 * The one seam between extraction and the gazetteer (src/extract/places/): extraction only needs
 * these three calls, so any gazetteer with this shape plugs in, and tests can pass a small one.
 */
/** A gazetteer entry, as src/extract/places defines it. */
export type GazetteerPlace = Place;

export interface PlaceFinder {
  lookup(name: string, context?: { country?: string; admin1?: string }): GazetteerPlace[];
  findMentions(text: string): Array<{ place: GazetteerPlace; start: number; end: number; text: string }>;
  locate(lat: number, lon: number): { admin1: string | null; admin2: string | null; country: string | null };
}

/** Where an event happened, resolved as far as the text allows, with the span that said so. */
export interface ResolvedLocation {
  location: string | null;
  admin2: string | null;
  admin1: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  /** 1 = the place itself, 2 = near it / part of a district, 3 = only the province. */
  geoPrecision: 1 | 2 | 3 | null;
  evidence: { location?: Span; admin2?: Span; admin1?: Span };
}

interface Span {
  start: number;
  end: number;
}

interface Mention {
  place: GazetteerPlace;
  start: number;
  end: number;
  text: string;
}

const UNKNOWN_PLACE =
  /\b(?:in|at|near)\s+(?:the\s+)?([A-Z][a-z]+(?:[\s-][A-Z][a-z]+){0,2})(?:\s+(?:area|village|town|city|locality|bazaar))?,\s+(?:in\s+)?[A-Z]/;

const LOCAL_KINDS = new Set(['city', 'town', 'village', 'landmark', 'learned']);

/** "(Kech, Balochistan)", "(Kech district, Balochistan)", "in Kech district": how reports name a district. */
const PAREN_ADMIN =
  /\(\s*([A-Z][\w' .-]{1,40}?)(?:\s+(?:district|division|tehsil|agency))?\s*,\s*([A-Z][\w' .-]{1,40}?)\s*\)/g;
const DISTRICT_WORD = /\b([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})\s+(?:district|District|agency|Agency)\b/g;

/**
 * Picks the event's place from the gazetteer mentions in a passage: the first town or village named
 * (near-words lower the precision), the district the text names or the polygon the point falls in,
 * and the province. Without a gazetteer, only what the text spells out ("(Kech, Balochistan)") is used.
 */
/** A dateline opens a line: a place, maybe ", Province" and "(Agency)", then a colon or a dash. */
const DATELINE_AFTER = /^(?:,\s*[A-Z][\w .'-]{0,40})?\s*(?:\([^()\n]{1,40}\))?\s*(?::|—|–|--?\s)/;

/** Whether a place mention is a report's dateline ("QUETTA:", "Turbat, Balochistan (AFP) —"). */
export function isDateline(text: string, mention: Span): boolean {
  const lineStart = text.lastIndexOf('\n', mention.start - 1) + 1;
  if (text.slice(lineStart, mention.start).trim() !== '') return false;
  return DATELINE_AFTER.test(text.slice(mention.end, mention.end + 60));
}

export function resolveLocation(
  text: string,
  span: Span,
  gazetteer: PlaceFinder | undefined,
  mentions: readonly Mention[],
): ResolvedLocation {
  const passage = text.slice(span.start, span.end);
  const out: ResolvedLocation = {
    location: null,
    admin2: null,
    admin1: null,
    country: null,
    latitude: null,
    longitude: null,
    geoPrecision: null,
    evidence: {},
  };
  const all = mentions.filter((m) => m.start >= span.start && m.end <= span.end);
  // "QUETTA: Militants attacked a post in Kalat": the dateline says where the report was filed; the
  // event is where the text says, unless the dateline is the only place it names.
  const reported = all.filter((m) => !isDateline(text, m));
  PAREN_ADMIN.lastIndex = 0;
  DISTRICT_WORD.lastIndex = 0;
  const namesArea = PAREN_ADMIN.test(passage) || DISTRICT_WORD.test(passage);
  const inside = reported.length > 0 || namesArea ? reported : all;

  // the district and province a report spells out
  let namedAdmin2: { name: string; span: Span } | null = null;
  let namedAdmin1: { name: string; span: Span } | null = null;
  PAREN_ADMIN.lastIndex = 0;
  const paren = PAREN_ADMIN.exec(passage);
  if (paren) {
    const a2 = paren[1]!;
    const a1 = paren[2]!;
    const s2 = span.start + paren.index + paren[0].indexOf(a2);
    const s1 = span.start + paren.index + paren[0].lastIndexOf(a1);
    namedAdmin2 = { name: a2, span: { start: s2, end: s2 + a2.length } };
    namedAdmin1 = { name: a1, span: { start: s1, end: s1 + a1.length } };
  } else {
    DISTRICT_WORD.lastIndex = 0;
    const d = DISTRICT_WORD.exec(passage);
    if (d) {
      const s = span.start + d.index;
      namedAdmin2 = { name: d[1]!, span: { start: s, end: s + d[1]!.length } };
    }
  }
  const district = namedAdmin2
    ? gazetteer?.lookup(namedAdmin2.name).find((p) => p.kind === 'district')
    : undefined;
  const provinceOfDistrict = (name: string) => gazetteer?.lookup(name).find((p) => p.kind === 'province');

  const local = inside.find(
    (m) =>
      LOCAL_KINDS.has(m.place.kind) &&
      (!district ||
        !m.place.admin2 ||
        m.place.admin2 === district.admin2 ||
        m.place.admin2 === district.name),
  );
  const localAny = local ?? inside.find((m) => LOCAL_KINDS.has(m.place.kind));
  if (localAny) {
    const p = localAny.place;
    out.location = p.name;
    out.latitude = p.latitude;
    out.longitude = p.longitude;
    out.admin2 = p.admin2;
    out.admin1 = p.admin1;
    out.country = p.country;
    out.evidence.location = { start: localAny.start, end: localAny.end };
    if (p.admin2) out.evidence.admin2 = out.evidence.location;
    if (p.admin1) out.evidence.admin1 = out.evidence.location;
    const before = text.slice(Math.max(span.start, localAny.start - 25), localAny.start);
    out.geoPrecision =
      /\b(?:near|outskirts\s+of|outside|km\s+from|kilometres\s+from|close\s+to|vicinity\s+of|district|area\s+of)\s+(?:the\s+)?$/i.test(
        before,
      )
        ? 2
        : 1;
  }
  if (district) {
    if (!out.admin2 || out.admin2 !== (district.admin2 ?? district.name)) {
      // the text's own district beats a point that the gazetteer put elsewhere
      if (!localAny || localAny.place.admin2 !== (district.admin2 ?? district.name)) {
        out.admin2 = district.admin2 ?? district.name;
        out.admin1 = district.admin1;
        out.country = district.country;
        if (!localAny) {
          out.location = district.name;
          out.latitude = district.latitude;
          out.longitude = district.longitude;
          out.geoPrecision = 2;
          out.evidence.location = namedAdmin2!.span;
        }
      }
    }
    out.evidence.admin2 = namedAdmin2!.span;
    if (out.admin1) out.evidence.admin1 = namedAdmin1?.span ?? namedAdmin2!.span;
  } else if (namedAdmin2 && !gazetteer) {
    out.admin2 = namedAdmin2.name;
    out.evidence.admin2 = namedAdmin2.span;
  }
  if (!out.admin1 && namedAdmin1) {
    const province = provinceOfDistrict(namedAdmin1.name);
    out.admin1 = province?.admin1 ?? province?.name ?? (gazetteer ? null : namedAdmin1.name);
    if (out.admin1) out.evidence.admin1 = namedAdmin1.span;
  }
  if (!out.location && !out.admin2) {
    // only a district or province mention (no town): precision 2 or 3
    const area =
      inside.find((m) => m.place.kind === 'district') ?? inside.find((m) => m.place.kind === 'province');
    if (area) {
      const p = area.place;
      out.location = p.name;
      out.latitude = p.latitude;
      out.longitude = p.longitude;
      out.admin2 = p.kind === 'district' ? (p.admin2 ?? p.name) : null;
      out.admin1 = p.admin1 ?? (p.kind === 'province' ? p.name : null);
      out.country = p.country;
      out.geoPrecision = p.kind === 'district' ? 2 : 3;
      out.evidence.location = { start: area.start, end: area.end };
      if (out.admin2) out.evidence.admin2 = out.evidence.location;
      if (out.admin1) out.evidence.admin1 = out.evidence.location;
    }
  }
  if ((out.geoPrecision === null || out.geoPrecision >= 2) && !localAny) {
    // a place the gazetteer does not know, written the way reports write them: "in Rakhni, Balochistan",
    // "in the Shawar area, in Swat": keep its name; the coordinates stay those of the area around it
    const unknown = UNKNOWN_PLACE.exec(passage);
    if (
      unknown?.[1] &&
      !gazetteer?.lookup(unknown[1]).some((p) => p.kind === 'province' || p.kind === 'country')
    ) {
      const start = span.start + unknown.index + unknown[0].indexOf(unknown[1]);
      out.location = unknown[1];
      out.evidence.location = { start, end: start + unknown[1].length };
      out.geoPrecision = out.latitude === null ? null : out.geoPrecision === 3 ? 3 : 2;
    }
  }
  if (
    out.latitude !== null &&
    out.longitude !== null &&
    gazetteer &&
    out.geoPrecision !== 3 &&
    (!out.admin2 || !out.admin1)
  ) {
    const where = gazetteer.locate(out.latitude, out.longitude);
    out.admin2 ??= where.admin2;
    out.admin1 ??= where.admin1;
    out.country ??= where.country;
  }
  if (!out.country && inside.length > 0) out.country = inside[0]!.place.country;
  return out;
}

/**
 * Where an event the passage places nowhere happened, as far as its surroundings tell: the province its
 * paragraph names most, else the one the whole document names most ("The seizure of the Jaffar Express
 * train …" in a column about Balochistan), at province precision (3). Null when no province stands out —
 * a tie, or none named — so an article about many provinces places nothing by guess. `mentions` must leave
 * out names inside actors' names ("Balochistan Liberation Army").
 */
export function provinceAround(
  text: string,
  span: Span,
  gazetteer: PlaceFinder | undefined,
  mentions: SpanIndex<Mention>,
): ResolvedLocation | null {
  if (!gazetteer) return null;
  const paragraphStart = text.lastIndexOf('\n', span.start - 1) + 1;
  const newline = text.indexOf('\n', span.end);
  const paragraphEnd = newline === -1 ? text.length : newline;
  const pick =
    dominantProvince(mentions.inside(paragraphStart, paragraphEnd)) ?? documentProvince(mentions.items);
  if (!pick) return null;
  const province =
    pick.mention.place.kind === 'province'
      ? pick.mention.place
      : gazetteer.lookup(pick.admin1).find((p) => p.kind === 'province');
  if (!province) return null;
  const evidence = { start: pick.mention.start, end: pick.mention.end };
  return {
    location: province.name,
    admin2: null,
    admin1: pick.admin1,
    country: province.country,
    latitude: province.latitude,
    longitude: province.longitude,
    geoPrecision: 3,
    evidence: { location: evidence, admin1: evidence },
  };
}

// (once per document, not once per unplaced event: a long text of unplaced reports would count all its mentions n times)
const documentProvinces = new WeakMap<readonly Mention[], ReturnType<typeof dominantProvince>>();
function documentProvince(mentions: readonly Mention[]): ReturnType<typeof dominantProvince> {
  if (!documentProvinces.has(mentions)) documentProvinces.set(mentions, dominantProvince(mentions));
  return documentProvinces.get(mentions) ?? null;
}

/** The province most mentions lie in, when it has strictly more than any other; its first province-named mention. */
function dominantProvince(mentions: readonly Mention[]): { admin1: string; mention: Mention } | null {
  const counts = new Map<string, { n: number; mention: Mention }>();
  for (const m of mentions) {
    const admin1 = m.place.kind === 'province' ? (m.place.admin1 ?? m.place.name) : m.place.admin1;
    if (!admin1) continue;
    const seen = counts.get(admin1);
    if (!seen) counts.set(admin1, { n: 1, mention: m });
    else {
      seen.n++;
      if (seen.mention.place.kind !== 'province' && m.place.kind === 'province') seen.mention = m;
    }
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1].n - a[1].n);
  const [first, second] = ranked;
  if (!first || (second && second[1].n === first[1].n)) return null;
  return { admin1: first[0], mention: first[1].mention };
}
