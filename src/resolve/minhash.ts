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

/** A 32-bit finaliser (murmur3 fmix32): spreads FNV hashes so their low bits pick a bin fairly. */
function mix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const BIN_BITS = Math.log2(SIGNATURE_SIZE);
const EMPTY = 0xffffffff;

/** Lower-case letters and digits only, single-spaced: punctuation and case do not make texts differ. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The MinHash signature of a text's 5-character shingles, or null when the text is too short to say
 * anything. One-permutation hashing (each shingle hashed once, its low bits choose one of 64 bins, the
 * bin keeps its minimum) with rotation densification for empty bins: linear in the text's length,
 * with the same Jaccard estimate as 64 independent hash functions.
 *
 * @example estimateJaccard(minhash('suicide bomber attacked a rally')!, minhash('a suicide bomber attacked the rally')!)
 */
export function minhash(text: string | null): Uint32Array | null {
  if (!text) return null;
  const clean = normaliseText(text);
  if (clean.length < SHINGLE * 2) return null;
  const signature = new Uint32Array(SIGNATURE_SIZE).fill(EMPTY);
  for (let i = 0; i + SHINGLE <= clean.length; i++) {
    const h = mix(fnv1a(clean, i, i + SHINGLE));
    const bin = h & (SIGNATURE_SIZE - 1);
    const value = h >>> BIN_BITS;
    if (value < signature[bin]!) signature[bin] = value;
  }
  // An empty bin borrows the next filled bin's value, offset by the distance so borrowed values from
  // different texts agree only when the bins they came from agree.
  for (let k = 0; k < SIGNATURE_SIZE; k++) {
    if (signature[k] !== EMPTY && signature[k]! < 1 << (32 - BIN_BITS)) continue;
    for (let d = 1; d < SIGNATURE_SIZE; d++) {
      const source = signature[(k + d) % SIGNATURE_SIZE]!;
      if (source < 1 << (32 - BIN_BITS)) {
        signature[k] = source + d * (1 << (32 - BIN_BITS));
        break;
      }
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
