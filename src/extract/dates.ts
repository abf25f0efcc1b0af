import type { DatePrecision } from '../schema/extraction.ts';
import { NUMBER_WORDS } from './numbers.ts';
import { TakenCharacters } from './span-index.ts';

/** A date the text states or implies, resolved against the publication date. */
export interface DateMention {
  start: number;
  end: number;
  text: string;
  /** ISO day; the first day of the month or year for coarser precisions. Null when anchored to another event. */
  date: string | null;
  precision: DatePrecision;
  /** explicit = a calendar date; relative = resolved from the publication date; year = a bare year. */
  kind: 'explicit' | 'relative' | 'year' | 'anchored';
  /** For "several days after the attack": days after (or before, negative) the event it refers to. */
  anchorOffsetDays?: number;
  /** True when the date falls after publication (plans, forecasts): never an event date. */
  future: boolean;
}

const MONTHS: Record<string, number> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};
const MONTH =
  '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?';
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const SMALL_NUMBERS: Record<string, number> = {
  ...NUMBER_WORDS,
  several: 3,
  few: 3,
  'a few': 3,
  'a couple of': 2,
};

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function parseIso(iso: string): Ymd {
  const [y, m, d] = iso.split('-').map(Number);
  return { y: y!, m: m!, d: d! };
}

export function isoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Adds days to an ISO date (UTC, so no daylight-saving surprises). */
export function addDays(iso: string, days: number): string {
  const { y, m, d } = parseIso(iso);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The latest (month, day) on or before `published` — "in October" written in March means last October. */
function yearFor(month: number, day: number, published: Ymd): number {
  return month < published.m || (month === published.m && day <= published.d) ? published.y : published.y - 1;
}

interface Rule {
  pattern: RegExp;
  resolve: (
    m: RegExpExecArray,
    published: Ymd,
    publishedIso: string,
  ) => Omit<DateMention, 'start' | 'end' | 'text' | 'future'> | null;
}

const monthOf = (name: string) => MONTHS[name.toLowerCase().replace('.', '')] ?? 0;

/** Rules in priority order: an earlier rule's match wins over any overlapping later one. */
const RULES: Rule[] = [
  {
    // 2024-06-30
    pattern: /\b(\d{4})-(\d{2})-(\d{2})\b/g,
    resolve: (m) => day(Number(m[1]), Number(m[2]), Number(m[3])),
  },
  {
    // 30 June 2024, 30th of June, 2024
    pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH},?\\s+(\\d{4})\\b`, 'g'),
    resolve: (m) => day(Number(m[3]), monthOf(m[2]!), Number(m[1])),
  },
  {
    // June 30, 2024
    pattern: new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'g'),
    resolve: (m) => day(Number(m[3]), monthOf(m[1]!), Number(m[2])),
  },
  {
    // feasts fixed by their year: "the 2016 Easter bombing", "the 2023 Christmas Eve attack"
    pattern: /\b(1[89]\d\d|20\d\d)\s+(Easter|Christmas)(?:\s+(Sunday|Day|Eve))?\b/g,
    resolve: (m) => feastDay(Number(m[1]), m[2]!, m[3]),
  },
  {
    // "on Easter Sunday 2019", "Christmas Day of 2023"
    pattern: /\b(Easter|Christmas)(?:\s+(Sunday|Day|Eve))?(?:\s+of)?,?\s+(1[89]\d\d|20\d\d)\b/g,
    resolve: (m) => feastDay(Number(m[3]), m[1]!, m[2]),
  },
  {
    // 02/25/2008 or 25/02/2008: month first unless the first number cannot be a month
    pattern: /\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b/g,
    resolve: (m) => {
      const a = Number(m[1]);
      const b = Number(m[2]);
      return a > 12 ? day(Number(m[3]), b, a) : day(Number(m[3]), a, b);
    },
  },
  {
    // June 2024
    pattern: new RegExp(`\\b${MONTH},?\\s+(\\d{4})\\b`, 'g'),
    resolve: (m) => ({
      date: isoDate(Number(m[2]), monthOf(m[1]!), 1),
      precision: 'month',
      kind: 'explicit',
    }),
  },
  {
    // 30 June, June 30 (year from publication)
    pattern: new RegExp(
      `\\b(?:(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}|${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?)\\b(?![\\d,]*\\s*\\d{4})`,
      'g',
    ),
    resolve: (m, p) => {
      const dd = Number(m[1] ?? m[4]);
      const mm = monthOf((m[2] ?? m[3])!);
      return dd > 31 ? null : day(yearFor(mm, dd, p), mm, dd);
    },
  },
  {
    // last June, in October, early March, since May
    pattern: new RegExp(
      `\\b(last|this|in|since|during|early|late|mid-?|until|by|of|from)\\s+(?:early\\s+|late\\s+)?${MONTH}\\b`,
      'gi',
    ),
    resolve: (m, p) => {
      const name = m[2]!;
      if (name[0] !== name[0]!.toUpperCase()) return null;
      const mm = monthOf(name);
      const last = m[1]!.toLowerCase() === 'last';
      let y = yearFor(mm, 1, p);
      if (last && mm === p.m) y = p.y - 1;
      return { date: isoDate(y, mm, 1), precision: 'month', kind: 'relative' };
    },
  },
  {
    pattern: /\b(earlier this|later this|this|last|previous|past|next|earlier last)\s+(month|year|week)\b/gi,
    resolve: (m, p, iso) => {
      const which = m[1]!.toLowerCase();
      const unit = m[2]!.toLowerCase();
      const back = which === 'last' || which === 'previous' || which === 'past' || which === 'earlier last';
      const shift = which === 'next' ? 1 : back ? -1 : 0;
      if (unit === 'year') return { date: isoDate(p.y + shift, 1, 1), precision: 'year', kind: 'relative' };
      if (unit === 'week') return { date: addDays(iso, 7 * shift), precision: 'week', kind: 'relative' };
      const first = new Date(Date.UTC(p.y, p.m - 1 + shift, 1)).toISOString().slice(0, 10);
      return { date: first, precision: 'month', kind: 'relative' };
    },
  },
  {
    pattern: /\b(yesterday|today|last night|this morning|tonight)\b/gi,
    resolve: (m, _p, iso) => {
      const w = m[1]!.toLowerCase();
      return {
        date: w === 'yesterday' || w === 'last night' ? addDays(iso, -1) : iso,
        precision: 'day',
        kind: 'relative',
      };
    },
  },
  {
    // on Sunday: the latest such weekday on or before publication. "On Sunday, …" opens most news
    // leads: the word before may be capitalised; the weekday must be (a capital keeps "sunday" prose out).
    pattern:
      /\b(?:[Oo]n|[Ll]ast|[Tt]his|[Ll]ate|[Ee]arly)\s+(Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)\b/g,
    resolve: (m, p, iso) => {
      const target = WEEKDAYS.indexOf(m[1]!.toLowerCase());
      const today = new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay();
      const back = (today - target + 7) % 7;
      return { date: addDays(iso, -back), precision: 'day', kind: 'relative' };
    },
  },
  {
    pattern:
      /\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|a couple of)\s+(day|week|month|year)s?\s+ago\b/gi,
    resolve: (m, p, iso) => {
      const n = SMALL_NUMBERS[m[1]!.toLowerCase()] ?? Number(m[1]);
      const unit = m[2]!.toLowerCase();
      if (unit === 'day') return { date: addDays(iso, -n), precision: 'day', kind: 'relative' };
      if (unit === 'week') return { date: addDays(iso, -7 * n), precision: 'week', kind: 'relative' };
      if (unit === 'month') {
        return {
          date: new Date(Date.UTC(p.y, p.m - 1 - n, 1)).toISOString().slice(0, 10),
          precision: 'month',
          kind: 'relative',
        };
      }
      return { date: isoDate(p.y - n, 1, 1), precision: 'year', kind: 'relative' };
    },
  },
  {
    // several days after the attack, a day later, the next day
    pattern:
      /\b(?:(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|a couple of)\s+(day|week)s?\s+(after|before|later|earlier)|the\s+(next|following|previous)\s+(day|week))\b/gi,
    resolve: (m) => {
      if (m[4]) {
        const sign = m[4].toLowerCase() === 'previous' ? -1 : 1;
        const unit = m[5]!.toLowerCase() === 'week' ? 7 : 1;
        return {
          date: null,
          precision: unit === 7 ? 'week' : 'day',
          kind: 'anchored',
          anchorOffsetDays: sign * unit,
        };
      }
      const word = m[1]!.toLowerCase();
      const n = SMALL_NUMBERS[word] ?? Number(word);
      const sign = /before|earlier/i.test(m[3]!) ? -1 : 1;
      const unit = m[2]!.toLowerCase() === 'week' ? 7 : 1;
      const vague = word === 'several' || word === 'a few';
      return {
        date: null,
        precision: vague || unit === 7 ? 'week' : 'day',
        kind: 'anchored',
        anchorOffsetDays: sign * n * unit,
      };
    },
  },
  {
    // a bare year: "the 2014 massacre", "in 2009" — not amounts, not part of a longer number
    pattern:
      /(?<![\d$£€.,/-])\b(1[89]\d\d|20\d\d)\b(?![\d.,/]\d|\s*(?:per\s*cent|percent|%|km|kilomet|metres|meters|people|persons|troops|soldiers|militants|men|women|children|families|houses|rupees|dollars))/g,
    resolve: (m) => ({ date: isoDate(Number(m[1]), 1, 1), precision: 'year', kind: 'year' }),
  },
];

/** Easter Sunday (Western, Gregorian computus) and Christmas Day or Eve of a year, at day precision. */
function feastDay(
  year: number,
  feast: string,
  which: string | undefined,
): Omit<DateMention, 'start' | 'end' | 'text' | 'future'> | null {
  if (feast === 'Christmas') return day(year, 12, which === 'Eve' ? 24 : 25);
  if (which === 'Eve') return null; // Holy Saturday: the bare-year rule takes the year
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  return day(year, month, ((h + l - 7 * m + 114) % 31) + 1);
}

function day(y: number, m: number, d: number): Omit<DateMention, 'start' | 'end' | 'text' | 'future'> | null {
  return validDay(y, m, d) ? { date: isoDate(y, m, d), precision: 'day', kind: 'explicit' } : null;
}

/**
 * Every date in `text`, resolved against the publication date, in text order and without overlaps.
 *
 * @example findDates('Militants attacked a post last June.', '2025-03-25')[0]?.date // '2024-06-01' (month precision)
 */
export function findDates(text: string, published: string): DateMention[] {
  const p = parseIso(published);
  const taken = new TakenCharacters(text.length);
  const found: DateMention[] = [];
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(text); m !== null; m = rule.pattern.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.overlaps(start, end)) continue;
      const resolved = rule.resolve(m, p, published);
      if (!resolved) continue;
      taken.take(start, end);
      const future = resolved.date !== null && resolved.date > published;
      found.push({ start, end, text: m[0], ...resolved, future });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
