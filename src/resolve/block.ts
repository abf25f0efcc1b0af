import type { ResolutionRecord } from './record.ts';
import { DAY_TOLERANCE, type PairScore, scorePair } from './score.ts';

/** Grid cell size in degrees for the spatial blocks (about 110 km; neighbouring cells are searched too). */
const CELL_DEGREES = 1;
/** Coarse-dated records (week, month, year) stay comparable this long after their first day. */
const COARSE_WINDOW_DAYS = 370;

export interface CandidatePair {
  a: ResolutionRecord;
  b: ResolutionRecord;
  score: PairScore;
}

/** Records of these sources are news reports: several of them may describe one incident. */
export const MULTI_REPORT_SOURCES = new Set(['text']);

/** Two records from one curated data set are two incidents by that data set's own judgement. */
export function sameCuratedSource(a: { source: string }, b: { source: string }): boolean {
  return a.source === b.source && !MULTI_REPORT_SOURCES.has(a.source);
}

interface Bucket {
  items: ResolutionRecord[];
  head: number;
}

function cellKey(lat: number, lon: number): string {
  return `g:${Math.floor(lat / CELL_DEGREES)}:${Math.floor(lon / CELL_DEGREES)}`;
}

function indexKeys(r: ResolutionRecord): string[] {
  const keys: string[] = [];
  if (r.admin1) keys.push(`a:${r.admin1}`);
  if (r.latitude !== null && r.longitude !== null) keys.push(cellKey(r.latitude, r.longitude));
  if (keys.length === 0) keys.push('unplaced');
  return keys;
}

function lookupKeys(r: ResolutionRecord): string[] {
  const keys: string[] = [];
  if (r.admin1) keys.push(`a:${r.admin1}`);
  if (r.latitude !== null && r.longitude !== null) {
    const y = Math.floor(r.latitude / CELL_DEGREES);
    const x = Math.floor(r.longitude / CELL_DEGREES);
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) keys.push(`g:${y + dy}:${x + dx}`);
  }
  keys.push('unplaced');
  return keys;
}

/**
 * Streams candidate pairs from records that arrive in date order: a sliding window over dates,
 * blocked by province and by a 1° grid, so each record is compared only with records that could be
 * the same incident. Memory is bounded by the window, not by the number of records.
 */
export class Blocker {
  private readonly fine = new Map<string, Bucket>();
  private readonly coarse = new Map<string, Bucket>();
  private lastDay = Number.NEGATIVE_INFINITY;
  private visit = new Map<string, number>();
  private stamp = 0;
  comparisons = 0;

  constructor(private readonly minScore: number) {}

  /** Adds the next record (in date order) and returns its pairs with earlier records scoring ≥ minScore. */
  push(r: ResolutionRecord): CandidatePair[] {
    if (r.day < this.lastDay) throw new Error(`records out of date order at ${r.id}`);
    this.lastDay = r.day;
    this.stamp++;
    if (this.stamp % 100_000 === 0) this.visit = new Map();
    const pairs: CandidatePair[] = [];
    const consider = (other: ResolutionRecord) => {
      if (this.visit.get(other.id) === this.stamp) return;
      this.visit.set(other.id, this.stamp);
      if (sameCuratedSource(r, other)) return;
      if (other.endDay < r.day - DAY_TOLERANCE) return;
      this.comparisons++;
      const score = scorePair(other, r);
      if (score.blocked === null && score.total >= this.minScore) pairs.push({ a: other, b: r, score });
    };
    for (const key of lookupKeys(r)) {
      const fine = this.fine.get(key);
      if (fine) {
        while (fine.head < fine.items.length && fine.items[fine.head]!.day < r.day - DAY_TOLERANCE)
          fine.head++;
        if (fine.head > 1024 && fine.head * 2 > fine.items.length) {
          fine.items = fine.items.slice(fine.head);
          fine.head = 0;
        }
        for (let i = fine.head; i < fine.items.length; i++) consider(fine.items[i]!);
      }
      const coarse = this.coarse.get(key);
      if (coarse) {
        while (
          coarse.head < coarse.items.length &&
          coarse.items[coarse.head]!.day < r.day - COARSE_WINDOW_DAYS
        )
          coarse.head++;
        for (let i = coarse.head; i < coarse.items.length; i++) consider(coarse.items[i]!);
      }
    }
    const target = r.precision === 'day' ? this.fine : this.coarse;
    for (const key of indexKeys(r)) {
      const bucket = target.get(key);
      if (bucket) bucket.items.push(r);
      else target.set(key, { items: [r], head: 0 });
    }
    return pairs;
  }
}
