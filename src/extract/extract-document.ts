import { existsSync, readFileSync } from 'node:fs';
import { ActorRegistry } from '../resolve/actor-registry.ts';
import type { ExtractedEvent, ExtractionResult, Span } from '../schema/extraction.ts';
import { blankEvent, type CountRange, type EventRecord } from '../schema/index.ts';
import {
  type ActorMention,
  findActors,
  findGenericStateForces,
  isAttacked,
  pickActors,
  subjectOf,
} from './actors-in-text.ts';
import { findClaims } from './claims.ts';
import { addDays, type DateMention, findDates } from './dates.ts';
import { classifyEvent } from './event-type.ts';
import { type PlaceFinder, provinceAround, type ResolvedLocation, resolveLocation } from './geo.ts';
import {
  type ExtractionModels,
  ExtractionModelsFile,
  fallbackCovers,
  mapsToSameKind,
  predictActorFallback,
} from './models.ts';
import { combineCounts, findCounts } from './numbers.ts';
import { findRelations } from './relations.ts';
import { type Sentence, splitSentences } from './segment.ts';
import { findSites } from './sites.ts';
import { insideOneOf, SpanIndex } from './span-index.ts';

export interface ExtractOptions {
  /** Publication date, YYYY-MM-DD: relative dates ("earlier this month") resolve against it. */
  published: string;
  gazetteer?: PlaceFinder;
  actors?: ActorRegistry;
  /** Trained heads; defaults to data/models/extraction.json when it exists. */
  models?: ExtractionModels;
  /** Hears, after each event, how many of the text's events are read (a long text's progress bar). */
  onEvent?: (done: number, total: number) => void;
}

/**
 * Words that report an incident. Plural nouns ("attacks") are left out on purpose: they describe
 * trends, not one event. A trigger right after "after the" / "before the" refers back to an event
 * already told and does not start one.
 */
const TRIGGER =
  /\b(?:attack|attacked|attacking|bomb|bombing|bombed|blast|blasts|explosion|exploded|explosions|massacre|assault|assaulted|siege|hijack|hijacked|hijacking|seizure|ambush|ambushed|killed|killing|shot|opened\s+fire|detonated|detonating|abducted|kidnapped|abduction|kidnapping|fired|firing|clash|clashed|clashes|hurled|lobbed|threw|raided|stormed|beheaded|grenade|IED|landmine|suicide\s+bomber|gunfight|exchange\s+of\s+fire|set\s+(?:on\s+)?fire|torched|targeted|protest|protested|rally|demonstration|explosives?|destroyed|blew\s+up|blow\s+up|damaged|exchanged\s+fire|fire\s+exchanged|offensive|operation)\b/gi;
const BACK_REFERENCE = /\b(?:after|before|since|following|of)\s+(?:the|this|that)\s+(?:\w+\s+){0,2}$/i;
// "may" next to a number is the month ("On 3 May 2024 the BLF attacked …"), not the modal
const MODAL =
  /\b(?:would|could|might|(?<!\d\s*)may(?!\s+\d)|will|can|should|risk\s+of|threat\s+of|possibility\s+of)\s+(?:\w+\s+){0,3}$/i;

interface Candidate {
  span: Span;
  sentenceIndex: number;
  paragraph: number;
  trigger: Span | null;
  date: DateMention | null;
}

/**
 * One incident picked out of a plural the same clause speaks of ("expanding their attacks …, including
 * one in Karachi in October"): the "one" stands for an attack, so it reports an incident as a trigger does.
 */
const ONE_OF_THEM =
  /\b(?:attacks|bombings|blasts|assaults|raids|ambushes|explosions|hijackings|kidnappings|abductions)\b[^.;:]{0,80}?\b(?:including|among\s+them|such\s+as|notably)\s+(one)\b/gi;

function triggersIn(text: string, span: Span): Span[] {
  const out: Span[] = [];
  const passage = text.slice(span.start, span.end);
  TRIGGER.lastIndex = 0;
  for (let m = TRIGGER.exec(passage); m !== null; m = TRIGGER.exec(passage)) {
    const before = passage.slice(Math.max(0, m.index - 40), m.index);
    if (BACK_REFERENCE.test(before) || MODAL.test(before)) continue;
    out.push({ start: span.start + m.index, end: span.start + m.index + m[0].length });
  }
  ONE_OF_THEM.lastIndex = 0;
  for (let m = ONE_OF_THEM.exec(passage); m !== null; m = ONE_OF_THEM.exec(passage)) {
    const start = span.start + m.index + m[0].length - m[1]!.length;
    out.push({ start, end: start + m[1]!.length });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** A list of past incidents in one sentence ("the 2014 massacre in X, the 2013 blasts in Y, and …") splits into items. */
function listItems(text: string, sentence: Sentence, dates: SpanIndex<DateMention>): Span[] | null {
  const items: Span[] = [];
  const separator = /,\s+(?:and\s+)?|;\s+|\s+and\s+(?=the\s)/g;
  let start = sentence.start;
  const body = sentence.text;
  separator.lastIndex = 0;
  for (let m = separator.exec(body); ; m = separator.exec(body)) {
    const end = m ? sentence.start + m.index : sentence.end;
    if (end > start) items.push({ start, end });
    if (!m) break;
    start = sentence.start + m.index + m[0].length;
  }
  const eventful = items.filter(
    (item) => triggersIn(text, item).length > 0 && dates.inside(item.start, item.end).some((d) => !d.future),
  );
  return eventful.length >= 2 ? eventful : null;
}

function firstDate(dates: SpanIndex<DateMention>, span: Span): DateMention | null {
  const inside = dates.inside(span.start, span.end).filter((d) => !d.future);
  const rank = (d: DateMention) =>
    d.kind === 'explicit' ? 0 : d.kind === 'relative' ? 1 : d.kind === 'anchored' ? 3 : 2;
  return [...inside].sort((a, b) => rank(a) - rank(b) || a.start - b.start)[0] ?? null;
}

function candidates(
  text: string,
  sentences: readonly Sentence[],
  dates: SpanIndex<DateMention>,
): Candidate[] {
  const out: Candidate[] = [];
  sentences.forEach((sentence, sentenceIndex) => {
    const items = listItems(text, sentence, dates);
    const spans = items ?? [{ start: sentence.start, end: sentence.end }];
    for (const span of spans) {
      const triggers = triggersIn(text, span);
      if (triggers.length === 0) continue;
      out.push({
        span,
        sentenceIndex,
        paragraph: sentence.paragraph,
        trigger: triggers[0]!,
        date: firstDate(dates, span),
      });
    }
  });
  return out;
}

interface Group {
  spans: Span[];
  /** The sentence its first span is in. */
  firstSentence: number;
  trigger: Span | null;
  date: DateMention | null;
  lastSentence: number;
  paragraph: number;
}

/**
 * Sentences with their own date start an event; dateless ones that follow closely in the same paragraph
 * add to it ("Two soldiers were killed."). A dateless report standing alone is dropped: Sitrep does not
 * invent a date.
 */
function groupEvents(
  cands: readonly Candidate[],
  sentences: readonly Sentence[],
  text: string,
  dates: SpanIndex<DateMention>,
): Group[] {
  const groups: Group[] = [];
  for (const c of cands) {
    const last = groups.at(-1);
    const close = last && last.paragraph === c.paragraph && c.sentenceIndex - last.lastSentence <= 3;
    const ownDate = c.date && c.date.kind !== 'anchored';
    if (!ownDate && last && close) {
      if (last.lastSentence !== c.sentenceIndex || last.spans.at(-1)!.end <= c.span.start)
        last.spans.push(c.span);
      last.lastSentence = c.sentenceIndex;
      continue;
    }
    if (
      c.date &&
      last &&
      close &&
      last.date &&
      c.date.date === last.date.date &&
      last.lastSentence !== c.sentenceIndex &&
      !/\b(?:another|separate|second|also)\b/i.test(text.slice(c.span.start, c.span.end))
    ) {
      last.spans.push(c.span);
      last.lastSentence = c.sentenceIndex;
      continue;
    }
    if (!c.date) continue;
    groups.push({
      spans: [c.span],
      firstSentence: c.sentenceIndex,
      trigger: c.trigger,
      date: c.date,
      lastSentence: c.sentenceIndex,
      paragraph: c.paragraph,
    });
  }
  // a short text with a date and no trigger sentence still reports one thing: take it whole
  if (groups.length === 0 && sentences.length > 0 && sentences.length <= 6) {
    const all = { start: sentences[0]!.start, end: sentences.at(-1)!.end };
    const date = firstDate(dates, all);
    const counts = findCounts(text, all.start, all.end, dates.overlapping(all.start, all.end));
    if (date && counts.length > 0)
      groups.push({
        spans: [all],
        firstSentence: 0,
        trigger: null,
        date,
        lastSentence: sentences.length - 1,
        paragraph: 0,
      });
  }
  return groups;
}

const PERPETRATOR =
  /\b(?:militants?|gunmen|assailants|attackers|insurgents|separatists|terrorists|miscreants|armed\s+men|rebels)\b/i;

// What an attack hit: "on/at/against a …", "the bombing/siege/seizure of the …"; a determiner may be a
// possessive ("Karachi’s airport").
const TARGET =
  /\b(?:on|at|targeting|targeted|against|(?:bombing|siege|seizure|hijacking|storming)\s+of)\s+((?:an?|the|two|three|four|several|(?!(?:mon|tues|wednes|thurs|fri|satur|sun|to|yester)day['’])[A-Z][\w-]*['’]s)\s+(?:[\w'’-]+\s+){0,4}?(?:post|checkpost|check\s+post|outpost|camp|convoy|vehicle|patrol|team|bus|train|school|mosque|market|office|station|park|hotel|airport|headquarters|base|pipeline|tower|personnel|soldiers|civilians?|labou?rers|workers|passengers|official|leader|informant|police\w*|shop|house|home|residence|tanker|trucks?|hall))\b/i;

/** The event's place from its passage, else the province its paragraph or document names most (precision 3). */
function resolveLocationOrAround(
  text: string,
  span: Span,
  gazetteer: PlaceFinder | undefined,
  places: SpanIndex<Parameters<typeof resolveLocation>[3][number]>,
): ResolvedLocation {
  const where = resolveLocation(text, span, gazetteer, places.inside(span.start, span.end));
  if (where.location !== null || where.admin1 !== null || where.admin2 !== null) return where;
  return provinceAround(text, span, gazetteer, places) ?? where;
}

function countOf(range: { count: CountRange } | null): CountRange | null {
  return range ? range.count : null;
}

/**
 * Text → events, actor relations, trend claims and sites at risk, with an evidence span for every field.
 *
 * @example
 * const { events } = extractDocument('On 3 May 2024, BLA militants attacked a post in Turbat, killing two soldiers.', { published: '2024-05-04' });
 * events[0]?.actor1 // 'Baloch Liberation Army'
 */
export function extractDocument(text: string, options: ExtractOptions): ExtractionResult {
  const registry = options.actors ?? defaultRegistry();
  const models = options.models ?? defaultModels();
  const sentences = splitSentences(text);
  const dates = findDates(text, options.published);
  const dateIndex = new SpanIndex(dates);
  const actorMentions = findActors(text, registry, options.published);
  const actorIndex = new SpanIndex(actorMentions);
  // "Balochistan Liberation Army" names a group, not a place
  const placeMentions = (options.gazetteer ? options.gazetteer.findMentions(text) : []).filter(
    (p) => actorIndex.overlapping(p.start, p.end).length === 0,
  );
  const placeIndex = new SpanIndex(placeMentions);
  const groups = groupEvents(candidates(text, sentences, dateIndex), sentences, text, dateIndex);

  const events: ExtractedEvent[] = [];
  for (const [groupIndex, group] of groups.entries()) {
    const span = { start: group.spans[0]!.start, end: group.spans.at(-1)!.end };
    const evidence: Record<string, Span> = {};
    // date
    let date = group.date?.date ?? null;
    const precision = group.date?.precision ?? null;
    if (group.date?.kind === 'anchored') {
      const anchor = events.at(-1);
      date = anchor?.date ? addDays(anchor.date, group.date.anchorOffsetDays ?? 0) : null;
    }
    if (group.date && date) evidence.date = { start: group.date.start, end: group.date.end };
    const extent = extentOf(group, groups[groupIndex + 1], sentences);
    // (in text order, not overlapping: the first starts it, the last ends it)
    const extentStart = extent[0]!.start;
    const extentEnd = extent.at(-1)!.end;
    const passage = group.spans.map((s) => text.slice(s.start, s.end)).join(' ');
    // counts, clause by clause over the event's passages and the sentences that follow them
    const counts = extent.flatMap((s) =>
      findCounts(text, s.start, s.end, dateIndex.overlapping(s.start, s.end)),
    );
    const fatalities = combineCounts(counts, 'killed');
    const injured = combineCounts(counts, 'injured');
    const held = combineCounts(counts, 'held');
    if (fatalities) evidence.fatalities = { start: fatalities.start, end: fatalities.end };
    if (injured) evidence.injured = { start: injured.start, end: injured.end };
    if (held) evidence.held = { start: held.start, end: held.end };
    // type
    const type = classifyEvent(passage, models);
    const cue = type.cue ? locateCue(group.spans, type.cue) : null;
    const typeEvidence = cue ?? group.trigger ?? span;
    if (type.eventType) evidence.event_type = typeEvidence;
    if (type.subEventType) evidence.sub_event_type = typeEvidence;
    if (type.attackType) evidence.attack_type = typeEvidence;
    // actors
    // who did it may be told a sentence later ("The BLA claimed responsibility.")
    // "Insurgents are also expanding their attacks …": the group the sentence before named, and then the
    // groups later sentences name are not this event's
    const spoken = namedInSentenceBefore(text, group, sentences, actorIndex);
    const nearby = actorIndex.inside(extentStart, extentEnd);
    const inSpan = spoken
      ? [spoken, ...nearby.filter((m) => insideOneOf(group.spans, m))]
      : nearby.filter((m) => insideOneOf(extent, m));
    // place first: generic "security forces" are the forces of the event's country
    const where = resolveLocationOrAround(text, span, options.gazetteer, placeIndex);
    // (told before the event's end, in its passages: only that stretch of the text is read)
    const generic = findGenericStateForces(text, registry, where.country, {
      from: extentStart,
      to: span.end,
    }).filter((m) => insideOneOf(extent, m) && !inSpan.some((a) => m.start < a.end && m.end > a.start));
    const picked = pickActors(inSpan, { unnamedPerpetrator: PERPETRATOR.test(passage) });
    // "Security forces raided a hideout, killing 3 TTP militants": state forces as the subject are actor1;
    // otherwise forces named only generically ("an army bus") are at most the other side
    const mentions = [...inSpan, ...generic].sort((a, b) => a.start - b.start);
    const subject = subjectOf(text, mentions, group.spans[0]!.end);
    // (only when no group is named as the attacker: a named group is the one reports are about)
    // (or when the group named is the one the state forces went "against")
    if (
      subject?.actor.kind === 'state forces' &&
      (!picked.actor1 || picked.actor1.actor.kind === 'unidentified' || isAttacked(text, picked.actor1))
    ) {
      picked.actor2 = picked.actor1;
      picked.actor1 = subject;
    } else if (!picked.actor2) {
      picked.actor2 = generic.find((m) => m.actor.id !== picked.actor1?.actor.id) ?? null;
    }
    const day = date ?? options.published;
    let actor1 = canonical(picked.actor1, models, registry, day);
    const actor2 = canonical(picked.actor2, models, registry, day);
    if (picked.actor1) evidence.actor1 = { start: picked.actor1.start, end: picked.actor1.end };
    if (picked.actor2) evidence.actor2 = { start: picked.actor2.start, end: picked.actor2.end };
    // only when the text says someone did it without naming them: never invent a perpetrator
    const unnamedPerpetrator =
      picked.actor1?.actor.kind === 'unidentified' || (!picked.actor1 && PERPETRATOR.test(passage));
    if (unnamedPerpetrator && models.actorFallback && fallbackCovers(models, where.admin1)) {
      // text names no group: what coders wrote for reports like this one in the training data
      const fallback = predictActorFallback(models, passage, picked.actor1 !== null);
      if (fallback) {
        const resolved = registry.resolve(fallback);
        actor1 = {
          name: resolved?.name ?? fallback,
          id: resolved?.id ?? null,
          text: picked.actor1?.text ?? null,
        };
        evidence.actor1 = picked.actor1
          ? { start: picked.actor1.start, end: picked.actor1.end }
          : (group.trigger ?? span);
      }
    }
    // target
    const target = matchIn(text, group.spans, TARGET);
    if (target) evidence.target = target;
    Object.assign(evidence, where.evidence);

    options.onEvent?.(groupIndex + 1, groups.length);
    events.push({
      span,
      event_type: type.eventType,
      sub_event_type: type.subEventType,
      attack_type: type.attackType,
      date,
      date_precision: date ? precision : null,
      actor1: actor1?.name ?? null,
      actor1_text: actor1?.text ?? null,
      actor1_id: actor1?.id ?? null,
      actor2: actor2?.name ?? null,
      actor2_text: actor2?.text ?? null,
      actor2_id: actor2?.id ?? null,
      target: target ? text.slice(target.start, target.end) : null,
      location: where.location,
      admin2: where.admin2,
      admin1: where.admin1,
      country: where.country,
      latitude: where.latitude,
      longitude: where.longitude,
      geo_precision: where.geoPrecision,
      fatalities: countOf(fatalities),
      injured: countOf(injured),
      held: countOf(held),
      vague_counts: (
        [
          ['killed', fatalities],
          ['injured', injured],
          ['held', held],
        ] as const
      )
        .filter(([, c]) => c?.vague)
        .map(([role]) => role),
      evidence,
    });
  }

  return {
    events,
    relations: findRelations(sentences, dateIndex, actorIndex, events),
    claims: findClaims(text, sentences, actorMentions, options.published),
    sites: findSites(text, placeIndex),
  };
}

/**
 * The passages an event's details come from: its own sentences, plus the sentences after them in the same
 * paragraph up to the next event ("Unknown fatalities coded as 3." follows the report it codes).
 * An item of a list sentence is only itself.
 */
function extentOf(group: Group, nextGroup: Group | undefined, sentences: readonly Sentence[]): Span[] {
  const first = group.spans[0]!;
  const sentence = sentences[group.firstSentence];
  if (!sentence || sentence.start !== first.start || sentence.end !== first.end) return group.spans;
  const next = nextGroup?.spans[0]?.start ?? Number.POSITIVE_INFINITY;
  const out = [...group.spans];
  for (let i = group.lastSentence + 1; i < sentences.length && i <= group.lastSentence + 4; i++) {
    const s = sentences[i]!;
    if (s.paragraph !== group.paragraph || s.start >= next) break;
    out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** A sentence that opens on a bare perpetrator noun ("Insurgents are also expanding their attacks …"). */
const OPENS_ON_PERPETRATOR =
  /^\s*(?:the\s+)?(?:militants|insurgents|separatists|rebels|attackers|assailants|terrorists)\b/i;

/**
 * Who a sentence that opens on "Insurgents …"/"The militants …" speaks of: the armed group the sentence
 * before it, in the same paragraph, names ("attacks by BLA and other groups rose … Insurgents are also
 * expanding their attacks …, including one in Karachi"). Null when that sentence names none.
 */
function namedInSentenceBefore(
  text: string,
  group: Group,
  sentences: readonly Sentence[],
  mentions: SpanIndex<ActorMention>,
): ActorMention | null {
  const at = group.firstSentence;
  const own = sentences[at];
  // (the group must open on the sentence: an item of a list sentence does not)
  if (own?.start !== group.spans[0]!.start) return null;
  const before = sentences[at - 1];
  if (!own || !before || before.paragraph !== own.paragraph) return null;
  if (!OPENS_ON_PERPETRATOR.test(text.slice(own.start, own.end))) return null;
  if (mentions.inside(own.start, own.end).some((m) => m.actor.kind !== 'state forces')) return null;
  const there = mentions.inside(before.start, before.end).filter((m) => m.actor.kind !== 'unidentified');
  return pickActors(there).actor1;
}

function canonical(
  mention: ActorMention | null,
  models: ExtractionModels,
  registry: ActorRegistry,
  day: string | null | undefined,
): { name: string; id: string | null; text: string | null } | null {
  if (!mention) return null;
  // the event's own day, not the article's, decides whom a dated alias meant ("in 2023 the BNA …")
  const actor = registry.hasDatedAlias(mention.text)
    ? ((day ? registry.resolveDated(mention.text, day) : null) ??
      registry.resolve(mention.text) ??
      mention.actor)
    : mention.actor;
  const label = models.actorMap?.[actor.id];
  const mapped = label !== undefined && mapsToSameKind(actor, registry.resolve(label));
  return {
    name: mapped ? label : actor.name,
    id: actor.id,
    text: mention.text,
  };
}

function locateCue(spans: readonly Span[], cue: Span): Span | null {
  // the cue's offsets are into the joined passage; map them back onto the source text
  let offset = 0;
  for (const s of spans) {
    const length = s.end - s.start;
    if (cue.start >= offset && cue.end <= offset + length) {
      return { start: s.start + cue.start - offset, end: s.start + cue.end - offset };
    }
    offset += length + 1;
  }
  return null;
}

function matchIn(text: string, spans: readonly Span[], pattern: RegExp): Span | null {
  for (const s of spans) {
    const m = pattern.exec(text.slice(s.start, s.end));
    if (m?.[1]) {
      const start = s.start + m.index + m[0].indexOf(m[1]);
      return { start, end: start + m[1].length };
    }
  }
  return null;
}

let registryCache: ActorRegistry | undefined;
function defaultRegistry(): ActorRegistry {
  registryCache ??= ActorRegistry.seeded();
  return registryCache;
}

const MODEL_PATH = new URL('../../data/models/extraction.json', import.meta.url);
let modelCache: ExtractionModels | undefined;
/** The trained heads shipped in data/models/extraction.json (see scripts/train-extraction.ts), or none. */
export function defaultModels(): ExtractionModels {
  if (!modelCache) {
    modelCache = existsSync(MODEL_PATH)
      ? ExtractionModelsFile.parse(JSON.parse(readFileSync(MODEL_PATH, 'utf8')))
      : {};
  }
  return modelCache;
}

/**
 * An extracted event as a stored EventRecord (source 'text'): provenance is the document id and the
 * event's index in it; the evidence spans and texts go into `raw`. An event with no date takes the
 * publication date at month precision only when the caller passes one. Given the document's text, the
 * passage the event was read from becomes its `notes`, as a data set's notes describe its records:
 * resolution compares notes word by word (without them "the 2008 bombing of the Marriott Hotel" could
 * not meet GTD's "… the gates of the Marriott Hotel in Islamabad"), and exports carry them.
 */
export function toEventRecord(
  event: ExtractedEvent,
  provenance: { documentId: string; index: number; published?: string; text?: string },
): EventRecord {
  const date = event.date ?? provenance.published;
  if (!date) throw new Error(`event ${provenance.index} of document ${provenance.documentId} has no date`);
  const empty: CountRange = { low: null, best: null, high: null };
  return blankEvent({
    id: `text:${provenance.documentId}:${provenance.index}`,
    source: 'text',
    sourceId: `${provenance.documentId}#${provenance.index}`,
    eventDate: date,
    timePrecision: event.date ? (event.date_precision ?? 'day') : 'month',
    eventType: event.event_type,
    subEventType: event.sub_event_type,
    attackType: event.attack_type,
    actor1: event.actor1,
    actor2: event.actor2,
    actor1Id: event.actor1_id,
    actor2Id: event.actor2_id,
    country: event.country,
    admin1: event.admin1,
    admin2: event.admin2,
    location: event.location,
    latitude: event.latitude,
    longitude: event.longitude,
    geoPrecision: event.geo_precision,
    fatalities: event.fatalities ?? empty,
    injured: event.injured ?? empty,
    held: event.held ?? empty,
    notes:
      provenance.text === undefined
        ? null
        : provenance.text.slice(event.span.start, event.span.end).replace(/\s+/g, ' ').trim() || null,
    raw: {
      documentId: provenance.documentId,
      index: provenance.index,
      span: event.span,
      evidence: event.evidence,
      actor1_text: event.actor1_text,
      actor2_text: event.actor2_text,
      target: event.target,
      // resolution reads it: a vague toll ("killed many", best 3) is no figure to agree with
      ...(event.vague_counts.length > 0 ? { vague_counts: event.vague_counts } : {}),
    },
  });
}
