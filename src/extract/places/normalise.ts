/**
 * Place-name keys: two spellings that differ only in case, accents, punctuation, possessive 's or the
 * usual Urdu-to-Latin variants of "Qila" get the same key.
 *
 * @example placeKey('Khairpur Mir’s') // 'khairpur mir'
 * @example placeKey('Qilla Abdullah') // 'killa abdullah'
 */
export function placeKey(name: string): string {
  // Most names are plain ASCII: skip the Unicode decomposition for them (this runs 150,000 times at load).
  const ascii = !NON_ASCII_RE.test(name);
  let text = ascii
    ? name.toLowerCase()
    : name
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase();
  if (APOSTROPHE_RE.test(text)) text = text.replace(/['’`ʼ]s\b/g, '').replace(/['’`ʼ]/g, '');
  const tokens = text.split(ascii ? /[^a-z0-9]+/ : /[^\p{L}\p{N}]+/u);
  let key = '';
  for (const token of tokens) {
    if (!token) continue;
    key = key ? `${key} ${foldToken(token)}` : foldToken(token);
  }
  return key;
}

const NON_ASCII_RE = /[^\u0020-\u007e]/;
const APOSTROPHE_RE = /['’`ʼ]/;

const TOKEN_VARIANTS = new Map([
  ['qila', 'killa'],
  ['qilla', 'killa'],
  ['kila', 'killa'],
  ['killah', 'killa'],
]);

/** One lower-case token to its key form (shared by `placeKey` and the text tokenizer). */
export function foldToken(token: string): string {
  const first = token.charCodeAt(0);
  // Only "q…" and "k…" tokens have variants; skip the lookup for the rest.
  if (first !== 113 && first !== 107) return token;
  return TOKEN_VARIANTS.get(token) ?? token;
}

export interface TextToken {
  /** Key form of the token, as `placeKey` would give it. */
  key: string;
  start: number;
  end: number;
  /** Starts with an upper-case letter (or is all digits, which never names a place alone). */
  capitalised: boolean;
}

// Combining marks stay inside a word, so decomposed (NFD) text tokenises like composed text.
const TOKEN_RE = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’`ʼ][\p{L}][\p{L}\p{M}]*)*/gu;
const POSSESSIVE_RE = /['’`ʼ]s$/i;

/** Splits text into word tokens with offsets, keys computed the way `placeKey` computes them. */
export function tokenize(text: string): TextToken[] {
  const tokens: TextToken[] = [];
  for (const match of text.matchAll(TOKEN_RE)) {
    const raw = match[0];
    const start = match.index;
    const surface = POSSESSIVE_RE.test(raw) ? raw.slice(0, -2) : raw;
    const first = surface.charCodeAt(0);
    const key = foldToken(
      surface
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/['’`ʼ]/g, ''),
    );
    // Fast path for ASCII; other scripts use the Unicode test.
    const capitalised =
      first >= 65 && first <= 90 ? true : first < 128 ? false : surface[0] !== surface[0]?.toLowerCase();
    tokens.push({ key, start, end: start + surface.length, capitalised });
  }
  return tokens;
}
