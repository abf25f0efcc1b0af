import { createRoute, z } from '@hono/zod-openapi';
import { Span } from '../../schema/extraction.ts';
import { CountRange } from '../../schema/index.ts';
import { eventFromRow, eventSelectSql, eventsFromSql } from '../../store/columns.ts';
import { isoUtc } from '../../store/timestamps.ts';
import type { Api, RouteDeps } from '../app.ts';
import { ErrorBody, errorResponses } from '../query.ts';

/**
 * `GET /api/documents/{id}`: a stored news document (as `storeDocument` wrote it) and the events
 * extracted from it, each with the evidence span of every field it read, so a client can show the
 * passage with the evidence marked. Read-only.
 */

/**
 * Document ids are the first 16 hex digits of the content hash, or the `id` a JSON document gave.
 * Letters, digits, spaces and a few separators cover both; markup, quotes and control characters are
 * refused before the store is asked.
 */
const DocumentId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:#@+=,~/-]*$/u, 'not a document id')
  .openapi({ param: { name: 'id', in: 'path' }, example: '3f9a1c0d2b7e4a55' });

const DocumentEvent = z
  .object({
    id: z.string(),
    index: z.number().int().nullable(),
    eventDate: z.string(),
    eventType: z.string().nullable(),
    subEventType: z.string().nullable(),
    actor1: z.string().nullable(),
    actor2: z.string().nullable(),
    location: z.string().nullable(),
    admin2: z.string().nullable(),
    admin1: z.string().nullable(),
    fatalities: CountRange,
    span: Span.nullable().openapi({ description: 'the passage the event was read from' }),
    evidence: z.record(z.string(), Span).openapi({
      description: 'per field, the half-open range [start, end) of `text` it was read from',
    }),
  })
  .openapi('DocumentEvent');

const DocumentBody = z
  .object({
    id: z.string(),
    source: z.string().nullable().openapi({
      description: 'where the document came from: a name, or the file name alone (never the server path)',
    }),
    url: z.string().nullable(),
    published: z.string(),
    text: z.string().openapi({ description: 'the stored text (HTML already stripped); spans index into it' }),
    contentHash: z.string(),
    ingestedAt: z.string().openapi({ description: 'ISO 8601 UTC, e.g. 2026-11-27T03:42:16.354Z' }),
    events: z.array(DocumentEvent),
  })
  .openapi('Document');

/**
 * The document's source as the public may see it: a name ("wire") as stored, a file path (or `file:` URL) as
 * its file name only — a read-only API must not tell readers how the server's disks are laid out. Web
 * addresses are kept (they are public, and the `url` field carries them anyway).
 *
 * @example publicSource('/srv/inbox/2025/analysis.txt') // 'analysis.txt'
 */
export function publicSource(source: string | null): string | null {
  if (source === null) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source) && !/^file:/i.test(source)) return source;
  // Absolute, home-relative and dot-relative paths, Windows drives and shares, file: URLs — and a relative
  // path to a file (`inbox/2024/kech.txt`); names that merely contain a slash ("Reuters/AP") stay as given.
  const isPath =
    /^(?:\/|~[\\/]|\.\.?[\\/]|[A-Za-z]:[\\/]|\\\\|file:)/i.test(source) ||
    /^[^\s<>]+[\\/][^\s<>\\/]+\.[A-Za-z0-9]{1,8}$/.test(source);
  if (!isPath) return source;
  const name = source.split(/[\\/]/).filter(Boolean).at(-1) ?? '';
  return name || null;
}

type DocumentRow = {
  id: string;
  source: string | null;
  url: string | null;
  published: string;
  text: string;
  content_hash: string;
  ingested_at: string;
};

/** A stored span, if it is one (the raw JSON is the store's, but a span is only trusted once parsed). */
const spanOf = (value: unknown): Span | null => {
  const parsed = Span.safeParse(value);
  return parsed.success && parsed.data.end >= parsed.data.start ? parsed.data : null;
};

export function registerDocumentRoutes(app: Api, { store }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/documents/{id}',
      summary: 'A stored news document and the events extracted from it, with their evidence spans',
      request: { params: z.object({ id: DocumentId }), query: z.object({}).strict() },
      responses: {
        200: { content: { 'application/json': { schema: DocumentBody } }, description: 'the document' },
        404: { content: { 'application/json': { schema: ErrorBody } }, description: 'no such document' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const [doc] = await store.query<DocumentRow>(
        `SELECT id, source, url, published, text, content_hash, ingested_at FROM documents WHERE id = $1`,
        [id],
      );
      if (!doc) return c.json({ error: `no document with id ${id}`, details: [] }, 404);
      // storeDocument names its events `text:<document id>:<index>`; the prefix finds them, and
      // raw.documentId (which a document id containing ':' could otherwise blur) decides.
      const prefix = `text:${id}:`;
      const rows = await store.query(
        `SELECT ${eventSelectSql('e')} FROM ${eventsFromSql('e')}
         WHERE e.source = 'text' AND SUBSTR(e.id, 1, CAST($2 AS INTEGER)) = $1`,
        [prefix, prefix.length],
      );
      const events = rows
        .map(eventFromRow)
        .filter((e) => e.raw?.documentId === id)
        .map((e) => {
          const raw = e.raw ?? {};
          const evidence: Record<string, Span> = {};
          for (const [field, value] of Object.entries((raw.evidence ?? {}) as Record<string, unknown>)) {
            const span = spanOf(value);
            if (span) evidence[field] = span;
          }
          return {
            id: e.id,
            index: typeof raw.index === 'number' && Number.isInteger(raw.index) ? raw.index : null,
            eventDate: e.eventDate,
            eventType: e.eventType,
            subEventType: e.subEventType,
            actor1: e.actor1,
            actor2: e.actor2,
            location: e.location,
            admin2: e.admin2,
            admin1: e.admin1,
            fatalities: e.fatalities,
            span: spanOf(raw.span),
            evidence,
          };
        })
        .sort((a, b) => (a.index ?? 0) - (b.index ?? 0) || a.id.localeCompare(b.id));
      return c.json(
        {
          id: doc.id,
          source: publicSource(doc.source),
          url: doc.url,
          published: String(doc.published),
          text: doc.text,
          contentHash: doc.content_hash,
          ingestedAt: isoUtc(doc.ingested_at),
          events,
        },
        200,
      );
    },
  );
}
