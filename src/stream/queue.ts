import {
  AckPolicy,
  type ConsumerConfig,
  connect,
  DiscardPolicy,
  headers,
  type JetStreamClient,
  type JetStreamManager,
  type KV,
  type NatsConnection,
  nanos,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from 'nats';
import { encodeDocument, type QueuedDocument } from './document.ts';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
export const DEFAULT_QUEUE = 'sitrep';

/** Where the queue is: `--nats`, else `SITREP_NATS`, else the local server. */
export function resolveNatsUrl(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.SITREP_NATS ?? DEFAULT_NATS_URL;
}

/** Which queue: `--queue`, else `SITREP_QUEUE`, else `sitrep`. Tests use their own so they never meet. */
export function resolveQueueName(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.SITREP_QUEUE ?? DEFAULT_QUEUE;
}

/** The JetStream objects one named queue is made of. */
export interface QueueNames {
  /** Work-queue stream of documents waiting to be processed; a message leaves it when a worker acks it. */
  stream: string;
  subject: string;
  /** Durable pull consumer every worker shares, so each document goes to exactly one worker at a time. */
  consumer: string;
  /** Stream of documents that failed every delivery, kept with their error. */
  deadStream: string;
  deadSubject: string;
  /** Key-value bucket of content hashes already queued: the de-duplication before publish. */
  seenBucket: string;
}

/**
 * @example queueNames('sitrep') // { stream: 'sitrep_docs', subject: 'sitrep.docs', … }
 */
export function queueNames(queue: string): QueueNames {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(queue)) {
    throw new Error(`invalid queue name "${queue}": use lower-case letters, digits and _ (max 41)`);
  }
  return {
    stream: `${queue}_docs`,
    subject: `${queue}.docs`,
    consumer: `${queue}_workers`,
    deadStream: `${queue}_dead`,
    deadSubject: `${queue}.dead`,
    seenBucket: `${queue}_seen`,
  };
}

/** How the consumer redelivers. Set once, by the first process that creates the queue, or by `worker`. */
export interface ConsumerSettings {
  /** A delivered document not acked within this time goes to another worker (a killed worker's documents). */
  ackWaitMs: number;
  /** Failed deliveries before a document is dead-lettered (crashes and ack-wait timeouts count too). */
  maxDeliver: number;
  /** Server-side cap on unacked documents across all workers. */
  maxAckPending: number;
}

export interface StreamSettings {
  /** Queue length at which publishers wait (back-pressure) instead of growing the queue. */
  maxQueued: number;
  /** JetStream's own Nats-Msg-Id de-duplication window, a second guard behind the seen bucket. */
  duplicateWindowMs: number;
  /** How long a content hash is remembered as already queued. */
  seenTtlMs: number;
  /** How long dead-lettered documents are kept. */
  deadMaxAgeMs: number;
}

export const DEFAULT_CONSUMER: ConsumerSettings = { ackWaitMs: 60_000, maxDeliver: 5, maxAckPending: 1_000 };
export const DEFAULT_STREAM: StreamSettings = {
  maxQueued: 1_000_000,
  duplicateWindowMs: 10 * 60_000,
  seenTtlMs: 90 * 24 * 3_600_000,
  deadMaxAgeMs: 30 * 24 * 3_600_000,
};

export interface Queue {
  readonly names: QueueNames;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  close(): Promise<void>;
}

/** Connects to NATS and makes sure the queue's streams, consumer and seen bucket exist. */
export async function openQueue(
  url: string,
  queue: string,
  settings: {
    consumer?: Partial<ConsumerSettings>;
    stream?: Partial<StreamSettings>;
    name?: string;
    /** False to only look: a queue that does not exist is an error instead of being created. */
    create?: boolean;
  } = {},
): Promise<Queue> {
  const names = queueNames(queue);
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: url, name: settings.name ?? 'sitrep', maxReconnectAttempts: -1 });
  } catch (error) {
    throw new Error(`cannot connect to NATS at ${url}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const jsm = await nc.jetstreamManager();
    if (settings.create === false) {
      await jsm.consumers.info(names.stream, names.consumer).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
        throw new Error(`queue "${queue}" does not exist on ${url} (watch or worker creates it)`);
      });
    } else {
      await ensureQueue(jsm, names, settings.consumer ?? {}, { ...DEFAULT_STREAM, ...settings.stream });
    }
    return {
      names,
      nc,
      js: nc.jetstream(),
      jsm,
      close: async () => {
        await nc.drain().catch(() => nc.close());
      },
    };
  } catch (error) {
    await nc.close();
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return /not found/i.test((error as Error).message ?? '');
}

/** An existing stream is left as it is: its limits are the operator's to change. */
async function addStreamIfMissing(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }) {
  await jsm.streams.info(config.name).catch(async (error: unknown) => {
    if (!isNotFound(error)) throw error;
    await jsm.streams.add(config);
  });
}

/**
 * Creates what is missing. An existing consumer keeps its settings unless `consumer` names one,
 * so a `watch` started with defaults never undoes what `worker --ack-wait` set.
 */
async function ensureQueue(
  jsm: JetStreamManager,
  names: QueueNames,
  consumer: Partial<ConsumerSettings>,
  stream: StreamSettings,
): Promise<void> {
  await addStreamIfMissing(jsm, {
    name: names.stream,
    subjects: [names.subject],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    discard: DiscardPolicy.New,
    max_msgs: stream.maxQueued,
    duplicate_window: nanos(stream.duplicateWindowMs),
  });
  await addStreamIfMissing(jsm, {
    name: names.deadStream,
    subjects: [names.deadSubject],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(stream.deadMaxAgeMs),
  });
  const wanted = { ...DEFAULT_CONSUMER, ...consumer };
  const config: Partial<ConsumerConfig> = {
    durable_name: names.consumer,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(wanted.ackWaitMs),
    // One delivery more than the limit the workers apply: a document whose last allowed delivery
    // was never answered (the worker died on it) comes back once more and is dead-lettered then.
    max_deliver: wanted.maxDeliver + 1,
    max_ack_pending: wanted.maxAckPending,
    filter_subject: names.subject,
  };
  const existing = await jsm.consumers.info(names.stream, names.consumer).catch((error: unknown) => {
    if (isNotFound(error)) return null;
    throw error;
  });
  if (!existing) {
    await jsm.consumers.add(names.stream, config);
  } else if (Object.keys(consumer).length > 0) {
    await jsm.consumers.update(names.stream, names.consumer, {
      ack_wait: config.ack_wait,
      max_deliver: config.max_deliver,
      max_ack_pending: config.max_ack_pending,
    } as Partial<ConsumerConfig>);
  }
  const js = jsm.jetstream();
  await js.views.kv(names.seenBucket, { history: 1, ttl: stream.seenTtlMs });
}

/** Removes everything a queue is made of (tests and `bench` clean up with it). */
export async function deleteQueue(jsm: JetStreamManager, queue: string): Promise<void> {
  const names = queueNames(queue);
  for (const stream of [names.stream, names.deadStream, `KV_${names.seenBucket}`]) {
    await jsm.streams.delete(stream).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  }
}

export type PublishOutcome = 'queued' | 'duplicate';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A document bigger than one queue message may be (the NATS server's `max_payload`, 1 MiB by default). */
export class DocumentTooLargeError extends Error {
  constructor(
    readonly document: QueuedDocument,
    hash: string,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(
      `document ${document.id ?? document.url ?? hash.slice(0, 12)} is ${bytes.toLocaleString('en-US')} bytes, more than the ${maxBytes.toLocaleString('en-US')} a queue message may hold (the NATS server's max_payload): split it, or store it without the queue with sitrep ingest FILE --format text --published YYYY-MM-DD`,
    );
  }
}

/**
 * Puts documents on the queue unless their content was queued before. The seen bucket is the
 * durable memory of what was queued; JetStream's Nats-Msg-Id window catches two publishers racing
 * on the same document. A full queue makes the publisher wait (back-pressure) rather than fail.
 */
export class DocumentPublisher {
  private seen: KV | null = null;

  constructor(
    private readonly queue: Queue,
    private readonly options: { seenTtlMs?: number; maxWaitMs?: number } = {},
  ) {}

  private async seenBucket(): Promise<KV> {
    this.seen ??= await this.queue.js.views.kv(this.queue.names.seenBucket, {
      history: 1,
      ttl: this.options.seenTtlMs ?? DEFAULT_STREAM.seenTtlMs,
    });
    return this.seen;
  }

  async publish(document: QueuedDocument): Promise<{ hash: string; outcome: PublishOutcome }> {
    const { hash, body } = encodeDocument(document);
    const maxPayload = this.queue.nc.info?.max_payload ?? 1024 * 1024;
    if (body.byteLength > maxPayload)
      throw new DocumentTooLargeError(document, hash, body.byteLength, maxPayload);
    const seen = await this.seenBucket();
    if (await seen.get(hash)) return { hash, outcome: 'duplicate' };
    const h = headers();
    if (document.url) h.set('Sitrep-Url', document.url);
    const ack = await this.publishWaiting(body, hash, h);
    await seen.put(hash, new TextEncoder().encode(String(ack.seq)));
    return { hash, outcome: ack.duplicate ? 'duplicate' : 'queued' };
  }

  private async publishWaiting(body: Uint8Array, hash: string, h: ReturnType<typeof headers>) {
    const deadline = Date.now() + (this.options.maxWaitMs ?? Number.POSITIVE_INFINITY);
    for (let delay = 100; ; delay = Math.min(delay * 2, 5_000)) {
      try {
        return await this.queue.js.publish(this.queue.names.subject, body, { msgID: hash, headers: h });
      } catch (error) {
        const full = /maximum (messages|bytes)|resource limits exceeded/i.test(
          (error as Error).message ?? '',
        );
        if (!full || Date.now() + delay > deadline) throw error;
        await sleep(delay);
      }
    }
  }
}
