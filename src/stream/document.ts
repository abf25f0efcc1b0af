import { z } from 'zod';
import { documentHash } from '../ingest/text/index.ts';

/**
 * One news document on its way through the queue: what `watch` publishes and `worker` consumes.
 * `published` is the date the text was written (YYYY-MM-DD or an ISO timestamp); extraction
 * resolves relative dates ("yesterday") against it.
 */
export const QueuedDocument = z.object({
  id: z.string().min(1).optional(),
  text: z.string().min(1, 'text is empty'),
  published: z
    .string()
    .regex(
      /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/,
      'expected YYYY-MM-DD or an ISO timestamp',
    ),
  source: z.string().min(1).optional(),
  url: z.string().min(1).optional(),
  title: z.string().min(1).max(1000).optional(),
});
export type QueuedDocument = z.infer<typeof QueuedDocument>;

/** The queue's message body: the document plus the content hash it was de-duplicated by. */
export interface DocumentMessage {
  hash: string;
  document: QueuedDocument;
}

/**
 * The queue de-duplicates by the same content hash `storeDocument` stores (whitespace runs collapsed),
 * so `processed_documents.hash` joins `documents.content_hash`.
 */
export { documentHash };

export function encodeDocument(document: QueuedDocument): { hash: string; body: Uint8Array } {
  const hash = documentHash(document.text);
  const message: DocumentMessage = { hash, document };
  return { hash, body: new TextEncoder().encode(JSON.stringify(message)) };
}

/** Parses a message body; the error names the field that is wrong, so the dead-letter entry says why. */
export function decodeDocument(body: Uint8Array): DocumentMessage {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(body));
  } catch (error) {
    throw new Error(`message is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const envelope = z.object({ hash: z.string().optional(), document: z.unknown() }).safeParse(value);
  if (!envelope.success) throw new Error('message is not a Sitrep document envelope');
  const parsed = QueuedDocument.safeParse(envelope.data.document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `invalid document: ${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return { hash: documentHash(parsed.data.text), document: parsed.data };
}
