import type { CountRange } from '../schema/index.ts';

export type CountRole = 'killed' | 'injured' | 'held';

/** A number of people the text says were killed, injured or held, with where it says so. */
export interface CountMention {
  role: CountRole;
  count: CountRange;
  start: number;
  end: number;
  /** `vague` for "several"/"dozens", `summary` for "2 fatalities" or "coded as 3", `none` for "no casualties". */
  kind: 'exact' | 'vague' | 'summary' | 'none' | 'unknown' | 'attacker';
  /** Start of the passage it was read from: counts add up within a passage, not across restatements. */
  passage: number;
  /** The passage says the count is in addition to others ("another", "also"). */
  additive: boolean;
  /** Only a party's claim ("BLA claimed 45 soldiers were killed"): used when nothing else is said. */
  claimed: boolean;
}

/** Number words as counts of people ("a", "both" and "pair" included). */
export const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  no: 0,
  a: 1,
  an: 1,
  one: 1,
  single: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  both: 2,
  couple: 2,
  pair: 2,
};

/**
 * Vague quantities as coded conservatively. ACLED codes an unspecified "several" or "unknown" number of
 * fatalities as a small number (the dev-set notes say "Unknown fatalities coded as 3"); "dozens" is at
 * least two dozen, "hundreds" at least two hundred. low = best = the conservative reading, high open.
 */
export const VAGUE_COUNTS: Record<string, number> = {
  several: 3,
  some: 3,
  many: 3,
  multiple: 3,
  numerous: 3,
  few: 3,
  unspecified: 3,
  unknown: 3,
  number: 3,
  dozen: 12,
  dozens: 24,
  scores: 40,
  hundreds: 200,
  thousands: 2000,
};

const KILLED =
  'killed|killing|kills|kill|dead|died|die|dies|martyred|lost\\s+(?:their|his|her)\\s+lives?|slain|beheaded|executed|shot\\s+dead|gunned\\s+down|fatalities|fatality|deaths|bodies|lifeless';
const INJURED = 'injured|injuring|injures|injuries|wounded|wounding|wounds|hurt|injury';
const HELD =
  'abducted|abducting|abduction|kidnapped|kidnapping|kidnaps|hostages?|held\\s+(?:captive|hostage)|taken\\s+(?:captive|hostage)|captive|detained|detaining|arrested|arresting|seized|captured|capturing';
const KILLED_WORD = new RegExp(`^(?:${KILLED})$`, 'i');
const INJURED_WORD = new RegExp(`^(?:${INJURED})$`, 'i');
const ROLE = new RegExp(`^(?:${KILLED})$|^(?:${INJURED})$|^(?:${HELD})$`, 'i');

function roleOf(word: string): CountRole | null {
  if (!ROLE.test(word)) return null;
  if (KILLED_WORD.test(word)) return 'killed';
  if (INJURED_WORD.test(word)) return 'injured';
  return 'held';
}

interface Token {
  text: string;
  lower: string;
  start: number;
  end: number;
}

const TOKEN = /[A-Za-z]+(?:[-'][A-Za-z]+)*|\d[\d,]*(?:\.\d+)?|[.;:!?,()[\]"“”]/g;

function tokenize(text: string, from: number, to: number): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = from;
  for (let m = TOKEN.exec(text); m !== null && m.index < to; m = TOKEN.exec(text)) {
    if (m.index + m[0].length > to) break;
    out.push({ text: m[0], lower: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

interface NumberPhrase {
  first: number;
  last: number;
  count: CountRange;
  vague: boolean;
}

const NOT_PEOPLE =
  /^(?:inch|inches|km|kms|kilometres?|kilometers?|miles?|metres?|meters?|kg|per|percent|hours?|minutes?|years?|year-old|months?|weeks?|days?|rockets?|mortars?|shells?|grenades?|explosives?|ieds?|bombs?|vehicles?|trucks?|rounds?|houses?|shops?|buildings?|rupees|dollars|billion|million|am|pm|o'clock|sides?|times?|posts?|checkposts?|camps?|towers?|pylons?)$/;

function wordValue(tokens: Token[], i: number): { value: number; next: number } | null {
  const t = tokens[i];
  if (!t) return null;
  if (/^\d/.test(t.text)) {
    const n = Number(t.text.replaceAll(',', ''));
    return Number.isFinite(n) && Number.isInteger(n) ? { value: n, next: i + 1 } : null;
  }
  const parts = t.lower.split('-');
  if (parts.length === 2 && NUMBER_WORDS[parts[0]!] !== undefined && NUMBER_WORDS[parts[1]!] !== undefined) {
    return { value: NUMBER_WORDS[parts[0]!]! + NUMBER_WORDS[parts[1]!]!, next: i + 1 };
  }
  const unit = NUMBER_WORDS[t.lower];
  if (unit === undefined || t.lower === 'no') return null;
  let value = unit;
  let next = i + 1;
  const after = tokens[next]?.lower;
  if (value >= 20 && after && (NUMBER_WORDS[after] ?? 99) < 10) {
    value += NUMBER_WORDS[after]!;
    next++;
  }
  if (tokens[next]?.lower === 'hundred') {
    value *= 100;
    next++;
  }
  return { value, next };
}

/** Reads a number phrase starting at token i: "more than 400", "at least two dozen", "several", "17". */
const STARTERS = new Set([
  ...Object.keys(NUMBER_WORDS),
  ...Object.keys(VAGUE_COUNTS),
  'more',
  'over',
  'nearly',
  'almost',
  'up',
  'at',
  'all',
  'about',
  'around',
  'approximately',
  'roughly',
]);

function canStartNumber(token: Token): boolean {
  const c = token.lower.charCodeAt(0);
  return (c >= 48 && c <= 57) || STARTERS.has(token.lower) || STARTERS.has(token.lower.split('-')[0]!);
}

function numberAt(tokens: Token[], i: number): NumberPhrase | null {
  if (!tokens[i] || !canStartNumber(tokens[i]!)) return null;
  let j = i;
  let qualifier: 'low' | 'high' | null = null;
  const w = (k: number) => tokens[k]?.lower;
  if (
    (w(j) === 'more' ||
      w(j) === 'over' ||
      w(j) === 'nearly' ||
      w(j) === 'almost' ||
      w(j) === 'up' ||
      w(j) === 'at') &&
    j === i
  ) {
    if (w(j) === 'more' && w(j + 1) === 'than') {
      qualifier = 'low';
      j += 2;
    } else if (w(j) === 'at' && (w(j + 1) === 'least' || w(j + 1) === 'most')) {
      qualifier = w(j + 1) === 'least' ? 'low' : 'high';
      j += 2;
    } else if (w(j) === 'up' && w(j + 1) === 'to') {
      qualifier = 'high';
      j += 2;
    } else if (w(j) === 'over') {
      qualifier = 'low';
      j += 1;
    } else if (w(j) === 'nearly' || w(j) === 'almost') {
      qualifier = 'high';
      j += 1;
    } else return null;
  }
  // "some 24", "about 30", "around a dozen": approximate, read as the number
  if (
    j === i &&
    /^(?:some|about|around|approximately|roughly|nearly|almost)$/.test(w(j) ?? '') &&
    tokens[j + 1] &&
    canStartNumber(tokens[j + 1]!) &&
    !VAGUE_COUNTS[w(j + 1)!]
  ) {
    const inner = numberAt(tokens, j + 1);
    if (inner && !inner.vague) return { ...inner, first: i };
  }
  if (w(j) === 'all' && j === i && w(j + 1) !== undefined && NUMBER_WORDS[w(j + 1)!] !== undefined) j++;
  const lower = w(j);
  if (!lower) return null;
  // vague amounts
  if (lower === 'a' && (w(j + 1) === 'dozen' || w(j + 1) === 'number' || w(j + 1) === 'few')) {
    const v = VAGUE_COUNTS[w(j + 1)!]!;
    return {
      first: i,
      last: j + 1 + (w(j + 2) === 'of' ? 1 : 0),
      count: { low: v, best: v, high: null },
      vague: true,
    };
  }
  if (lower === 'an' && w(j + 1) === 'unspecified' && w(j + 2) === 'number') {
    return {
      first: i,
      last: j + 2 + (w(j + 3) === 'of' ? 1 : 0),
      count: { low: 1, best: 3, high: null },
      vague: true,
    };
  }
  if (VAGUE_COUNTS[lower] !== undefined && lower !== 'number') {
    if (lower === 'unknown' || lower === 'unspecified' || lower === 'few' || lower === 'some') {
      // "unknown number", "unspecified casualties", "some soldiers": handled as vague only before a noun
    }
    const v = VAGUE_COUNTS[lower]!;
    let last = j;
    if (w(j + 1) === 'of') last++;
    if (w(j + 1) === 'number' && w(j + 2) === 'of') last += 2;
    return { first: i, last, count: { low: lower === 'several' ? 2 : v, best: v, high: null }, vague: true };
  }
  const a = wordValue(tokens, j);
  if (!a) return null;
  let value = a.value;
  let next = a.next;
  // "two dozen"
  if (w(next) === 'dozen') {
    value *= 12;
    next++;
  }
  // ranges: "5 to 7", "three or four", "5-7" is one token ("5" then "-"? digits split) — handled by "to"/"or"
  const sep = w(next);
  if ((sep === 'to' || sep === 'or') && tokens[next + 1]) {
    const b = wordValue(tokens, next + 1);
    if (b && b.value > value) {
      return { first: i, last: b.next - 1, count: { low: value, best: value, high: b.value }, vague: false };
    }
  }
  const count: CountRange =
    qualifier === 'low'
      ? { low: value, best: value, high: null }
      : qualifier === 'high'
        ? { low: null, best: value, high: value }
        : { low: value, best: value, high: value };
  return { first: i, last: next - 1, count, vague: false };
}

const UNKNOWN_TOLL =
  /\b(?:casualties|fatalities)\s+(?:are\s+|were\s+|remain\s+)?unknown\b|\bunknown\s+(?:number\s+of\s+)?casualties\b/i;
const AUXILIARY = new Set([
  'was',
  'were',
  'been',
  'being',
  'are',
  'is',
  'got',
  'left',
  'reportedly',
  'also',
  'later',
  'allegedly',
  'critically',
  'seriously',
  'fatally',
  'badly',
  'all',
  'both',
  'be',
]);

const BOUNDARY = new Set([
  '.',
  ';',
  ':',
  '!',
  '?',
  '(',
  ')',
  'while',
  'whereas',
  'but',
  'after',
  'when',
  'as',
  'before',
  'who',
  'which',
  'that',
  'whom',
]);
const ACTIVE =
  /^(?:killed|killing|kills|kill|injured|injuring|injures|wounded|wounding|abducted|abducting|kidnapped|kidnapping|kidnaps|martyred|beheaded|executed|dead|detained|detaining|arrested|arresting|captured|capturing|seized|hurt)$/;

/**
 * Counts of people killed, injured and held, read clause by clause: "3 soldiers and 2 militants were killed",
 * "killing one and injuring six others", "more than 400 people held", "no casualties", "coded as 3".
 * `exclude` masks spans (dates) whose digits are not counts.
 *
 * @example findCounts('Two soldiers were killed and five others were injured.')
 * // [{ role: 'killed', count: {low: 2, best: 2, high: 2}, … }, { role: 'injured', count: {low: 5, …}, … }]
 */
export function findCounts(
  text: string,
  from = 0,
  to = text.length,
  exclude: Array<{ start: number; end: number }> = [],
): CountMention[] {
  const tokens = tokenize(text, from, to).filter(
    (t) => !exclude.some((x) => t.start < x.end && t.end > x.start),
  );
  const out: Array<Omit<CountMention, 'passage' | 'additive' | 'claimed'>> = [];
  const hijackContext = /\b(?:hijack\w*|hostages?|captive|seiz\w+|took over|abduct\w*|kidnap\w*)\b/i.test(
    text.slice(from, to),
  );
  const used = new Set<number>();
  const counted: Array<{ role: CountRole; lastToken: number; active: boolean }> = [];

  // explicit codings first: "coded as 3", "2 fatalities", "no casualties", "casualties unknown"
  const slice = text.slice(from, to);
  const codedAs = /\b(?:fatalities|casualties|deaths)?\s*coded\s+(?:as|at)\s+(\d+|[a-z]+)\b/gi;
  for (let m = codedAs.exec(slice); m !== null; m = codedAs.exec(slice)) {
    const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : NUMBER_WORDS[m[1]!.toLowerCase()];
    if (n === undefined) continue;
    if (!/fatalit|casualt|death|killed/i.test(slice.slice(Math.max(0, m.index - 40), m.index + m[0].length)))
      continue;
    out.push({
      role: 'killed',
      count: { low: n, best: n, high: n },
      start: from + m.index,
      end: from + m.index + m[0].length,
      kind: 'summary',
    });
  }
  const none =
    /\b(?:no|zero)\s+(?:one\s+(?:was|were)\s+)?(casualties|fatalities|deaths|injuries|loss\s+of\s+(?:life|lives)|one\s+was\s+(?:killed|hurt|injured|harmed)|harm|killed|injured)\b|\bwithout\s+(?:causing\s+)?(?:any\s+)?(casualties|injuries)\b|\bcausing\s+no\s+(casualties|injuries)\b|\bno\s+(?:one|body)\s+(?:was|were)\s+(killed|hurt|injured|harmed)\b/gi;
  for (let m = none.exec(slice); m !== null; m = none.exec(slice)) {
    const what = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').toLowerCase();
    const start = from + m.index;
    const end = start + m[0].length;
    const zero = { low: 0, best: 0, high: 0 };
    if (/casualt|harm|hurt/.test(what)) {
      out.push({ role: 'killed', count: zero, start, end, kind: 'none' });
      out.push({ role: 'injured', count: zero, start, end, kind: 'none' });
    } else if (/injur/.test(what)) out.push({ role: 'injured', count: zero, start, end, kind: 'none' });
    else out.push({ role: 'killed', count: zero, start, end, kind: 'none' });
  }

  for (let i = 0; i < tokens.length; i++) {
    if (used.has(i)) continue;
    const phrase = numberAt(tokens, i);
    if (!phrase) continue;
    const after = tokens[phrase.last + 1];
    if (after && NOT_PEOPLE.test(after.lower)) continue;
    if (after?.lower === 'by' && tokens[phrase.last + 2]?.lower === tokens[i]!.lower) continue;
    if (tokens[i - 1]?.text === '(' && tokens[phrase.last + 1]?.text === ')') continue;
    const isArticle = tokens[i]!.lower === 'a' || tokens[i]!.lower === 'an';
    // "16 people, including 6 children, were killed": the 6 are part of the 16
    if (
      /^(?:including|includes|among|incl)$/.test(tokens[i - 1]?.lower ?? '') ||
      tokens[i - 2]?.lower === 'among'
    ) {
      for (let k = i; k <= phrase.last; k++) used.add(k);
      continue;
    }
    let role: CountRole | null = null;
    let kind: CountMention['kind'] = phrase.vague ? 'vague' : 'exact';
    let roleEnd = phrase.last;
    // "2 fatalities", "killed 3", "killing at least two"
    const next = tokens[phrase.last + 1];
    if (
      next &&
      /^(?:fatalities|fatality|deaths|dead|killed|injured|wounded)$/.test(next.lower) &&
      !isArticle
    ) {
      role = roleOf(next.lower);
      roleEnd = phrase.last + 1;
      if (/^fatalit/.test(next.lower) && !phrase.vague) kind = 'summary';
    }
    const before = tokens[i - 1];
    if (
      !role &&
      before &&
      ACTIVE.test(before.lower) &&
      !/^(?:was|were|been|be|is|are)$/.test(tokens[i - 2]?.lower ?? '')
    ) {
      role = roleOf(before.lower);
      roleEnd = phrase.last;
    }
    if (!role && before?.lower === 'dead' && tokens[i - 2]?.lower === 'shot') role = 'killed';
    if (!role && before?.lower === 'down' && tokens[i - 2]?.lower === 'gunned') role = 'killed';
    // "killing 1 policeman and 4 labourers": the verb's object list shares its role
    const previous = counted.at(-1);
    if (
      !role &&
      !isArticle &&
      previous?.active &&
      (before?.lower === 'and' || before?.text === ',') &&
      i - previous.lastToken <= 5
    ) {
      role = previous.role;
    }
    if (!role) {
      // look ahead for a passive role verb in the same clause: "3 soldiers and 2 militants were (later) killed"
      let limit = phrase.last + (isArticle ? 5 : 9);
      for (let k = phrase.last + 1; k < tokens.length && k <= limit; k++) {
        const t = tokens[k]!;
        // "a police informer and six of his family members were beheaded": the chain carries on
        if (canStartNumber(t) && t.lower !== 'a' && tokens[k - 1]?.lower === 'and' && k - phrase.last <= 4) {
          const chained = numberAt(tokens, k);
          if (chained && !NOT_PEOPLE.test(tokens[chained.last + 1]?.lower ?? '')) limit = k + 9;
        }
        if (t.text === '(') {
          let close = k + 1;
          while (close < tokens.length && tokens[close]!.text !== ')' && close - k < 12) close++;
          if (tokens[close]?.text !== ')') break;
          k = close;
          continue;
        }
        if (BOUNDARY.has(t.lower)) break;
        if (t.text === ',' && /^(?:including|among)$/.test(tokens[k + 1]?.lower ?? '')) {
          // skip the aside up to its closing comma
          let close = k + 2;
          while (close < tokens.length && tokens[close]!.text !== ',' && !BOUNDARY.has(tokens[close]!.lower))
            close++;
          if (tokens[close]?.text !== ',') break;
          k = close;
          continue;
        }
        if (t.text === ',' && !numberAt(tokens, k + 1)) break;
        const r = roleOf(t.lower);
        if (r) {
          // "a car killing two", "a bomber killed eight": the number is the subject of an active verb, not a victim
          if (/ing$/.test(t.lower)) break;
          const object = tokens[k + 1];
          if (
            !AUXILIARY.has(tokens[k - 1]?.lower ?? '') &&
            object &&
            (numberAt(tokens, k + 1) || /^(?:the|his|her|their|him|them)$/.test(object.lower))
          )
            break;
          role = r;
          roleEnd = k;
          break;
        }
      }
    }
    if (!role && hijackContext && !isArticle && !phrase.vague) {
      // "hijacked a train carrying more than 400 people"
      const carried = tokens[i - 1]?.lower;
      if (
        (carried === 'carrying' || carried === 'with' || carried === 'holding' || carried === 'aboard') &&
        /^(?:people|passengers|persons|hostages|pilgrims|travellers|travelers|commuters)$/.test(
          after?.lower ?? '',
        )
      ) {
        role = 'held';
        roleEnd = phrase.last + 1;
      }
    }
    if (!role) continue;
    counted.push({
      role,
      lastToken: phrase.last + 1,
      active:
        roleEnd <= phrase.last &&
        before !== undefined &&
        (ACTIVE.test(before.lower) ||
          before.lower === 'and' ||
          before.text === ',' ||
          before.lower === 'down' ||
          before.lower === 'dead'),
    });
    for (let k = i; k <= phrase.last; k++) used.add(k);
    const startTok = tokens[Math.min(i, roleEnd)]!;
    const endTok = tokens[Math.max(phrase.last, roleEnd)]!;
    out.push({ role, count: phrase.count, start: startTok.start, end: endTok.end, kind });
  }

  // "killing the driver": one named victim
  const definite =
    /\b(killed|killing|shot\s+dead|gunned\s+down|injured|injuring|wounded|wounding|abducted|abducting|kidnapped|kidnapping)\s+the\s+(?:[A-Za-z-]+\s+){0,2}?[a-z-]*[a-rt-z]\b(?=\s*(?:[,.;]|$|\s(?:in|at|near|on|who|while|and|of|outside|inside)\b))/g;
  for (let m = definite.exec(slice); m !== null; m = definite.exec(slice)) {
    const start = from + m.index;
    const end = start + m[0].length;
    const verb = m[1]!.toLowerCase();
    const role = /^(?:shot|gunned)/.test(verb) ? 'killed' : roleOf(verb);
    if (!role || out.some((c) => c.start < end && c.end > start)) continue;
    out.push({ role, count: { low: 1, best: 1, high: 1 }, start, end, kind: 'exact' });
  }
  // "shot him dead", "killed her"
  const pronoun = /\b(?:shot\s+(?:him|her)\s+dead|(?:killed|executed|beheaded)\s+(?:him|her))\b/gi;
  for (let m = pronoun.exec(slice); m !== null; m = pronoun.exec(slice)) {
    const start = from + m.index;
    const end = start + m[0].length;
    if (out.some((c) => c.role === 'killed' && c.start < end + 40 && c.end > start - 40)) continue;
    out.push({ role: 'killed', count: { low: 1, best: 1, high: 1 }, start, end, kind: 'exact' });
  }
  // a suicide bomber who set off the charge died too (coders count the attacker) unless the toll includes them
  const suicide =
    /\bsuicide\s+(?:bomber|attacker)s?\b[^.]{0,120}?\b(?:detonat\w+|blew\s+(?:himself|herself|themselves)|exploded|rammed|set\s+off)\b|\bblew\s+(?:himself|herself)\s+up\b/i.exec(
      slice,
    );
  if (
    suicide &&
    !/\b(?:including|among\s+them)\s+the\s+(?:suicide\s+)?(?:bomber|attacker)|\bbomber\s+was\s+(?:arrested|caught|shot\s+before)/i.test(
      slice,
    )
  ) {
    const start = from + suicide.index;
    out.push({
      role: 'killed',
      count: { low: 1, best: 1, high: 1 },
      start,
      end: start + suicide[0].length,
      kind: 'attacker',
    });
  }

  // "a policeman was killed", "he was injured": one person when the clause names no number
  const singular =
    /\b(?:he|she|was|has\s+been)\s+(?:also\s+|reportedly\s+|later\s+|allegedly\s+|claimed\s+to\s+(?:be|have\s+been)\s+)?(killed|shot\s+dead|shot\s+and\s+killed|gunned\s+down|hanged|beheaded|executed|injured|wounded|abducted|kidnapped|martyred)\b/gi;
  for (let m = singular.exec(slice); m !== null; m = singular.exec(slice)) {
    const start = from + m.index;
    const end = start + m[0].length;
    const verb = m[1]!.replace(/\s+/g, ' ').toLowerCase();
    const role = /^(?:shot|gunned|hanged)/.test(verb) ? 'killed' : roleOf(verb);
    if (!role) continue;
    const clauseStart = Math.max(
      slice.lastIndexOf('.', m.index),
      slice.lastIndexOf(';', m.index),
      slice.lastIndexOf(',', m.index),
    );
    if (out.some((c) => c.role === role && c.end >= from + clauseStart && c.start <= end)) continue;
    out.push({ role, count: { low: 1, best: 1, high: 1 }, start, end, kind: 'exact' });
  }
  const unknown = UNKNOWN_TOLL.exec(slice);
  if (unknown) {
    const start = from + unknown.index;
    out.push({
      role: 'killed',
      count: { low: null, best: null, high: null },
      start,
      end: start + unknown[0].length,
      kind: 'unknown',
    });
  }
  const additive = /\b(?:also|another|additional|more|later\s+died|succumbed|separately|besides)\b/i.test(
    slice,
  );
  return out
    .map((m) => {
      const clauseStart = lastClauseEnd(text, from, m.start);
      const claimed =
        /\bclaim(?:s|ed|ing)?\b/i.test(text.slice(clauseStart + 1, m.start)) &&
        !/\bclaimed\s+responsibility\b/i.test(text.slice(clauseStart + 1, m.start));
      return { ...m, passage: from, additive, claimed };
    })
    .sort((a, b) => a.start - b.start);
}

/**
 * Where the clause holding `at` begins, looking back no further than the passage (`from`): the last '.' or
 * ';' at or before `at`, else `from - 1`. (`lastIndexOf` would search back through the whole document
 * when the passage has neither, once per count: quadratic in a long text.)
 */
function lastClauseEnd(text: string, from: number, at: number): number {
  for (let i = Math.min(at, text.length - 1); i >= from; i--)
    if (text[i] === '.' || text[i] === ';') return i;
  return from - 1;
}

/**
 * One event's count for a role from all its mentions: an explicit coding ("coded as 3", "2 fatalities") wins;
 * otherwise exact mentions add up ("3 soldiers and 2 militants"); vague ones count only when nothing exact
 * is said; "no casualties" gives zero; silence gives null.
 */
export function combineCounts(
  mentions: readonly CountMention[],
  role: CountRole,
): { count: CountRange; start: number; end: number; vague: boolean } | null {
  const mine = mentions.filter((m) => m.role === role);
  if (mine.length === 0) return null;
  const pick = (kind: CountMention['kind']) => mine.filter((m) => m.kind === kind);
  const span = (list: readonly CountMention[]) => ({
    start: Math.min(...list.map((m) => m.start)),
    end: Math.max(...list.map((m) => m.end)),
  });
  const summary = pick('summary');
  if (summary.length > 0) return { count: summary.at(-1)!.count, ...span([summary.at(-1)!]), vague: false };
  // a later passage restating the toll ("Four of the six injured…") adds nothing unless it says "also"/"another"
  const reported = pick('exact').filter((m) => !m.claimed);
  const candidates = reported.length > 0 ? reported : pick('exact');
  const firstPassage = candidates[0]?.passage;
  const exact = candidates.filter((m) => m.passage === firstPassage || m.additive);
  // the suicide attacker died too: one more, whichever passage tells the toll
  exact.push(...pick('attacker').slice(0, exact.length > 0 ? 1 : 0));
  if (exact.length > 0) {
    const sum = (f: (c: CountRange) => number | null) => {
      let total = 0;
      for (const m of exact) {
        const v = f(m.count);
        if (v === null) return null;
        total += v;
      }
      return total;
    };
    return {
      count: { low: sum((c) => c.low), best: sum((c) => c.best), high: sum((c) => c.high) },
      ...span(exact),
      vague: false,
    };
  }
  const vague = pick('vague');
  if (vague.length > 0) return { count: vague[0]!.count, ...span([vague[0]!]), vague: true };
  const attacker = pick('attacker');
  if (attacker.length > 0) return { count: attacker[0]!.count, ...span([attacker[0]!]), vague: false };
  const zero = pick('none');
  if (zero.length > 0) return { count: zero[0]!.count, ...span([zero[0]!]), vague: false };
  return null;
}
