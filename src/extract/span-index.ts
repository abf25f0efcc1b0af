/**
 * Spans of one document (dates, actors, places) found by position in O(log n + hits) instead of a scan of
 * them all. Extraction asks "which mentions lie in this sentence?" once per sentence and event: with a
 * scan, a text of n sentences costs n² (a 1 MB file of one-line reports took minutes; docs/extraction.md).
 *
 * @example new SpanIndex(dates).inside(sentence.start, sentence.end)
 */
interface Span {
  start: number;
  end: number;
}

export class SpanIndex<T extends Span> {
  /** By start, ties kept in their given order (the callers' arrays are already in text order). */
  readonly items: readonly T[];
  private readonly longest: number;

  constructor(items: readonly T[]) {
    this.items = [...items].sort((a, b) => a.start - b.start);
    this.longest = this.items.reduce((max, s) => Math.max(max, s.end - s.start), 0);
  }

  /** The spans with `from <= start` and `end <= to`, in text order. */
  inside(from: number, to: number): T[] {
    const out: T[] = [];
    for (let i = this.firstStartingAt(from); i < this.items.length; i++) {
      const s = this.items[i]!;
      if (s.start >= to) break;
      if (s.end <= to) out.push(s);
    }
    return out;
  }

  /** The spans sharing at least one character with `[from, to)`, in text order. */
  overlapping(from: number, to: number): T[] {
    const out: T[] = [];
    for (let i = this.firstStartingAt(from - this.longest); i < this.items.length; i++) {
      const s = this.items[i]!;
      if (s.start >= to) break;
      if (s.end > from) out.push(s);
    }
    return out;
  }

  private firstStartingAt(position: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.start < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Whether `span` lies inside one of `spans`, which are in text order and do not overlap (an event's
 * passages): a binary search, where `spans.some(…)` per mention made an event of n passages cost n².
 */
export function insideOneOf(spans: readonly Span[], span: Span): boolean {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid]!.start <= span.start) lo = mid + 1;
    else hi = mid;
  }
  const holder = spans[lo - 1];
  return holder !== undefined && span.end <= holder.end;
}

/**
 * Characters of a text already claimed by a match, so a later rule's match can be refused in O(its length)
 * rather than by comparing it with every match before it.
 */
export class TakenCharacters {
  private readonly taken: Uint8Array;

  constructor(length: number) {
    this.taken = new Uint8Array(length);
  }

  /** Whether any character of `[start, end)` is taken. */
  overlaps(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.taken[i] === 1) return true;
    return false;
  }

  take(start: number, end: number): void {
    this.taken.fill(1, start, end);
  }
}
