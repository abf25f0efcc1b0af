import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { headers, type JsMsg } from 'nats';
import type { Store } from '../store/contract.ts';
import { type DocumentMessage, decodeDocument, type QueuedDocument } from './document.ts';
import type { Queue } from './queue.ts';

/** What processing one document did; `events` is how many events it stored (0 for a repeat). */
export interface ProcessResult {
  events: number;
  /** The id the document was stored under, when the store gives it one. */
  documentId?: string;
}

/** Extracts and stores one document, committing before it returns. Must be idempotent. */
export type ProcessDocument = (document: QueuedDocument, hash: string) => Promise<ProcessResult>;

export type WorkerEvent =
  | { kind: 'processed'; hash: string; document: string; events: number; deliveries: number; ms: number }
  | { kind: 'skipped'; hash: string; document: string; deliveries: number }
  | {
      kind: 'failed';
      hash: string | null;
      document: string | null;
      deliveries: number;
      error: string;
      retryInMs: number;
    }
  | { kind: 'dead-lettered'; hash: string | null; document: string | null; deliveries: number; error: string }
  | { kind: 'pull-error'; error: string };

export interface WorkerOptions {
  queue: Queue;
  /** Where `processed_documents` and `stream_failures` are written (the same database `process` writes). */
  store: Store;
  process: ProcessDocument;
  /** Documents in flight at once in this process; also the most this worker holds unacked. */
  concurrency: number;
  workerId?: string;
  /** Delay before a failed document is redelivered, by delivery number (1 = first). */
  retryDelayMs?: (delivery: number) => number;
  /** How long one pull waits for a document before asking again and checking `signal` (at least 1 s). */
  pullWaitMs?: number;
  signal?: AbortSignal;
  now?: () => Date;
  onEvent?: (event: WorkerEvent) => void;
}

export interface WorkerSummary {
  processed: number;
  skipped: number;
  failed: number;
  deadLettered: number;
  events: number;
}

/** Exponential back-off from one second, capped at a minute. */
export function defaultRetryDelay(delivery: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.max(0, delivery - 1));
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Pulls documents and processes them until `signal` aborts, then finishes what is in flight.
 *
 * A document is acked only after `process` has committed and its `processed_documents` row is
 * written, so a worker killed at any point leaves it unacked and JetStream redelivers it after
 * the ack wait. A redelivered document whose hash is already in `processed_documents` is acked
 * without work; one that was committed but not yet recorded is processed again, which `process`
 * makes a no-op. A failure is recorded and the document nak'd with back-off; on its last allowed
 * delivery it is published to the dead-letter subject with the error in its headers.
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerSummary> {
  const { queue, store, concurrency } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(`concurrency must be ≥ 1, got ${concurrency}`);
  const workerId = options.workerId ?? `${hostname()}:${process.pid}`;
  const now = options.now ?? (() => new Date());
  const retryDelay = options.retryDelayMs ?? defaultRetryDelay;
  const emit = options.onEvent ?? (() => undefined);
  const consumer = await queue.js.consumers.get(queue.names.stream, queue.names.consumer);
  const info = await consumer.info();
  // The consumer allows one delivery past the limit (see ensureQueue) to catch documents that crash workers.
  const serverMaxDeliver = info.config.max_deliver ?? -1;
  const maxDeliver = serverMaxDeliver > 1 ? serverMaxDeliver - 1 : serverMaxDeliver;
  const ackWaitMs = Math.round((info.config.ack_wait ?? 30e9) / 1e6);
  const summary: WorkerSummary = { processed: 0, skipped: 0, failed: 0, deadLettered: 0, events: 0 };

  async function alreadyProcessed(hash: string): Promise<boolean> {
    const rows = await store.query('SELECT 1 AS one FROM processed_documents WHERE hash = $1', [hash]);
    return rows.length > 0;
  }

  async function recordProcessed(message: DocumentMessage, result: ProcessResult, msg: JsMsg, ms: number) {
    await store.query(
      `INSERT INTO processed_documents (hash, document_id, source, url, events, deliveries, worker, duration_ms, processed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CAST($9 AS TIMESTAMP))
       ON CONFLICT (hash) DO NOTHING`,
      [
        message.hash,
        result.documentId ?? message.document.id ?? null,
        message.document.source ?? null,
        message.document.url ?? null,
        result.events,
        msg.info.deliveryCount,
        workerId,
        Math.round(ms),
        now().toISOString(),
      ],
    );
  }

  async function recordFailure(msg: JsMsg, hash: string | null, error: string, dead: boolean): Promise<void> {
    await store
      .query(
        `INSERT INTO stream_failures (id, hash, stream_seq, delivery, dead_lettered, error, worker, failed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CAST($8 AS TIMESTAMP))`,
        [
          randomUUID(),
          hash,
          msg.info.streamSequence,
          msg.info.deliveryCount,
          dead,
          error,
          workerId,
          now().toISOString(),
        ],
      )
      // The failure is also on the dead-letter message and in the log; a database that is down
      // must not stop the document from being nak'd.
      .catch(() => undefined);
  }

  async function deadLetter(msg: JsMsg, hash: string | null, error: string): Promise<void> {
    const h = headers();
    h.set('Sitrep-Error', error.replace(/[\r\n]+/g, ' ').slice(0, 2_000));
    h.set('Sitrep-Deliveries', String(msg.info.deliveryCount));
    h.set('Sitrep-Stream-Seq', String(msg.info.streamSequence));
    h.set('Sitrep-Worker', workerId);
    h.set('Sitrep-Failed-At', now().toISOString());
    if (hash) h.set('Sitrep-Hash', hash);
    await queue.js.publish(queue.names.deadSubject, msg.data, {
      headers: h,
      msgID: `dead-${queue.names.stream}-${msg.info.streamSequence}`,
    });
  }

  /** Documents this worker's slots are working on, by hash: each resolves when its handling ends. */
  const inFlight = new Map<string, Promise<void>>();

  async function handle(msg: JsMsg): Promise<void> {
    const started = performance.now();
    // Long documents keep their claim: tell the server we are still working before the ack wait ends.
    const heartbeat = setInterval(() => msg.working(), Math.max(250, Math.floor(ackWaitMs / 3)));
    let hash: string | null = null;
    // what the operator knows the document by: its file or feed, else its URL or id
    let document: string | null = null;
    let releaseHash = () => {};
    try {
      const message = decodeDocument(msg.data);
      hash = message.hash;
      const { source, url, id } = message.document;
      document = source ?? url ?? id ?? hash.slice(0, 12);
      // Redelivered to a second slot while the first still works on it (the ack wait ran out: a long
      // document on a busy machine): wait for the first, then it is processed and this one is skipped.
      const earlier = inFlight.get(message.hash);
      if (earlier) await earlier;
      const mine = new Promise<void>((resolve) => {
        releaseHash = () => {
          if (inFlight.get(message.hash) === mine) inFlight.delete(message.hash);
          resolve();
        };
      });
      inFlight.set(message.hash, mine);
      if (await alreadyProcessed(message.hash)) {
        await msg.ackAck();
        summary.skipped++;
        emit({ kind: 'skipped', hash: message.hash, document, deliveries: msg.info.deliveryCount });
        return;
      }
      if (maxDeliver > 0 && msg.info.deliveryCount > maxDeliver) {
        throw new Error(
          `no answer after ${maxDeliver} deliveries (a worker died or ran past the ack wait on this document)`,
        );
      }
      const result = await options.process(message.document, message.hash);
      const ms = performance.now() - started;
      await recordProcessed(message, result, msg, ms);
      await msg.ackAck();
      summary.processed++;
      summary.events += result.events;
      emit({
        kind: 'processed',
        hash: message.hash,
        document,
        events: result.events,
        deliveries: msg.info.deliveryCount,
        ms: Math.round(ms),
      });
    } catch (caught) {
      const error = caught instanceof Error ? caught.message : String(caught);
      const delivery = msg.info.deliveryCount;
      const last = maxDeliver > 0 && delivery >= maxDeliver;
      await recordFailure(msg, hash, error, last);
      if (last) {
        try {
          await deadLetter(msg, hash, error);
          await msg.ackAck();
          summary.deadLettered++;
          emit({ kind: 'dead-lettered', hash, document, deliveries: delivery, error });
        } catch (publishError) {
          // Not dead-lettered: leave it unacked so the server's own max-deliveries advisory applies.
          emit({ kind: 'pull-error', error: `dead-letter failed: ${(publishError as Error).message}` });
        }
      } else {
        const retryInMs = retryDelay(delivery);
        msg.nak(retryInMs);
        summary.failed++;
        emit({ kind: 'failed', hash, document, deliveries: delivery, error, retryInMs });
      }
    } finally {
      clearInterval(heartbeat);
      releaseHash();
    }
  }

  async function slot(): Promise<void> {
    while (!options.signal?.aborted) {
      let msg: JsMsg | null;
      try {
        msg = await consumer.next({ expires: Math.max(1_000, options.pullWaitMs ?? 2_000) });
      } catch (error) {
        if (options.signal?.aborted) return;
        emit({ kind: 'pull-error', error: (error as Error).message });
        await sleep(1_000, options.signal);
        continue;
      }
      if (msg) await handle(msg);
    }
  }

  await Promise.all(Array.from({ length: concurrency }, () => slot()));
  return summary;
}
