import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { relationEdges, writeRelations } from '../../analyse/relations.ts';
import { extractDocument, toEventRecord } from '../../extract/extract-document.ts';
import type { PlaceFinder } from '../../extract/geo.ts';
import type { ActorRegistry } from '../../resolve/actor-registry.ts';
import type { ExtractionResult } from '../../schema/extraction.ts';
import type { Queryable, Store } from '../../store/contract.ts';
import { type Progress, progressBar } from '../progress.ts';
import { readDocuments, type TextDocument } from './read-document.ts';
import { splitText, type TextPart } from './split-text.ts';
import { replaceDocumentEvents } from './write-events.ts';

export interface StoreDocumentOptions {
  gazetteer?: PlaceFinder;
  actors?: ActorRegistry;
  now?: () => Date;
  /**
   * Hears how far a document is: its events read (`extract`), then written (`store`). A long text (a dump
   * of reports, megabytes long) takes a minute or more, and `sitrep ingest` draws these as progress bars.
   */
  onProgress?: (stage: 'extract' | 'store', done: number, total: number) => void;
}

/** `new`: first stored; `updated`: stored before, re-read with new text, day or metadata; `unchanged`: nothing written. */
export type DocumentOutcome = 'new' | 'updated' | 'unchanged';

export interface StoredDocument {
  documentId: string;
  contentHash: string;
  outcome: DocumentOutcome;
  /** False when the same document was already stored exactly so: nothing was written. */
  stored: boolean;
  events: number;
  /** Events the document gave before and no longer gives, deleted by this update. */
  removed: number;
}

/**
 * The hash that makes a document the same document: its text with whitespace runs collapsed, and for a
 * part of a long file (`TextDocument.part`) its place in the file.
 */
export function documentHash(text: string, part?: number): string {
  const hash = createHash('sha256');
  if (part !== undefined) hash.update(`part ${part}\n`);
  return hash.update(text.replace(/\s+/g, ' ').trim()).digest('hex');
}

type StoredRow = {
  id: string;
  content_hash: string;
  published: string;
  source: string | null;
  url: string | null;
  title: string | null;
  events: number;
  extraction: string | null;
};

/**
 * The stored document this one is: the same text (whatever id it came with), else the same id with
 * other text (a corrected article). Without an id, the text alone names the document.
 */
async function findStored(store: Queryable, id: string | undefined, hash: string): Promise<StoredRow | null> {
  const rows = await store.query<StoredRow>(
    `SELECT id, content_hash, CAST(published AS TEXT) AS published, source, url, title, events, extraction
     FROM documents WHERE content_hash = $1 OR id = $2`,
    [hash, id ?? null],
  );
  return rows.find((r) => r.content_hash === hash) ?? rows[0] ?? null;
}

/**
 * Stores a document and the events extracted from it (source 'text', provenance = document id and the
 * evidence spans in `raw`), relations in `actor_relations`, all in one transaction.
 *
 * A document is its text (whitespace runs collapsed) or, when it has one, its id. Storing it again
 * changes nothing when text, publication day, source, URL, title and what extraction reads from it are
 * as stored. When any of them changed (extraction too: after an upgrade, or once the gazetteer knows more
 * places), the document is updated in place: relative dates ("earlier this month")
 * move with a new publication day, events it no longer gives are deleted, and its relations replaced.
 * Metadata left out (no source, url or title) keeps what was stored.
 *
 * @example await storeDocument(store, { text, published: '2025-03-25', source: 'wire' })
 */
export async function storeDocument(
  store: Store,
  doc: TextDocument,
  options: StoreDocumentOptions = {},
): Promise<StoredDocument> {
  const contentHash = documentHash(doc.text, doc.part);
  // Extraction is the slow part and reads nothing stored: it runs before the transaction, so the
  // document's lock below is held only for the comparison and the writes.
  const result: ExtractionResult = extractDocument(doc.text, {
    published: doc.published,
    ...(options.gazetteer ? { gazetteer: options.gazetteer } : {}),
    ...(options.actors ? { actors: options.actors } : {}),
    ...(options.onProgress
      ? { onEvent: (done: number, total: number) => options.onProgress?.('extract', done, total) }
      : {}),
  });
  const extraction = JSON.stringify(result);
  const now = (options.now ?? (() => new Date()))();
  const lockKeys = documentLockKeys(doc.id, contentHash);
  return oneWriterAtATime(lockKeys, () =>
    store.transaction(async (tx) => {
      await lockDocumentAcrossProcesses(tx, lockKeys);
      // Read under the lock: a second delivery of the same document (a stream worker's ack wait ran out
      // while the first was still working) waits here and then finds it stored, instead of inserting the
      // same events again and failing on their primary key.
      const before = await findStored(tx, doc.id, contentHash);
      const source = doc.source ?? before?.source ?? null;
      const url = doc.url ?? before?.url ?? null;
      const title = doc.title ?? before?.title ?? null;
      if (
        before &&
        before.extraction === extraction &&
        before.content_hash === contentHash &&
        before.published === doc.published &&
        before.source === source &&
        before.url === url &&
        before.title === title
      ) {
        return {
          documentId: before.id,
          contentHash,
          outcome: 'unchanged',
          stored: false,
          events: Number(before.events),
          removed: 0,
        };
      }

      const documentId = before?.id ?? doc.id ?? contentHash.slice(0, 16);
      const records = result.events
        .filter((e) => e.date)
        .map((e, index) => toEventRecord(e, { documentId, index, text: doc.text }));
      const registry = options.actors;
      const edges = relationEdges(
        result.relations,
        doc.text,
        `text:${documentId}`,
        registry ? (name) => registry.resolve(name)?.id ?? null : undefined,
      );
      const written = await replaceDocumentEvents(
        tx,
        documentId,
        records,
        {
          file: `document:${documentId}`,
          sha256: contentHash,
          rowsRead: result.events.length,
          now: now.toISOString(),
        },
        (done, total) => options.onProgress?.('store', done, total),
      );
      await writeRelations(tx, edges, now, `text:${documentId}`);
      const values = [
        documentId,
        contentHash,
        source,
        url,
        title,
        doc.published,
        doc.text,
        extraction,
        records.length,
        now.toISOString(),
      ];
      await tx.query(
        before
          ? `UPDATE documents SET content_hash = $2, source = $3, url = $4, title = $5, published = CAST($6 AS DATE),
             text = $7, extraction = $8, events = $9, ingested_at = CAST($10 AS TIMESTAMP) WHERE id = $1`
          : `INSERT INTO documents (id, content_hash, source, url, title, published, text, extraction, events, ingested_at)
           VALUES ($1, $2, $3, $4, $5, CAST($6 AS DATE), $7, $8, $9, CAST($10 AS TIMESTAMP))`,
        values,
      );
      return {
        documentId,
        contentHash,
        outcome: before ? 'updated' : 'new',
        stored: true,
        events: records.length,
        removed: written.removed,
      } satisfies StoredDocument;
    }),
  );
}

/** A document is named by its text's hash and by its id: writers of either wait for each other. */
export function documentLockKeys(id: string | undefined, hash: string): string[] {
  // One fixed order, so two writers never wait on each other crosswise.
  return [`document-hash:${hash}`, ...(id === undefined ? [] : [`document-id:${id}`])].sort();
}

/** The writes in flight in this process, by lock key: each resolves when its transaction has ended. */
const writesInFlight = new Map<string, Promise<unknown>>();

/**
 * Runs `write` once no earlier write in this process holds any of `keys`. Two stream slots of one
 * worker can hold the same document (a redelivery after the ack wait ran out), and DuckDB, whose
 * transactions run side by side on their own connections, would fail the second on a conflict.
 */
async function oneWriterAtATime<T>(keys: readonly string[], write: () => Promise<T>): Promise<T> {
  const earlier = keys.map((key) => writesInFlight.get(key)).filter((p) => p !== undefined);
  const run = Promise.allSettled(earlier).then(write);
  for (const key of keys) writesInFlight.set(key, run);
  try {
    return await run;
  } finally {
    for (const key of keys) if (writesInFlight.get(key) === run) writesInFlight.delete(key);
  }
}

/**
 * The same across processes on PostgreSQL, where several workers share the database: transaction-level
 * advisory locks, released at commit or rollback. (A DuckDB file has one writing process.)
 */
async function lockDocumentAcrossProcesses(tx: Queryable, keys: readonly string[]): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  for (const key of keys) await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}

export interface TextIngestSummary {
  documents: number;
  /** Documents written: new ones plus updated ones. */
  stored: number;
  /** Documents stored before and re-read (new publication day, text or metadata). */
  updated: number;
  unchanged: number;
  /** Events of the documents written. */
  events: number;
  /** Events deleted because an updated document no longer gives them. */
  removed: number;
  files: string[];
  /** Files longer than one document may be (`PART_CHARS`), stored as this many documents, one a part. */
  split: Array<{ file: string; parts: number }>;
  /** Files holding no text (or documents with none), left out rather than stored as empty documents. */
  empty: string[];
}

export interface TextIngestOptions extends StoreDocumentOptions {
  published?: string;
  progress?: boolean;
  /** A text longer than this is stored as several documents (`splitText`); `PART_CHARS` unless given. */
  partChars?: number;
}

/**
 * `sitrep ingest --format text PATH`: every .txt/.html/.htm/.json/.jsonl file at PATH (a file or a
 * directory, recursively) stored with `storeDocument`; a text longer than `partChars` as one document a
 * part (`storeParts`).
 */
export async function ingestTextPaths(
  store: Store,
  paths: readonly string[],
  options: TextIngestOptions = {},
): Promise<TextIngestSummary> {
  const summary: TextIngestSummary = {
    documents: 0,
    stored: 0,
    updated: 0,
    unchanged: 0,
    events: 0,
    removed: 0,
    files: [],
    split: [],
    empty: [],
  };
  // (No DuckDB memory cap as for a data set: a document's extraction is one value, ≈ 9× its text, which
  // DuckDB must hold whole: an 8 MB text failed under 256 MB with "could not allocate block of 77.8 MiB".)
  await storeFiles(store, paths, options, summary);
  if (options.actors && summary.stored > 0) await saveCanonicalActors(store, options.actors);
  return summary;
}

async function storeFiles(
  store: Store,
  paths: readonly string[],
  options: TextIngestOptions,
  summary: TextIngestSummary,
): Promise<void> {
  for (const file of paths.flatMap(listFiles)) {
    summary.files.push(file);
    for (const doc of readDocuments(file, options.published, { undated: 'error' })) {
      if (doc.text.trim() === '') {
        summary.empty.push(file);
        continue;
      }
      const parts = splitText(doc.text, options.partChars);
      if (parts.length > 1) {
        summary.split.push({ file, parts: parts.length });
        await storeParts(store, file, doc, parts, options, summary);
        continue;
      }
      const bars = options.progress ? new DocumentProgress(file) : null;
      const result = await storeDocument(store, doc, {
        ...options,
        ...(bars ? { onProgress: bars.update } : {}),
      });
      bars?.done();
      count(summary, result);
    }
  }
}

function count(summary: TextIngestSummary, result: StoredDocument): void {
  summary.documents++;
  if (result.stored) {
    summary.stored++;
    if (result.outcome === 'updated') summary.updated++;
    summary.events += result.events;
    summary.removed += result.removed;
  } else summary.unchanged++;
}

/**
 * A text too long to be one document, stored a part at a time, each in its own transaction, so memory
 * holds one part's extraction and events, not the file's. A failing part stops the file; the parts before
 * it stay stored, and running the command again skips them (their hashes are as stored).
 */
async function storeParts(
  store: Store,
  file: string,
  doc: TextDocument,
  parts: readonly TextPart[],
  options: TextIngestOptions,
  summary: TextIngestSummary,
): Promise<void> {
  const bar = options.progress
    ? progressBar(`${file}: ${parts.length} parts`, doc.text.length, process.stderr, Date.now, 'events')
    : null;
  let charsBefore = 0;
  let eventsBefore = 0;
  for (const [i, part] of parts.entries()) {
    const onProgress = (stage: 'extract' | 'store', done: number, total: number) => {
      options.onProgress?.(stage, done, total);
      // reading a part's events is about as slow as writing them: each is half its share of the bar
      const share = (stage === 'extract' ? 0 : 0.5) + (total > 0 ? done / total : 1) / 2;
      bar?.update(charsBefore + part.text.length * share, eventsBefore + (stage === 'store' ? done : 0));
    };
    try {
      // a document's own id (JSON) names the whole text: each part gets its own, or they would overwrite each other
      const id = doc.id === undefined ? {} : { id: `${doc.id}/part-${i + 1}` };
      const result = await storeDocument(
        store,
        { ...doc, ...id, text: part.text, part: i + 1 },
        { ...options, onProgress },
      );
      count(summary, result);
      eventsBefore += result.events;
    } catch (error) {
      bar?.done();
      throw new Error(
        `${file}: part ${i + 1} of ${parts.length} (lines ${part.firstLine}–${part.lastLine} of its text) failed: ${(error as Error).message}. ` +
          `${i === 0 ? 'Nothing of the file was stored' : i === 1 ? 'Part 1 is stored' : `Parts 1–${i} are stored`}; once the cause is fixed, running the same command again stores the rest`,
        { cause: error },
      );
    }
    charsBefore += part.text.length;
  }
  bar?.done();
}

/**
 * Progress bars on a terminal's stderr for one long document: its events read, then written. A stage
 * gets a bar only once it has run a second, so a folder of short articles draws nothing.
 */
class DocumentProgress {
  private stage: 'extract' | 'store' | null = null;
  private started = 0;
  private bar: Progress | null = null;

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {}

  readonly update = (stage: 'extract' | 'store', done: number, total: number): void => {
    if (stage !== this.stage) {
      this.done();
      this.stage = stage;
      this.started = this.now();
    }
    if (!this.bar && this.now() - this.started >= 1000) {
      const label = `${this.file}: ${stage === 'extract' ? 'reading events' : 'storing events'}`;
      this.bar = progressBar(label, total, process.stderr, this.now, 'events');
    }
    this.bar?.update(done, done);
  };

  done(): void {
    this.bar?.done();
    this.bar = null;
  }
}

/**
 * The registry's actors the store does not hold yet, as a data set ingest saves them: events and relations
 * read from text carry canonical ids, and `sitrep actors` and the network need the names and aliases behind them.
 */
async function saveCanonicalActors(store: Store, actors: ActorRegistry): Promise<void> {
  const held = new Set((await store.listActors()).map((a) => a.id));
  const missing = actors.all().filter((a) => !held.has(a.id));
  if (missing.length > 0) await store.saveActors(missing);
}

function listFiles(path: string): string[] {
  if (!existsSync(path)) throw new Error(`${path}: no such file or directory`);
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const full = join(path, name);
      if (statSync(full).isDirectory()) return listFiles(full);
      return /\.(?:txt|text|html?|json|jsonl|md)$/i.test(name) ? [full] : [];
    });
}
