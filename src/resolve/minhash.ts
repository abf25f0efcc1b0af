/**
 * MinHash signatures of character shingles: a fixed-size sketch of a text whose agreement rate
 * estimates the Jaccard similarity of the two texts' shingle sets. Used to compare event notes
 * written by different sources without keeping the text in memory.
 */

export const SIGNATURE_SIZE = 64;
const SHINGLE = 5;

/** FNV-1a over a string slice, 32-bit. */
function fnv1a(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// Seeds for the universal hash family h_i(x) = (a_i * x + b_i) mod 2^32, fixed so signatures are stable.
const SEEDS: ReadonlyArray<readonly [number, number]> = Array.from({ length: SIGNATURE_SIZE }, (_, i) => {
  let s = (i + 1) * 0x9e3779b1;
  const next = () => {
    s = Math.imul(s ^ (s >>> 15), 0x85ebca6b) >>> 0;
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
    return (s ^ (s >>> 16)) >>> 0;
  };
  return [next() | 1, next()] as const;
});

/** Lower-case letters and digits only, single-spaced: punctuation and case do not make texts differ. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The MinHash signature of a text's 5-character shingles, or null when the text is too short to say anything.
 *
 * @example estimateJaccard(minhash('suicide bomber attacked a rally'), minhash('a suicide bomber attacked the rally'))
 */
export function minhash(text: string | null): Uint32Array | null {
  if (!text) return null;
  const clean = normaliseText(text);
  if (clean.length < SHINGLE * 2) return null;
  const signature = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  const seen = new Set<number>();
  for (let i = 0; i + SHINGLE <= clean.length; i++) {
    const x = fnv1a(clean, i, i + SHINGLE);
    if (seen.has(x)) continue;
    seen.add(x);
    for (let k = 0; k < SIGNATURE_SIZE; k++) {
      const [a, b] = SEEDS[k]!;
      const h = (Math.imul(a, x) + b) >>> 0;
      if (h < signature[k]!) signature[k] = h;
    }
  }
  return signature;
}

/** Share of signature slots that agree: an unbiased estimate of the shingle sets' Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let k = 0; k < SIGNATURE_SIZE; k++) if (a[k] === b[k]) same++;
  return same / SIGNATURE_SIZE;
}

/** Exact Jaccard similarity of two texts' shingle sets, for tests and explanations. */
export function exactJaccard(a: string, b: string): number {
  const shingles = (text: string) => {
    const clean = normaliseText(text);
    const set = new Set<string>();
    for (let i = 0; i + SHINGLE <= clean.length; i++) set.add(clean.slice(i, i + SHINGLE));
    return set;
  };
  const sa = shingles(a);
  const sb = shingles(b);
  let inter = 0;
  for (const s of sa) if (sb.has(s)) inter++;
  const union = sa.size + sb.size - inter;
  return union === 0 ? 0 : inter / union;
}
