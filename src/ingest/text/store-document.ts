import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { extractDocument, toEventRecord } from '../../extract/extract-document.ts';
import type { PlaceFinder } from '../../extract/geo.ts';
import type { ActorRegistry } from '../../resolve/actor-registry.ts';
import type { ExtractionResult } from '../../schema/extraction.ts';
import type { Store } from '../../store/contract.ts';
import { readDocuments, type TextDocument } from './read-document.ts';

export interface StoreDocumentOptions {
  gazetteer?: PlaceFinder;
  actors?: ActorRegistry;
  now?: () => Date;
}

export interface StoredDocument {
  documentId: string;
  contentHash: string;
  /** False when a document with the same text was already stored: nothing was written. */
  stored: boolean;
  events: number;
}

/** The hash that makes a document the same document: its text with whitespace runs collapsed. */
export function documentHash(text: string): string {
  return createHash('sha256').update(text.replace(/\s+/g, ' ').trim()).digest('hex');
}

/**
 * Stores a document and the events extracted from it (source 'text', provenance = document id and the
 * evidence spans in `raw`), relations in `actor_relations`. Idempotent by content hash: the same text
 * stored twice changes nothing and returns the first document's id.
 *
 * @example await storeDocument(store, { text, published: '2025-03-25', source: 'wire' })
 */
export async function storeDocument(
  store: Store,
  doc: TextDocument,
  options: StoreDocumentOptions = {},
): Promise<StoredDocument> {
  const contentHash = documentHash(doc.text);
  const [existing] = await store.query<{ id: string; events: number }>(
    'SELECT id, events FROM documents WHERE content_hash = $1',
    [contentHash],
  );
  if (existing)
    return { documentId: existing.id, contentHash, stored: false, events: Number(existing.events) };

  const documentId = doc.id ?? contentHash.slice(0, 16);
  const result: ExtractionResult = extractDocument(doc.text, {
    published: doc.published,
    ...(options.gazetteer ? { gazetteer: options.gazetteer } : {}),
    ...(options.actors ? { actors: options.actors } : {}),
  });
  const records = result.events
    .filter((e) => e.date)
    .map((e, index) => toEventRecord(e, { documentId, index }));
  if (records.length > 0) {
    const writer = await store.beginImport({
      file: `document:${documentId}`,
      sha256: contentHash,
      format: 'text',
    });
    try {
      await writer.add(records);
      await writer.finish({
        rowsRead: result.events.length,
        rowsRejected: result.events.length - records.length,
      });
    } catch (error) {
      await writer.abort();
      throw error;
    }
  }
  const now = (options.now ?? (() => new Date()))().toISOString();
  await store.transaction(async (tx) => {
    let n = 0;
    for (const relation of result.relations) {
      const pairs: Array<[string, string]> =
        relation.kind === 'merger' && relation.new_name
          ? relation.actors.map((a) => [a, relation.new_name!] as [string, string])
          : relation.actors.flatMap((a, i) =>
              relation.actors.slice(i + 1).map((b) => [a, b] as [string, string]),
            );
      for (const [a, b] of pairs) {
        await tx.query(
          `INSERT INTO actor_relations (id, kind, source_actor, target_actor, relation_date, evidence, origin, created_at)
           VALUES ($1, $2, $3, $4, CAST($5 AS DATE), $6, $7, CAST($8 AS TIMESTAMP))`,
          [
            `${documentId}:${n++}`,
            relation.kind,
            a,
            b,
            relation.date,
            doc.text.slice(relation.evidence.start, relation.evidence.end),
            `text:${documentId}`,
            now,
          ],
        );
      }
    }
    await tx.query(
      `INSERT INTO documents (id, content_hash, source, url, published, text, extraction, events, ingested_at)
       VALUES ($1, $2, $3, $4, CAST($5 AS DATE), $6, $7, $8, CAST($9 AS TIMESTAMP))`,
      [
        documentId,
        contentHash,
        doc.source ?? null,
        doc.url ?? null,
        doc.published,
        doc.text,
        JSON.stringify(result),
        records.length,
        now,
      ],
    );
  });
  return { documentId, contentHash, stored: true, events: records.length };
}

export interface TextIngestSummary {
  documents: number;
  stored: number;
  unchanged: number;
  events: number;
  files: string[];
}

/**
 * `sitrep ingest --format text PATH`: every .txt/.html/.htm/.json/.jsonl file at PATH (a file or a
 * directory, recursively) stored with `storeDocument`.
 */
export async function ingestTextPaths(
  store: Store,
  paths: readonly string[],
  options: StoreDocumentOptions & { published?: string } = {},
): Promise<TextIngestSummary> {
  const summary: TextIngestSummary = { documents: 0, stored: 0, unchanged: 0, events: 0, files: [] };
  for (const file of paths.flatMap(listFiles)) {
    summary.files.push(file);
    for (const doc of readDocuments(file, options.published, { undated: 'error' })) {
      const result = await storeDocument(store, doc, options);
      summary.documents++;
      if (result.stored) {
        summary.stored++;
        summary.events += result.events;
      } else summary.unchanged++;
    }
  }
  return summary;
}

function listFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const full = join(path, name);
      if (statSync(full).isDirectory()) return listFiles(full);
      return /\.(?:txt|text|html?|json|jsonl|md)$/i.test(name) ? [full] : [];
    });
}
