/**
 * Above this many characters a text file is stored as several documents. One document is one extraction
 * and one transaction holding all its events and its stored extraction (≈8.5× the text), so memory grows
 * ≈90 MB per MB of text; 1 MB is ≈20× the longest article Sitrep has read (the 10.8 kB analysis column is
 * typical of long ones), so no real article is split, and a part is extracted in ≈2 s (docs/extraction.md,
 * "Long texts").
 */
export const PART_CHARS = 1_000_000;

/** One part of a long text: a run of whole paragraphs (or, failing blank lines, whole lines). */
export interface TextPart {
  text: string;
  /** 1-based line of the file the part starts at, for messages. */
  firstLine: number;
  lastLine: number;
}

/**
 * Cuts `text` into parts of at most `maxChars` characters, at paragraph boundaries (a blank line) where
 * the text has them, else at line breaks, never inside a line (a single line longer than `maxChars` is one
 * part). The cut depends only on the text, so the same file is always cut the same way, and the parts
 * joined give the text back. A text of at most `maxChars` is one part.
 *
 * @example splitText('a\n\nb\n', 3).map((p) => p.text) // ['a\n\n', 'b\n']
 */
export function splitText(text: string, maxChars = PART_CHARS): TextPart[] {
  if (text.length <= maxChars) return [{ text, firstLine: 1, lastLine: lineCount(text) }];
  // Pieces end just after a blank line's run of newlines: each is a paragraph with its separator.
  const pieces = cutAfter(text, /\n[^\S\n]*\n\s*/g).flatMap((paragraph) =>
    paragraph.length > maxChars ? cutAfter(paragraph, /\n/g) : [paragraph],
  );
  const parts: TextPart[] = [];
  let start = 0;
  let end = 0;
  let line = 1;
  const flush = () => {
    if (end === start) return;
    const part = text.slice(start, end);
    const lines = newlines(part);
    parts.push({ text: part, firstLine: line, lastLine: line + lines - (part.endsWith('\n') ? 1 : 0) });
    line += lines;
    start = end;
  };
  for (const piece of pieces) {
    if (end - start + piece.length > maxChars) flush();
    end += piece.length;
  }
  flush();
  return parts;
}

/** `text` cut just after every match of `separator` (a global pattern); the pieces joined are `text`. */
function cutAfter(text: string, separator: RegExp): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const match of text.matchAll(separator)) {
    const end = (match.index ?? 0) + match[0].length;
    pieces.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}

function newlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function lineCount(text: string): number {
  return newlines(text) + (text.endsWith('\n') || text === '' ? 0 : 1);
}
