import type { Queryable } from '../store/contract.ts';
import type { Queue } from './queue.ts';

/** What JetStream says about the queue right now. */
export interface QueueDepth {
  /** Documents in the stream not yet delivered to any worker. */
  pending: number;
  /** Delivered to a worker and not yet acked (in flight, or held by a worker that died). */
  ackPending: number;
  /** Of the unacked documents, those on their second or later delivery (retries, or a dead worker's). */
  redelivered: number;
  /** Documents stored in the work-queue stream (pending + ack-pending). */
  stored: number;
  /** Documents in the dead-letter stream. */
  deadLettered: number;
  /** Pull requests waiting: roughly the idle worker slots. */
  waitingPulls: number;
}

/** What the database says about work done. */
export interface Throughput {
  processedTotal: number;
  eventsTotal: number;
  /** Documents committed in the last 1, 5 and 60 minutes. */
  lastMinute: number;
  last5Minutes: number;
  lastHour: number;
  /** Mean over the last five minutes. */
  perMinute: number;
  failuresLastHour: number;
  deadLetteredTotal: number;
  lastErrors: { failedAt: string; delivery: number; deadLettered: boolean; error: string }[];
  workers: { worker: string; processedLast5Minutes: number }[];
}

export interface StreamStatus {
  queue: string;
  at: string;
  depth: QueueDepth;
  throughput: Throughput | null;
}

export async function queueDepth(queue: Queue): Promise<QueueDepth> {
  const [stream, consumer, dead] = await Promise.all([
    queue.jsm.streams.info(queue.names.stream),
    queue.jsm.consumers.info(queue.names.stream, queue.names.consumer),
    queue.jsm.streams.info(queue.names.deadStream),
  ]);
  return {
    pending: consumer.num_pending,
    ackPending: consumer.num_ack_pending,
    redelivered: consumer.num_redelivered,
    stored: stream.state.messages,
    deadLettered: dead.state.messages,
    waitingPulls: consumer.num_waiting,
  };
}

const minutesBefore = (now: Date, minutes: number) =>
  new Date(now.getTime() - minutes * 60_000).toISOString();

export async function throughput(db: Queryable, now: Date): Promise<Throughput> {
  const [counts] = await db.query(
    `SELECT COUNT(*) AS total,
            COALESCE(SUM(events), 0) AS events,
            COUNT(*) FILTER (WHERE processed_at >= CAST($1 AS TIMESTAMP)) AS m1,
            COUNT(*) FILTER (WHERE processed_at >= CAST($2 AS TIMESTAMP)) AS m5,
            COUNT(*) FILTER (WHERE processed_at >= CAST($3 AS TIMESTAMP)) AS m60
     FROM processed_documents`,
    [minutesBefore(now, 1), minutesBefore(now, 5), minutesBefore(now, 60)],
  );
  const [failures] = await db.query(
    `SELECT COUNT(*) FILTER (WHERE failed_at >= CAST($1 AS TIMESTAMP)) AS hour,
            COUNT(*) FILTER (WHERE dead_lettered) AS dead
     FROM stream_failures`,
    [minutesBefore(now, 60)],
  );
  const lastErrors = await db.query(
    `SELECT CAST(failed_at AS TEXT) AS failed_at, delivery, dead_lettered, error
     FROM stream_failures ORDER BY failed_at DESC, id LIMIT 5`,
  );
  const workers = await db.query(
    `SELECT worker, COUNT(*) AS n FROM processed_documents
     WHERE processed_at >= CAST($1 AS TIMESTAMP) GROUP BY worker ORDER BY n DESC, worker`,
    [minutesBefore(now, 5)],
  );
  const last5Minutes = Number(counts?.m5 ?? 0);
  return {
    processedTotal: Number(counts?.total ?? 0),
    eventsTotal: Number(counts?.events ?? 0),
    lastMinute: Number(counts?.m1 ?? 0),
    last5Minutes,
    lastHour: Number(counts?.m60 ?? 0),
    perMinute: Math.round((last5Minutes / 5) * 10) / 10,
    failuresLastHour: Number(failures?.hour ?? 0),
    deadLetteredTotal: Number(failures?.dead ?? 0),
    lastErrors: lastErrors.map((r) => ({
      failedAt: String(r.failed_at),
      delivery: Number(r.delivery),
      deadLettered: Boolean(r.dead_lettered),
      error: String(r.error),
    })),
    workers: workers.map((r) => ({ worker: String(r.worker), processedLast5Minutes: Number(r.n) })),
  };
}

/** Queue depth from JetStream and, given the database, throughput and failures from it. */
export async function streamStatus(queue: Queue, db: Queryable | null, now: Date): Promise<StreamStatus> {
  return {
    queue: queue.names.stream.replace(/_docs$/, ''),
    at: now.toISOString(),
    depth: await queueDepth(queue),
    throughput: db ? await throughput(db, now) : null,
  };
}

/** The human-readable form `sitrep status` prints. */
export function formatStatus(status: StreamStatus): string {
  const d = status.depth;
  const lines = [
    `queue ${status.queue} at ${status.at}`,
    `  pending ${d.pending}   in flight (ack-pending) ${d.ackPending}   redelivered ${d.redelivered}   dead-lettered ${d.deadLettered}`,
  ];
  const t = status.throughput;
  if (t) {
    lines.push(
      `  processed ${t.processedTotal} documents, ${t.eventsTotal} events`,
      `  throughput ${t.perMinute}/min (last 5 min)   last minute ${t.lastMinute}   last hour ${t.lastHour}`,
      `  failures last hour ${t.failuresLastHour}   dead-lettered total ${t.deadLetteredTotal}`,
    );
    for (const w of t.workers)
      lines.push(`  worker ${w.worker}: ${w.processedLast5Minutes} in the last 5 min`);
    for (const e of t.lastErrors) {
      lines.push(
        `  ${e.failedAt} delivery ${e.delivery}${e.deadLettered ? ' DEAD' : ''}: ${e.error.slice(0, 160)}`,
      );
    }
  } else {
    lines.push('  (pass --db to see throughput and failures)');
  }
  return lines.join('\n');
}
