import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import { htmlTitle, htmlToText } from './html.ts';

/** A news document as Sitrep stores it. */
export interface TextDocument {
  id?: string;
  text: string;
  /** YYYY-MM-DD; relative dates in the text resolve against it. */
  published: string;
  source?: string;
  url?: string;
  title?: string;
  /**
   * Which part (1-based) of a text file too long to be one document (`splitText`): part of its identity,
   * so a file whose parts repeat each other still stores every part.
   */
  part?: number;
}

/**
 * True for a day that exists, written YYYY-MM-DD: 2024-02-30 and 2024-13-01 are refused, so a bad
 * publication day is named at the file rather than failing in SQL or shifting every relative date.
 */
export function isCalendarDay(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const date = new Date(0);
  date.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return date.toISOString().slice(0, 10) === value;
}

/** A day, or a timestamp starting with one (feeds write `2025-03-25T08:00:00Z`): its day must exist. */
const isoDay = z
  .string()
  .refine((v) => /^\d{4}-\d{2}-\d{2}(?:$|[T ])/.test(v) && isCalendarDay(v.slice(0, 10)), {
    message: 'expected a calendar date as YYYY-MM-DD',
  });

/** Structured data sets, which `ingest` reads without --format text: as news text they make nonsense events. */
const DATA_SET = /\.(?:csv|tsv|geojson|parquet|xlsx?)$/i;
const JsonDocument = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  text: z.string().optional(),
  body: z.string().optional(),
  content: z.string().optional(),
  html: z.string().optional(),
  published: isoDay.optional(),
  date: isoDay.optional(),
  source: z.string().optional(),
  url: z.string().optional(),
  title: z.string().optional(),
  headline: z.string().optional(),
});

/**
 * Reads one document file: plain text, HTML (stripped safely) or JSON (`text`/`body`/`content`/`html`,
 * `published`/`date`, `source`, `url`, `id`; an array of such objects gives several documents).
 * The publication date comes from the document, else `published`, else the file's modification day.
 */
export function readDocuments(
  path: string,
  published?: string,
  options: { undated?: 'file-day' | 'error' } = {},
): TextDocument[] {
  if (DATA_SET.test(path)) {
    throw new Error(
      `${path}: a data set, not a news document: ingest it without --format text (the format is detected from the header)`,
    );
  }
  if (published !== undefined && !isCalendarDay(published)) {
    throw new Error(`${path}: publication date ${published} is not a calendar date (YYYY-MM-DD)`);
  }
  const raw = readFileSync(path, 'utf8');
  // UTF-16 or binary bytes read as UTF-8 hold NULs: stored, they would be garbage (PostgreSQL refuses them).
  if (raw.includes('\0')) {
    throw new Error(
      `${path}: not UTF-8 text (it holds NUL bytes: UTF-16 or binary); convert it first, e.g. iconv -f UTF-16 -t UTF-8 ${path} > ${path.replace(/(\.\w+)?$/, '-utf8$1')}`,
    );
  }
  // A watched inbox receives news as it is published, so a file's day is a fair guess there; a file
  // ingested by hand may be months old, and a wrong day would misplace every relative date in it.
  const fallbackDay =
    published ?? (options.undated === 'error' ? undefined : statSync(path).mtime.toISOString().slice(0, 10));
  const undated = (what: string): never => {
    throw new Error(
      `${path}: ${what} has no publication date: pass --published YYYY-MM-DD (relative dates such as "earlier this month" are resolved against it)`,
    );
  };
  const ext = extname(path).toLowerCase();
  if (ext === '.json' || ext === '.jsonl') {
    // A parse error names the file and, for JSON Lines, the line.
    const parse = (text: string, where: string): unknown => {
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new Error(`${where}: not JSON: ${(error as Error).message}`, { cause: error });
      }
    };
    const values: unknown[] =
      ext === '.jsonl'
        ? raw
            .split('\n')
            .map((l, i) => [l, i + 1] as const)
            .filter(([l]) => l.trim())
            .map(([l, line]) => parse(l, `${path}:${line}`))
        : [parse(raw, path)].flat();
    return values.map((value, i) => {
      const parsed = JsonDocument.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${path}: document ${i + 1}: ${issue?.path.join('.') || 'value'}: ${issue?.message}`);
      }
      const d = parsed.data;
      const title = d.title || d.headline;
      const text = d.text ?? d.body ?? d.content ?? (d.html ? htmlToText(d.html) : undefined);
      if (!text) throw new Error(`${path}: document ${i + 1}: no text, body, content or html field`);
      return {
        ...(d.id !== undefined ? { id: String(d.id) } : {}),
        text,
        published: (d.published ?? d.date ?? fallbackDay ?? undated(`document ${i + 1}`)).slice(0, 10),
        ...(d.source ? { source: d.source } : {}),
        ...(d.url ? { url: d.url } : {}),
        ...(title ? { title } : {}),
      };
    });
  }
  const looksHtml = ext === '.html' || ext === '.htm' || /^\s*<(?:!doctype|html|body|p|div)\b/i.test(raw);
  const title = looksHtml ? htmlTitle(raw) : null;
  return [
    {
      text: looksHtml ? htmlToText(raw) : raw,
      published: fallbackDay ?? undated('the document'),
      source: path,
      ...(title ? { title } : {}),
    },
  ];
}
