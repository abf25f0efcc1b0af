import type { CountRange } from '../schema/index.ts';
import { estimateJaccard } from './minhash.ts';
import { admin1Compatible, haversineKm, placeToleranceKm } from './place.ts';
import type { ResolutionRecord } from './record.ts';

/**
 * Evidence that two records describe one incident, as additive log-odds-like parts, so an
 * explanation can show which part carried the decision. A pair is linked when `total >= LINK_THRESHOLD`;
 * pairs between NEAR_MISS_FLOOR and the threshold are reported as near-misses by `sitrep explain`.
 */
export interface PairScore {
  total: number;
  parts: Record<string, number>;
  /** Why the pair cannot be the same incident whatever its score; null when it can. */
  blocked: string | null;
}

export const LINK_THRESHOLD = 3;
export const NEAR_MISS_FLOOR = 0;

/** Days two records may differ by when both are dated to the day: reports straddle midnight and time zones. */
export const DAY_TOLERANCE = 1;

const round = (x: number) => Math.round(x * 100) / 100;

/** "an explosion", "a demonstration": the forms `eventForm` names, with their article. */
const withArticle = (noun: string) => `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;

/** Agreement of two counts (killed, injured): +weight when their ranges meet, down to −2·weight when far apart. */
export function countAgreement(a: CountRange, b: CountRange, weight: number): number | null {
  const aBest = a.best ?? a.high ?? a.low;
  const bBest = b.best ?? b.high ?? b.low;
  if (aBest === null || bBest === null) return null;
  const aLow = a.low ?? aBest;
  const aHigh = a.high ?? aBest;
  const bLow = b.low ?? bBest;
  const bHigh = b.high ?? bBest;
  // Tolls are revised and counted with or without the attacker: allow one and a tenth of slack.
  const slack = 1 + 0.1 * Math.max(aHigh, bHigh);
  const gap = Math.max(0, aLow - bHigh, bLow - aHigh) - slack;
  if (gap <= 0) return aHigh === 0 && bHigh === 0 ? weight / 3 : weight;
  const relative = gap / Math.max(aHigh, bHigh, 1);
  return Math.max(-2 * weight, weight - 5 * weight * relative);
}

/**
 * "The operation killed many" is stored as 3 (the coders' reading of a vague amount) with its top open:
 * meeting a reported 3 says nothing, nor does a reported 300 contradict it. A vague count adds no weight and
 * counts against only a figure below its reading ("killed many" vs "no one was hurt").
 */
function vagueAgreement(
  agreement: number,
  a: ResolutionRecord,
  b: ResolutionRecord,
  role: 'killed' | 'injured',
): number {
  const aVague = a.vagueCounts.includes(role);
  const bVague = b.vagueCounts.includes(role);
  if (!aVague && !bVague) return agreement;
  if (agreement >= 0 || (aVague && bVague)) return 0;
  const [vague, other] = aVague ? [a, b] : [b, a];
  const range = role === 'killed' ? 'fatalities' : 'injured';
  const reading = vague[range].low ?? vague[range].best ?? 0;
  const otherTop = other[range].high ?? other[range].best ?? other[range].low ?? 0;
  return otherTop >= reading ? 0 : agreement;
}

function dateGap(a: ResolutionRecord, b: ResolutionRecord): number {
  return Math.max(0, a.day - b.endDay, b.day - a.endDay);
}

/** Scores a candidate pair; cheap enough to run on every pair the blocker proposes. */
export function scorePair(a: ResolutionRecord, b: ResolutionRecord): PairScore {
  const parts: Record<string, number> = {};
  const block = (reason: string): PairScore => ({ total: Number.NEGATIVE_INFINITY, parts, blocked: reason });

  // when
  const gap = dateGap(a, b);
  if (gap > DAY_TOLERANCE) return block(`dates ${gap} days apart`);
  const exactDays = a.precision === 'day' && b.precision === 'day';
  // A year holds every day it could be matched with: being in it is no evidence of one incident.
  const yearOnly = a.precision === 'year' || b.precision === 'year';
  parts.date = exactDays ? (gap === 0 ? 2 : 0.5) : yearOnly ? 0 : 0.5;

  // what
  if (a.kind && b.kind && a.kind !== b.kind) return block(`kinds differ (${a.kind} vs ${b.kind})`);
  if (a.suicide !== null && b.suicide !== null && a.suicide !== b.suicide)
    return block('one is a suicide attack');
  if (a.suicide && b.suicide) parts.suicide = 1;
  // "Pakistan launched Zarb-e-Azb": an operation state forces carried out is not a suicide bombing.
  if ((a.suicide && b.stateInitiated) || (b.suicide && a.stateInitiated))
    return block('state forces carried out one, the other is a suicide attack');
  if (a.form && b.form && a.form !== b.form && (a.form === 'air strike' || b.form === 'air strike'))
    return block(`an air strike is not ${withArticle(a.form === 'air strike' ? b.form : a.form)}`);
  if (a.form && b.form) parts.form = a.form === b.form ? 0.5 : -1;

  // where
  if (!admin1Compatible(a.admin1, b.admin1)) return block(`provinces differ (${a.admin1} vs ${b.admin1})`);
  if (a.latitude !== null && a.longitude !== null && b.latitude !== null && b.longitude !== null) {
    const km = haversineKm(a.latitude, a.longitude, b.latitude, b.longitude);
    const tolerance = placeToleranceKm(a.geoPrecision, b.geoPrecision);
    const sameDistrict = a.admin2 !== null && a.admin2 === b.admin2;
    if (km > Math.max(250, 2 * tolerance) && !sameDistrict) return block(`${Math.round(km)} km apart`);
    parts.distance = Number.isFinite(tolerance) ? 1.5 - 2 * Math.min(km / tolerance, 2) : 0;
  }
  if (a.admin2 && b.admin2) parts.district = a.admin2 === b.admin2 ? 1 : -0.5;
  if (a.placeWords.length && b.placeWords.length) {
    const words = new Set(a.placeWords);
    if (b.placeWords.some((w) => words.has(w))) parts.placeName = 1;
  }

  // how many
  const killed = countAgreement(a.fatalities, b.fatalities, 1.5);
  if (killed !== null) parts.killed = vagueAgreement(killed, a, b, 'killed');
  const injured = countAgreement(a.injured, b.injured, 0.75);
  if (injured !== null) parts.injured = vagueAgreement(injured, a, b, 'injured');

  // who
  if (a.actors.length && b.actors.length) {
    const keys = new Set(a.actors);
    parts.actors = b.actors.some((k) => keys.has(k)) ? 1 : -0.5;
  }

  // what the notes say
  if (a.signature && b.signature) {
    const jaccard = estimateJaccard(a.signature, b.signature);
    parts.text = Math.max(-1, Math.min(3, 10 * (jaccard - 0.1)));
  }

  // A record dated only by its year ("the 2008 Islamabad bombing") agrees on date and place with every
  // attack there that year: without matching counts or words it could be any of them.
  if (
    (a.precision === 'year' || b.precision === 'year') &&
    !((parts.killed ?? 0) > 0 || (parts.text ?? 0) > 0)
  )
    return block('dated only by year, and neither counts nor words agree');

  let total = 0;
  for (const [key, value] of Object.entries(parts)) {
    parts[key] = round(value);
    total += value;
  }
  return { total: round(total), parts, blocked: null };
}
