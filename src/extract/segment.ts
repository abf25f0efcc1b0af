/** A sentence of a document, with its offsets in the original text and the paragraph it belongs to. */
export interface Sentence {
  start: number;
  end: number;
  text: string;
  paragraph: number;
}

const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'gen',
  'lt',
  'col',
  'maj',
  'capt',
  'sgt',
  'brig',
  'st',
  'no',
  'vs',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'approx',
  'govt',
  'dept',
  'inc',
  'ltd',
  'co',
  'u.s',
  'u.n',
  'e.g',
  'i.e',
  'r',
  'retd',
  'km',
  'etc',
]);

function isAbbreviation(text: string, dot: number): boolean {
  let i = dot - 1;
  while (i >= 0 && /[A-Za-z.]/.test(text[i] ?? '')) i--;
  const word = text.slice(i + 1, dot).toLowerCase();
  if (ABBREVIATIONS.has(word)) return true;
  // single capital initials ("A. Khan") and dotted acronyms ("U.S.")
  return /^[a-z]$/.test(word) || /^([a-z]\.)+[a-z]?$/.test(word);
}

/**
 * Splits text into sentences without losing offsets: every sentence is `text.slice(start, end)`.
 * Newlines end paragraphs; `.`, `!`, `?` end a sentence when followed by space and a capital,
 * digit or quote, unless the dot closes a known abbreviation or an initial.
 *
 * @example splitSentences('Two were killed. Police came.').map((s) => s.text) // ['Two were killed.', 'Police came.']
 */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let paragraph = 0;
  let start = 0;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s] ?? '')) s++;
    while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
    if (e > s) sentences.push({ start: s, end: e, text: text.slice(s, e), paragraph });
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') {
      push(i);
      if (sentences.length > 0 && sentences.at(-1)!.paragraph === paragraph) paragraph++;
      continue;
    }
    if (ch !== '.' && ch !== '!' && ch !== '?') continue;
    // swallow closing quotes/brackets that belong to the sentence
    let j = i + 1;
    while (j < text.length && /["'”’)\]]/.test(text[j] ?? '')) j++;
    const next = text[j];
    if (next === undefined) continue;
    if (!/[ \t]/.test(next)) continue;
    let k = j;
    while (k < text.length && /[ \t]/.test(text[k] ?? '')) k++;
    const after = text[k] ?? '';
    if (!/[A-Z0-9"“‘(]/.test(after)) continue;
    if (ch === '.' && isAbbreviation(text, i)) continue;
    push(j);
  }
  push(text.length);
  return sentences;
}
