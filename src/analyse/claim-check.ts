import { z } from 'zod';
import { aliasKey } from '../resolve/alias-key.ts';
import type { EventFilter } from '../schema/index.ts';
import { eventsBetween } from '../store/actor-events.ts';
import type { Queryable } from '../store/contract.ts';
import { filterSql, inList, Params } from '../store/filter-sql.ts';
import { placeMonthsWhere } from '../store/place-months.ts';
import { findGroup, listActorGroups, rawActorNames, resolveMembers } from './actor-groups.ts';
import { actorSide } from './actor-side.ts';
import { type Coverage, dataCoverage } from './coverage.ts';
import { withoutActors, withoutDates } from './filter.ts';
import { memoised, readUntilWrite } from './memo.ts';
import { daysInclusive, periodBounds } from './periods.ts';
import { pctChange } from './trend.ts';

export const CLAIM_METRICS = ['events', 'attacks', 'fatalities'] as const;
export type ClaimMetric = (typeof CLAIM_METRICS)[number];

const periodLabel = z
  .string()
  .regex(/^\d{4}(-Q[1-4]|-\d{2})?$/, 'expected a period: YYYY, YYYY-Qn or YYYY-MM');

/** A quantitative claim, as parsed from a sentence or as produced by text extraction. */
export const Claim = z.object({
  /**
   * A change between two periods ("rose 119% between 2023 and 2024"), or a ranking over one ("the deadliest
   * group in 2024": the actors named are first by `metric` from `from` to `to`).
   */
  kind: z.enum(['change', 'ranking']).default('change'),
  text: z.string().max(2000).nullable().default(null),
  metric: z.enum(CLAIM_METRICS),
  /** Actor names, aliases, ids or group names ("Baloch groups"). Empty: all actors. */
  actors: z.array(z.string().min(1).max(200)).max(50).default([]),
  from: periodLabel,
  to: periodLabel,
  /** The claimed change from `from` to `to`, in % (negative for a fall). */
  changePct: z.number().min(-100).max(100_000).nullable(),
  source: z.string().max(500).nullable().default(null),
  /** Provinces and districts the claim is about ("attacks in Kech"). Empty: wherever the filter allows. */
  admin1: z.array(z.string().min(1).max(200)).max(50).default([]),
  admin2: z.array(z.string().min(1).max(200)).max(50).default([]),
  /**
   * Who the claim names that no actor, alias or group of the store matches ("attacks by the Baloch
   * Liberaton Army"). With no actor recognised, such a claim is not judged on every actor's events.
   */
  unrecognisedActors: z.array(z.string().min(1).max(200)).max(10).default([]),
  /** A ranking claim that named no period: `from`/`to` are the last full year of data. */
  periodImplied: z.boolean().default(false),
});
export type Claim = z.infer<typeof Claim>;

/** Extraction emits snake_case claims; accept them as they come. */
export function claimFromExtraction(value: {
  metric: string;
  actors: string[];
  from: string;
  to: string;
  change_pct: number | null;
  source?: string | null;
  evidence?: string | null;
}): Claim {
  const metric = /fatal|death|kill|casualt/i.test(value.metric)
    ? 'fatalities'
    : /attack|incident|strike/i.test(value.metric)
      ? 'attacks'
      : 'events';
  return Claim.parse({
    text: value.evidence ?? null,
    metric,
    actors: value.actors,
    from: value.from.slice(0, 7).replace(/-$/, ''),
    to: value.to.slice(0, 7).replace(/-$/, ''),
    changePct: value.change_pct,
    source: value.source ?? null,
  });
}

export class ClaimParseError extends Error {}

/**
 * Adds the actors and actor groups named in a claim's own text to those extraction listed: extraction
 * knows single actors ("BLA") but not that "other banned Baloch insurgent groups" is a group.
 */
export async function withActorsFromText(db: Queryable, claim: Claim): Promise<Claim> {
  if (!claim.text) return claim;
  return { ...claim, actors: [...new Set([...claim.actors, ...(await findActorPhrases(db, claim.text))])] };
}

const UP = /\b(rose|rise|risen|increased?|increasing|grew|grown|jumped|surged|soared|climbed|up)\b/i;
const DOWN = /\b(fell|fallen|fall|decreased?|declined?|dropped|drop|down|plunged|plummeted)\b/i;

/**
 * Reads "attacks by Baloch groups rose 119% between 2023 and 2024" into a Claim. Actor phrases are found
 * among actor group names and aliases and the actor names the store knows.
 *
 * @example await parseClaim(store, 'attacks by BLA rose 119% between 2023 and 2024')
 */
export async function parseClaim(
  db: Queryable,
  text: string,
  options: { referenceYear?: number } = {},
): Promise<Claim> {
  const t = text.replace(/\s+/g, ' ').trim();
  let changePct: number | null = null;
  const pct = /([+\-−]?\d+(?:[.,]\d+)?)\s*(?:%|per ?cent|percent|pc\b)/i.exec(t);
  if (pct?.[1]) changePct = Number(pct[1].replace('−', '-').replace(',', '.'));
  else if (/\bdoubled\b/i.test(t)) changePct = 100;
  else if (/\btripled\b/i.test(t)) changePct = 200;
  else if (/\bhalved\b/i.test(t)) changePct = -50;
  if (changePct !== null && changePct > 0 && DOWN.test(t) && !UP.test(t)) changePct = -changePct;

  const ranking = changePct === null && !UP.test(t) && !DOWN.test(t) ? rankingMetric(t) : null;
  if (ranking) return parseRankingClaim(db, t, ranking);
  const periods = parsePeriods(t, options.referenceYear);
  if (!periods) {
    throw new ClaimParseError(
      `no periods found in "${t}": say e.g. "between 2023 and 2024" or "in 2024 compared with 2023"`,
    );
  }
  const metric: ClaimMetric = /\b(fatalit|deaths?|killed|killings|casualt|dead)/i.test(t)
    ? 'fatalities'
    : /\b(attacks?|incidents?|strikes?|bombings?)\b/i.test(t)
      ? 'attacks'
      : 'events';
  const [actors, places] = await Promise.all([findActorPhrases(db, t), findPlacePhrases(db, t)]);
  return Claim.parse({
    text: t,
    metric,
    actors,
    unrecognisedActors: actors.length ? [] : namedPerpetrators(t),
    from: periods[0],
    to: periods[1],
    changePct,
    source: /according to ([^,.;]+)/i.exec(t)?.[1]?.trim() ?? null,
    ...places,
  });
}

/**
 * The metric a superlative ranks by: "deadliest" → fatalities, "most attacks" → attacks, "most active" →
 * events; null when the sentence claims no ranking.
 */
export function rankingMetric(text: string): ClaimMetric | null {
  if (/\b(deadliest|most (lethal|deadly)|most (fatalities|deaths|killings))\b/i.test(text))
    return 'fatalities';
  if (/\b(most|largest number of|highest number of) (attacks|terrorist attacks|incidents)\b/i.test(text))
    return 'attacks';
  if (/\bmost (active|violent)\b/i.test(text)) return 'events';
  return null;
}

/**
 * "TTP was the deadliest group in Pakistan in 2024": the actor, the metric and the period (a year, a span,
 * or — none named — the last full year of data, flagged `periodImplied`).
 */
async function parseRankingClaim(db: Queryable, t: string, metric: ClaimMetric): Promise<Claim> {
  const span = /\b(?:between|from)\s+(\d{4})\s+(?:and|to|until)\s+(\d{4})\b/i.exec(t);
  const years = [...t.matchAll(/\b(19\d{2}|20\d{2})\b/g)].map((m) => m[1] ?? '');
  let period: [string, string] | null =
    span?.[1] && span[2]
      ? ([span[1], span[2]].sort() as [string, string])
      : years[0]
        ? [years[0], years[0]]
        : null;
  const periodImplied = period === null;
  if (!period) {
    const { last } = await dataCoverage(db, {});
    if (!last) throw new ClaimParseError(`no year in "${t}" and no events in the store: say e.g. "in 2024"`);
    const year = Number(last.slice(0, 4));
    const full = daysInclusive(last, `${year}-12-31`) <= QUIET_TAIL_DAYS + 1 ? year : year - 1;
    period = [String(full), String(full)];
  }
  const [actors, places] = await Promise.all([findActorPhrases(db, t), findPlacePhrases(db, t)]);
  return Claim.parse({
    kind: 'ranking',
    text: t,
    metric,
    actors,
    unrecognisedActors: actors.length ? [] : leadingName(t),
    from: period[0],
    to: period[1],
    changePct: null,
    source: /according to ([^,.;]+)/i.exec(t)?.[1]?.trim() ?? null,
    periodImplied,
    ...places,
  });
}

/** The capitalised name a ranking claim opens with ("Lashkar Group was the deadliest …"). */
function leadingName(text: string): string[] {
  const name = /^(?:the\s+)?([A-Z][\w'’()-]*(?:\s+[A-Z][\w'’()-]*)*)/.exec(text)?.[1]?.trim();
  return name && !/^The$/.test(name) ? [name.slice(0, 200)] : namedPerpetrators(text);
}

const MONTHS = /^(January|February|March|April|May|June|July|August|September|October|November|December)$/;

/**
 * The capitalised names after "by" ("attacks by the Baloch Liberaton Army" → "Baloch Liberaton Army"),
 * read only when no actor was recognised, to tell a claim about an unknown actor from one about all.
 */
export function namedPerpetrators(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/\bby\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)/g)) {
    const name = m[1]?.trim() ?? '';
    if (name && !MONTHS.test(name)) names.push(name.slice(0, 200));
  }
  return [...new Set(names)].slice(0, 10);
}

/** Words that put a place name after them as where something happened ("attacks in Kech"). */
const LOCATIVE = ['in', 'across', 'within', 'throughout'];

/**
 * Provinces and districts of the store named after a locative word. Requiring "in Kech" rather than any
 * "Kech" keeps a place inside an actor's name ("Balochistan Liberation Army") from narrowing the count.
 */
async function findPlacePhrases(
  db: Queryable,
  text: string,
): Promise<{ admin1: string[]; admin2: string[] }> {
  const hay = ` ${aliasKey(text)} `;
  const places = await memoised(db, 'claim-places', () =>
    db.query<{ level: string; name: string }>(
      `SELECT DISTINCT 'admin1' AS level, admin1 AS name FROM events WHERE admin1 IS NOT NULL
       UNION SELECT DISTINCT 'admin2', admin2 FROM events WHERE admin2 IS NOT NULL`,
    ),
  );
  const named = (level: string) =>
    places
      .filter((p) => p.level === level)
      .map((p) => p.name)
      .filter((name) => {
        const key = aliasKey(name);
        return key.length >= 3 && LOCATIVE.some((word) => hay.includes(` ${word} ${key} `));
      })
      .sort();
  return { admin1: named('admin1'), admin2: named('admin2') };
}

function parsePeriods(t: string, referenceYear?: number): [string, string] | null {
  const between = /\b(between|from)\s+(\d{4})\s+(?:and|to|until)\s+(\d{4})\b/i.exec(t);
  if (between?.[2] && between[3]) {
    // "between 2024 and 2023" names a span, not a direction: a change is told from the earlier year
    const years: [string, string] = [between[2], between[3]];
    return between[1]?.toLowerCase() === 'between' ? (years.sort() as [string, string]) : years;
  }
  const compared =
    /\bin\s+(\d{4})\b.*?\b(?:compared|relative|as against|against|versus|vs\.?)\s*(?:with|to)?\s+(\d{4})\b/i.exec(
      t,
    );
  if (compared?.[1] && compared[2]) return [compared[2], compared[1]];
  const dash = /\b(\d{4})\s*[-–]\s*(\d{4})\b/.exec(t);
  if (dash?.[1] && dash[2]) return [dash[1], dash[2]];
  const lastYear = /\blast year\b/i.test(t);
  if (lastYear && referenceYear) return [String(referenceYear - 2), String(referenceYear - 1)];
  const years = [...t.matchAll(/\b(19\d{2}|20\d{2})\b/g)].map((m) => m[1] ?? '');
  if (years.length === 1 && years[0]) return [String(Number(years[0]) - 1), years[0]];
  return null;
}

/** Group names and aliases, then actor aliases and raw actor names, that occur in the text as whole words. */
async function findActorPhrases(db: Queryable, text: string): Promise<string[]> {
  const hay = ` ${aliasKey(text)} `;
  const found: string[] = [];
  const [groups, aliases, rawNames] = await Promise.all([
    listActorGroups(db),
    readUntilWrite<{ alias: string; actor_id: string }>(db, 'SELECT alias, actor_id FROM actor_aliases'),
    rawActorNames(db),
  ]);
  for (const group of groups) {
    const phrases = [group.name, ...group.aliases].sort((a, b) => b.length - a.length);
    if (phrases.some((p) => hay.includes(` ${aliasKey(p)} `))) found.push(group.name);
  }
  for (const row of aliases) {
    const key = aliasKey(row.alias);
    if (key.length >= 3 && hay.includes(` ${key} `)) found.push(row.actor_id);
  }
  for (const { name: n } of rawNames) {
    const prefix = n.includes(':') ? aliasKey(n.slice(0, n.indexOf(':'))) : '';
    if ((prefix.length >= 3 && hay.includes(` ${prefix} `)) || hay.includes(` ${aliasKey(n)} `))
      found.push(n);
  }
  return [...new Set(found)];
}

/** " in Kech" when the claim's own places narrowed the count. */
function placesCounted(counted: EventFilter, base: EventFilter): string {
  const names = [
    ...(counted.admin2 !== base.admin2 ? (counted.admin2 ?? []) : []),
    ...(counted.admin1 !== base.admin1 ? (counted.admin1 ?? []) : []),
  ];
  return names.length ? `, in ${names.join(', ')}` : '';
}

/** The provinces the filter's events fall in. */
function provincesOf(db: Queryable, base: EventFilter): Promise<string[]> {
  return memoised(db, `provinces:${JSON.stringify(base)}`, async () => {
    const p = new Params(db.dialect);
    const monthly = placeMonthsWhere(base, p);
    const rows = await db.query<{ admin1: string }>(
      monthly
        ? `SELECT m.admin1 FROM place_months m WHERE ${monthly} AND m.admin1 IS NOT NULL GROUP BY m.admin1 ORDER BY 1`
        : `SELECT e.admin1 FROM events e WHERE ${filterSql(base, p)} AND e.admin1 IS NOT NULL GROUP BY e.admin1 ORDER BY 1`,
      p.values,
    );
    return rows.map((r) => r.admin1);
  });
}

export type Verdict = 'consistent' | 'inconsistent' | 'not enough data';

export interface PeriodFigure {
  label: string;
  from: string;
  to: string;
  value: number;
  /** Share of the period's days inside the data's coverage, 0..1. */
  covered: number;
  /** Covered up to a short tail (the data may simply have had no event in the last days). */
  complete: boolean;
}

/** Days at a period's end that may lie past the last event without calling the period incomplete. */
const QUIET_TAIL_DAYS = 14;

/** An actor's place in a ranking: `actor` is its id, or its name when the events give no id. */
export interface RankedActor {
  actor: string;
  name: string;
  value: number;
  /** The actors the claim names (counted together, as one). */
  claimed: boolean;
}

export interface ClaimCheck {
  kind: 'change' | 'ranking';
  claim: Claim;
  verdict: Verdict;
  explanation: string;
  /** What was counted, spelled out. */
  definition: string;
  resolvedActors: { names: string[]; ids: string[]; groups: string[] };
  /** The two periods of a change; the one period of a ranking, with the claimed actors' figure. */
  periods: [PeriodFigure, PeriodFigure] | [PeriodFigure];
  /** Ranking claims only. */
  ranking?: {
    /** The claimed actors' place (1 = first; ties share a place); null when they have no event. */
    rank: number | null;
    /** How many actors had a non-zero figure. */
    actorsRanked: number;
    leader: RankedActor | null;
    top: RankedActor[];
  };
  computedChangePct: number | null;
  /** Same calendar days in both periods when the later one is only partly covered. */
  likeForLike: { from: PeriodFigure; to: PeriodFigure; changePct: number | null; verdict: Verdict } | null;
  alternatives: { definition: string; from: number; to: number; changePct: number | null }[];
  coverage: Coverage & { admin1: string[] };
  caveats: string[];
  tolerance: { percentagePoints: number; relative: number };
}

export const CLAIM_TOLERANCE = { percentagePoints: 10, relative: 0.2 } as const;

/** ACLED's political-violence types, plus GTD-style records that carry an attack type and no event type. */
const ATTACK_TYPES =
  "e.event_type IN ('Battles', 'Explosions/Remote violence', 'Violence against civilians')";
const ATTACK_SQL = `(${ATTACK_TYPES} OR (e.event_type IS NULL AND e.attack_type IS NOT NULL))`;

/**
 * The attack test for the store as it is: without GTD-style records (an attack type and no event type)
 * the second half can never hold, and leaving it out spares the scan a column (the claim's statement 32 →
 * 27 ms CPU at a million events on DuckDB). Whether there are any is read once per state of the events.
 */
async function attackSql(db: Queryable): Promise<string> {
  const untyped = await memoised(db, 'untyped-attacks', async () => {
    const rows = await db.query(
      'SELECT 1 AS x FROM events WHERE event_type IS NULL AND attack_type IS NOT NULL LIMIT 1',
    );
    return rows.length > 0;
  });
  return untyped ? ATTACK_SQL : `(${ATTACK_TYPES})`;
}

function judge(claimed: number | null, computed: number | null): Verdict {
  if (claimed === null || computed === null) return 'not enough data';
  const gap = Math.abs(computed - claimed);
  const sameDirection = Math.sign(computed) === Math.sign(claimed) || gap <= CLAIM_TOLERANCE.percentagePoints;
  return sameDirection &&
    (gap <= CLAIM_TOLERANCE.percentagePoints || gap <= CLAIM_TOLERANCE.relative * Math.abs(claimed))
    ? 'consistent'
    : 'inconsistent';
}

/** Who and where a claim is about: its actor groups and members resolved, its places over the filter's. */
async function claimScope(db: Queryable, claim: Claim, base: EventFilter) {
  const groups = await listActorGroups(db);
  const groupNames: string[] = [];
  const members: string[] = [];
  for (const actor of claim.actors) {
    const group = findGroup(groups, actor);
    if (group) {
      groupNames.push(group.name);
      members.push(...group.members);
    } else members.push(actor);
  }
  const resolved = members.length ? await resolveMembers(db, members) : { ids: [], names: [] };
  // The places the claim names narrow the count, unless the filter already says where to look. The
  // coverage stays the filter's: a quiet district is not data that stop early.
  const counted: EventFilter = {
    ...base,
    ...(claim.admin1.length && !base.admin1?.length ? { admin1: claim.admin1 } : {}),
    ...(claim.admin2.length && !base.admin2?.length ? { admin2: claim.admin2 } : {}),
  };
  return { groupNames, members, resolved, counted };
}

/** A period's figure with how much of it the data cover. */
function periodFigure(
  coverage: Coverage,
  label: string,
  from: string,
  to: string,
  value: number,
): PeriodFigure {
  const days = daysInclusive(from, to);
  const coveredFrom = coverage.first && coverage.first > from ? coverage.first : from;
  const coveredTo = coverage.last && coverage.last < to ? coverage.last : to;
  const covered =
    coverage.first === null || coveredFrom > coveredTo ? 0 : daysInclusive(coveredFrom, coveredTo) / days;
  const missing = days - Math.round(covered * days);
  return {
    label,
    from,
    to,
    value,
    covered: Math.round(covered * 1000) / 1000,
    complete: missing <= Math.min(QUIET_TAIL_DAYS, Math.floor(days / 10)),
  };
}

/**
 * Recomputes a claimed change from the store: the figure for each period, whether the data cover them,
 * a like-for-like comparison when they do only in part, and a verdict with its reasons.
 *
 * @example await checkClaim(store, await parseClaim(store, 'attacks by Baloch groups rose 119% between 2023 and 2024'))
 */
export async function checkClaim(db: Queryable, claim: Claim, filter: EventFilter = {}): Promise<ClaimCheck> {
  if (claim.kind === 'ranking') return checkRankingClaim(db, claim, filter);
  const base = withoutDates(withoutActors(filter));
  // The data's span and provinces do not depend on the actors: read beside the actors' resolution.
  const coverageQuery = dataCoverage(db, base);
  const provincesQuery = provincesOf(db, base);
  coverageQuery.catch(() => undefined);
  provincesQuery.catch(() => undefined);
  const { groupNames, members, resolved, counted } = await claimScope(db, claim, base);
  const [coverage, provinces] = await Promise.all([coverageQuery, provincesQuery]);

  const p1 = periodBounds(claim.from);
  const p2 = periodBounds(claim.to);
  // Every figure the answer may need — both periods, their like-for-like cut, each definition — in one scan.
  const lastDay = coverage.last;
  const cutWindows =
    lastDay && lastDay >= p2.from && lastDay < p2.to
      ? [
          {
            from: p1.from,
            to:
              `${p1.from.slice(0, 4)}${lastDay.slice(4)}` <= p1.to
                ? `${p1.from.slice(0, 4)}${lastDay.slice(4)}`
                : p1.to,
          },
          { from: p2.from, to: lastDay },
        ]
      : [];
  const windows = [p1, p2, ...cutWindows];
  const definitions: [ClaimMetric, 'primary' | 'either'][] = [
    [claim.metric, 'primary'],
    ['events', 'either'],
    ['events', 'primary'],
    ['fatalities', 'primary'],
  ];
  const figures = new Map<string, number>();
  const figureKey = (from: string, to: string, metric: ClaimMetric, side: string) =>
    `${from}|${to}|${metric}|${side}`;
  {
    const p = new Params(db.dialect);
    const names = resolved.names.length ? inList(p, resolved.names) : null;
    const ids = resolved.ids.length ? inList(p, resolved.ids) : null;
    const side = (s: '1' | '2') => {
      const clauses = [...(names ? [names(`e.actor${s}`)] : []), ...(ids ? [ids(`e.actor${s}_id`)] : [])];
      return clauses.length ? `(${clauses.join(' OR ')})` : 'FALSE';
    };
    const minFrom = windows.map((w) => w.from).sort()[0] ?? p1.from;
    const maxTo =
      windows
        .map((w) => w.to)
        .sort()
        .at(-1) ?? p2.to;
    // Members known by their ids alone that are never the other side of an event over these days: side 2
    // is never theirs, and DuckDB need not read actor2_id (see actorSide).
    const side2Seen =
      names !== null || (await actorSide(db, { actorIds: resolved.ids }, minFrom, maxTo)) === 'either';
    const onSide1 = members.length ? side('1') : 'TRUE';
    const onSide2 = members.length ? (side2Seen ? side('2') : 'FALSE') : 'TRUE';
    // Each definition's daily figure is one sum of the day's rows (rows with neither side are left out
    // below, so "either" is every row); the figures then sum the days of their window.
    const daily = new Map<string, { name: string; sql: string }>();
    const dailyColumn = (metric: ClaimMetric, actorSide: 'primary' | 'either') => {
      const key = `${metric}|${actorSide}`;
      const known = daily.get(key);
      if (known) return known.name;
      const primary = actorSide === 'primary';
      const sum =
        metric === 'fatalities'
          ? primary
            ? 'SUM(CASE WHEN d.side1 THEN d.f ELSE 0 END)'
            : 'SUM(d.f)'
          : metric === 'attacks'
            ? `SUM(CAST(${primary ? 'd.is_attack AND d.side1' : 'd.is_attack'} AS INTEGER))`
            : primary
              ? 'SUM(CAST(d.side1 AS INTEGER))'
              : 'COUNT(*)';
      const name = `s${daily.size}`;
      daily.set(key, { name, sql: `${sum} AS ${name}` });
      return name;
    };
    const columns: string[] = [];
    const keys: string[] = [];
    for (const w of windows) {
      for (const [metric, actorSide] of definitions) {
        const key = figureKey(w.from, w.to, metric, actorSide);
        if (keys.includes(key)) continue;
        const column = dailyColumn(metric, actorSide);
        columns.push(
          `COALESCE(SUM(x.${column}) FILTER (WHERE x.event_date >= CAST(${p.add(w.from)} AS DATE)
             AND x.event_date <= CAST(${p.add(w.to)} AS DATE)), 0) AS c${keys.length}`,
        );
        keys.push(key);
      }
    }
    // Actors known by their ids alone (a group whose members the events link): the rows with one on either
    // side (side1 OR side2 below) are those of an actor filter, which PostgreSQL reads from its actor indexes.
    const byActorIndexes =
      db.dialect === 'postgres' && members.length > 0 && !names && resolved.ids.length > 0;
    const events = eventsBetween(
      byActorIndexes ? { ...counted, actorIds: resolved.ids } : counted,
      minFrom,
      maxTo,
      p,
      ['event_date', 'fatalities_best', 'event_type', 'attack_type', 'actor1_id', 'actor2_id'],
      byActorIndexes,
    );
    const attack = await attackSql(db);
    // Summed per day first: the figures' FILTERs then read a few hundred rows, not every event of the two
    // periods (≈ 18 % less CPU for the statement at a million events on DuckDB). The day is the only key,
    // each definition a plain sum (no FILTER) of it: grouped by day, kind and sides with FILTERed sums the
    // statement cost DuckDB ≈ 20 % more CPU.
    const [row] = await db.query(
      `SELECT ${columns.join(', ')} FROM (
         SELECT d.event_date, ${[...daily.values()].map((c) => c.sql).join(', ')} FROM (
           SELECT e.event_date, COALESCE(e.fatalities_best, 0) AS f, ${attack} AS is_attack,
                  ${onSide1} AS side1, ${onSide2} AS side2
           FROM ${events.from} WHERE ${events.where}
         ) d WHERE d.side1 OR d.side2
         GROUP BY d.event_date
       ) x`,
      p.values,
    );
    keys.forEach((key, i) => {
      figures.set(key, Number(row?.[`c${i}`] ?? 0));
    });
  }
  const count = async (from: string, to: string, metric: ClaimMetric, actorSide: 'primary' | 'either') => {
    const value = figures.get(figureKey(from, to, metric, actorSide));
    if (value === undefined)
      throw new Error(`claim check: no figure computed for ${from}…${to} ${metric} ${actorSide}`);
    return value;
  };

  const figure = async (
    label: string,
    from: string,
    to: string,
    metric = claim.metric,
    side: 'primary' | 'either' = 'primary',
  ) => periodFigure(coverage, label, from, to, await count(from, to, metric, side));

  const first = await figure(claim.from, p1.from, p1.to);
  const second = await figure(claim.to, p2.from, p2.to);
  const computed = pctChange(second.value, first.value);
  const caveats: string[] = [];
  let likeForLike: ClaimCheck['likeForLike'] = null;
  let verdict: Verdict;
  let explanation: string;
  const fmt = (n: number | null) => (n === null ? 'n/a' : `${n > 0 ? '+' : ''}${n}%`);
  const claimed = claim.changePct;

  if (!first.complete || !second.complete) {
    verdict = 'not enough data';
    const short = [first, second].filter((f) => !f.complete);
    explanation = `the data (${coverage.first ?? '—'} … ${coverage.last ?? '—'}) cover ${short
      .map((f) => `${Math.round(f.covered * 100)}% of ${f.label}`)
      .join(' and ')}; a full-period comparison cannot be made`;
    if (second.covered > 0 && first.complete && coverage.last) {
      const cutTo = `${p1.from.slice(0, 4)}${coverage.last.slice(4)}`;
      const lf1 = await figure(`${claim.from} to ${cutTo.slice(5)}`, p1.from, cutTo <= p1.to ? cutTo : p1.to);
      const lf2 = await figure(`${claim.to} to ${coverage.last.slice(5)}`, p2.from, coverage.last);
      const change = pctChange(lf2.value, lf1.value);
      likeForLike = { from: lf1, to: lf2, changePct: change, verdict: judge(claimed, change) };
      explanation += `; over the same days of both years (${lf1.from}…${lf1.to} vs ${lf2.from}…${lf2.to}) the store gives ${lf1.value} → ${lf2.value} (${fmt(change)}) against the claimed ${fmt(claimed)}: ${likeForLike.verdict === 'consistent' ? 'in line with' : 'not in line with'} the claim, though a part-year comparison is only an indication`;
    }
  } else {
    verdict = judge(claimed, computed);
    explanation = `the store gives ${first.value} in ${first.label} and ${second.value} in ${second.label} (${fmt(computed)}); claimed ${fmt(claimed)}`;
    if (verdict === 'inconsistent' && computed !== null && claimed !== null) {
      explanation += `: a gap of ${Math.round(Math.abs(computed - claimed))} percentage points`;
    }
  }
  if (!members.length && claim.unrecognisedActors.length) {
    // Every actor's figure would answer another claim than the one made: no verdict on it.
    verdict = 'not enough data';
    if (likeForLike) likeForLike.verdict = 'not enough data';
    explanation = `the claim names ${claim.unrecognisedActors.map((n) => `"${n}"`).join(', ')}, which matches no actor, alias or actor group in the store (\`sitrep actors\` lists them); for every actor together the store gives ${first.value} in ${first.label} and ${second.value} in ${second.label} (${fmt(computed)}), which answers a different claim`;
  }
  for (const f of [first, second]) {
    if (f.complete && f.covered < 1)
      caveats.push(`the data end ${coverage.last}, a few days before ${f.label} does: treated as complete`);
  }
  if (claimed === null) caveats.push('the claim gives no figure to compare');
  if (!members.length && claim.unrecognisedActors.length)
    caveats.push('no actor named in the claim was recognised: the figures shown are for all actors');
  else if (!members.length) caveats.push('the claim names no actor: all actors were counted');
  else if (!resolved.ids.length && resolved.names.length === members.length) {
    caveats.push(
      'the actors named were not found in the store under any alias: counts may be zero for that reason',
    );
  }
  if (claim.source)
    caveats.push(
      `the claim's source (${claim.source}) may define and count differently from the data in the store`,
    );
  if (claim.metric === 'attacks') {
    caveats.push(
      '"attacks" counted as battles, explosions/remote violence and violence against civilians initiated by the actors (actor1); other sources count attacks differently',
    );
  }
  if (claim.metric === 'fatalities')
    caveats.push('fatalities are best estimates; ACLED codes unspecified numbers conservatively');
  if (provinces.length && provinces.length <= 2) {
    caveats.push(
      `the store only holds events in ${provinces.join(', ')}: events elsewhere (e.g. attacks in other provinces) are not counted`,
    );
  }
  if (first.value < 20 || second.value < 20)
    caveats.push('small numbers: a few events change the percentage a lot');

  // Other ways of counting the same claim, over the like-for-like days when the data stop early.
  const [w1, w2] = likeForLike ? [likeForLike.from, likeForLike.to] : [first, second];
  const alternatives = [];
  for (const [definition, metric, side] of [
    ['all event types, actor on either side', 'events', 'either'],
    ['all event types, actor as initiator', 'events', 'primary'],
    ['fatalities in events the actor initiated', 'fatalities', 'primary'],
  ] as const) {
    if (metric === claim.metric && side === 'primary') continue;
    const a = await figure(w1.label, w1.from, w1.to, metric, side);
    const b = await figure(w2.label, w2.from, w2.to, metric, side);
    alternatives.push({
      definition: likeForLike ? `${definition} (same days)` : definition,
      from: a.value,
      to: b.value,
      changePct: pctChange(b.value, a.value),
    });
  }

  return {
    kind: 'change',
    claim,
    verdict,
    explanation,
    definition: `${
      claim.metric === 'attacks'
        ? 'political-violence events (battles, explosions/remote violence, violence against civilians) with the actors as actor1'
        : claim.metric === 'fatalities'
          ? 'sum of best fatality estimates in events with the actors as actor1'
          : 'events of any type with the actors as actor1'
    }${placesCounted(counted, base)}`,
    resolvedActors: { names: resolved.names, ids: resolved.ids, groups: groupNames },
    periods: [first, second],
    computedChangePct: computed,
    likeForLike,
    alternatives,
    coverage: { ...coverage, admin1: provinces },
    caveats,
    tolerance: CLAIM_TOLERANCE,
  };
}

/** The figure of one event, for ranking by a metric. */
function metricSql(metric: ClaimMetric, attack: string): string {
  if (metric === 'fatalities') return 'COALESCE(e.fatalities_best, 0)';
  if (metric === 'attacks') return `CAST(${attack} AS INTEGER)`;
  return '1';
}

const TOP_RANKED = 5;

/**
 * Ranks every initiator (actor1, by id or else by name) by the claim's metric over its period and places,
 * the claimed actors counted together as one, and says whether they come first.
 *
 * @example await checkClaim(store, await parseClaim(store, 'TTP was the deadliest group in Pakistan in 2024'))
 */
async function checkRankingClaim(db: Queryable, claim: Claim, filter: EventFilter): Promise<ClaimCheck> {
  const base = withoutDates(withoutActors(filter));
  const { groupNames, members, resolved, counted } = await claimScope(db, claim, base);
  const from = periodBounds(claim.from).from;
  const to = periodBounds(claim.to).to;
  const label = claim.from === claim.to ? claim.from : `${claim.from}–${claim.to}`;
  const [coverage, attack] = await Promise.all([dataCoverage(db, base), attackSql(db)]);

  const p = new Params(db.dialect);
  const names = resolved.names.length ? inList(p, resolved.names) : null;
  const ids = resolved.ids.length ? inList(p, resolved.ids) : null;
  const clauses = [...(names ? [names('e.actor1')] : []), ...(ids ? [ids('e.actor1_id')] : [])];
  const claimedSql = clauses.length ? `(${clauses.join(' OR ')})` : 'FALSE';
  const events = eventsBetween(counted, from, to, p, ['event_date', 'actor1', 'actor1_id'], false);
  const rows = await db.query<{ claimed: boolean; k: string; name: string; v: number; n: number }>(
    `SELECT x.claimed, x.k, MIN(x.name) AS name, SUM(x.v) AS v, COUNT(*) AS n FROM (
       SELECT ${claimedSql} AS claimed,
              CASE WHEN ${claimedSql} THEN '' ELSE COALESCE(e.actor1_id, e.actor1) END AS k,
              e.actor1 AS name, ${metricSql(claim.metric, attack)} AS v
       FROM ${events.from} WHERE ${events.where}
     ) x WHERE x.k IS NOT NULL GROUP BY x.claimed, x.k`,
    p.values,
  );
  // Named as the events name it ("BLA: Baloch Liberation Army"), else as the claim does.
  const claimedName = groupNames.length
    ? groupNames.join(', ')
    : (rows.find((r) => r.claimed)?.name ??
      (claim.actors.find((a) => resolved.ids.includes(a)) || claim.actors[0]) ??
      claim.unrecognisedActors.join(', '));
  const ranked: RankedActor[] = rows
    .map((r) => ({
      actor: r.claimed ? (groupNames[0] ?? resolved.ids[0] ?? claimedName) : r.k,
      name: r.claimed ? claimedName : r.name,
      value: Number(r.v),
      claimed: Boolean(r.claimed),
    }))
    .filter((r) => r.value > 0)
    .sort(
      (a, b) => b.value - a.value || Number(b.claimed) - Number(a.claimed) || a.actor.localeCompare(b.actor),
    );
  const eventsInPeriod = rows.reduce((sum, r) => sum + Number(r.n), 0);
  const claimedEvents = rows.filter((r) => r.claimed).reduce((sum, r) => sum + Number(r.n), 0);
  const mine = ranked.find((r) => r.claimed) ?? null;
  const rank = mine ? 1 + ranked.filter((r) => r.value > mine.value).length : null;
  const leader = ranked[0] ?? null;
  const unit =
    claim.metric === 'fatalities' ? 'fatalities' : claim.metric === 'attacks' ? 'attacks' : 'events';
  const where = placesCounted(counted, base);

  const figure = periodFigure(coverage, label, from, to, mine?.value ?? 0);

  let verdict: Verdict;
  let explanation: string;
  const who = (r: RankedActor) => `${r.name} (${r.value} ${unit})`;
  if (!members.length) {
    verdict = 'not enough data';
    explanation = claim.unrecognisedActors.length
      ? `the claim names ${claim.unrecognisedActors.map((n) => `"${n}"`).join(', ')}, which matches no actor, alias or actor group in the store (\`sitrep actors\` lists them)`
      : 'the claim names no actor (or none the store knows: `sitrep actors` lists them)';
    if (leader) explanation += `; first by ${unit} in ${label}${where}: ${who(leader)}`;
  } else if (eventsInPeriod === 0 || !leader) {
    verdict = 'not enough data';
    explanation = `the store holds no ${unit} in ${label}${where}`;
  } else if (claimedEvents === 0) {
    // an actor with no event at all there and then is more likely outside the data's coverage (an extract
    // of some actors or one province) than an actor that did nothing: no verdict on it
    verdict = 'not enough data';
    explanation = `the store holds no event initiated by ${claimedName} in ${label}${where}, so it cannot rank it (its data may not cover that actor there); first by ${unit}: ${who(leader)}`;
  } else if (rank === 1) {
    verdict = 'consistent';
    const tied = ranked.filter((r) => !r.claimed && r.value === mine?.value);
    const next = ranked.find((r) => !r.claimed && r.value < (mine?.value ?? 0));
    explanation = `${claimedName} is first by ${unit} in ${label}${where} with ${mine?.value}${
      tied.length ? `, tied with ${tied.map((r) => r.name).join(', ')}` : ''
    }; next: ${next ? who(next) : 'none'}`;
  } else {
    verdict = 'inconsistent';
    explanation = `${claimedName} ${
      mine
        ? `is ${ordinal(rank ?? 0)} of ${ranked.length} by ${unit} in ${label}${where} with ${mine.value}`
        : `has no ${unit} in ${label}${where}`
    }; first is ${who(leader)}`;
  }
  if (claim.periodImplied)
    explanation += ` (the claim names no year: ${label}, the last full year of data, was used)`;

  const caveats: string[] = [];
  if (!figure.complete)
    caveats.push(
      `the data (${coverage.first ?? '—'} … ${coverage.last ?? '—'}) cover ${Math.round(figure.covered * 100)}% of ${label}: the ranking is of the part covered`,
    );
  if (members.length && !resolved.ids.length && resolved.names.length === members.length)
    caveats.push(
      'the actors named were not found in the store under any alias: counts may be zero for that reason',
    );
  if (groupNames.length)
    caveats.push(
      `${groupNames.join(', ')} is a group of actors, counted together and ranked against single actors`,
    );
  if (claim.source)
    caveats.push(
      `the claim's source (${claim.source}) may define and count differently from the data in the store`,
    );
  if (claim.metric === 'attacks')
    caveats.push(
      '"attacks" counted as battles, explosions/remote violence and violence against civilians initiated by each actor (actor1); other sources count attacks differently',
    );
  if (claim.metric === 'fatalities')
    caveats.push('fatalities are best estimates; ACLED codes unspecified numbers conservatively');
  caveats.push(
    'actors are ranked as initiators (actor1); events with no named initiator are ranked under the name the data give ("Unidentified Armed Group")',
  );
  // the provinces of the period ranked: a store of many years may hold one province's extract for this one
  const provinces = await provincesOf(db, { ...base, from, to });
  if (provinces.length && provinces.length <= 2)
    caveats.push(
      `in ${label} the store only holds events in ${provinces.join(', ')}: an actor's events elsewhere are not counted, and one active elsewhere may rank low here`,
    );
  if (leader && leader.value < 20) caveats.push('small numbers: a few events change the order');

  return {
    kind: 'ranking',
    claim,
    verdict,
    explanation,
    definition: `actors ranked by ${
      claim.metric === 'attacks'
        ? 'political-violence events (battles, explosions/remote violence, violence against civilians) they initiated (actor1)'
        : claim.metric === 'fatalities'
          ? 'sum of best fatality estimates in events they initiated (actor1)'
          : 'events of any type they initiated (actor1)'
    }, ${from} … ${to}${where}`,
    resolvedActors: { names: resolved.names, ids: resolved.ids, groups: groupNames },
    periods: [figure],
    ranking: { rank, actorsRanked: ranked.length, leader, top: ranked.slice(0, TOP_RANKED) },
    computedChangePct: null,
    likeForLike: null,
    alternatives: [],
    coverage: { ...coverage, admin1: provinces },
    caveats,
    tolerance: CLAIM_TOLERANCE,
  };
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
