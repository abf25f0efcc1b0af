import type { Command } from 'commander';
import { plural } from '../../analyse/format.ts';
import type { Store } from '../../store/contract.ts';
import { displayLocation, openStore, resolveDbLocation } from '../../store/open-store.ts';
import { documentProcessor } from '../../stream/process.ts';
import { type ConsumerSettings, openQueue, resolveNatsUrl, resolveQueueName } from '../../stream/queue.ts';
import { queueDepth } from '../../stream/status.ts';
import { runWorker, type WorkerEvent } from '../../stream/worker.ts';
import { printJson } from '../shared-options.ts';
import { abortOnSignals, addQueueOptions, positiveInt, positiveNumber } from './queue-options.ts';

interface WorkerFlags {
  db?: string;
  concurrency: number;
  ackWait?: number;
  maxDeliver?: number;
  retryDelay?: number;
  exitWhenIdle?: number;
  nats?: string;
  queue?: string;
  json?: boolean;
  verbose?: boolean;
}

/**
 * Opens the store, retrying when another worker starting at the same moment is running the same
 * migrations (PostgreSQL then reports a duplicate catalog entry for the table they both create).
 */
async function openMigratedStore(location: string): Promise<Store> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openStore(location);
    } catch (error) {
      const collision = /duplicate key value|already exists/i.test((error as Error).message);
      if (!collision || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300 * attempt + Math.random() * 300));
    }
  }
}

/** One worker event as a line a person reads; `--json` prints the event itself. */
export function describeEvent(event: WorkerEvent): string {
  const what = 'document' in event ? (event.document ?? 'a message that is not a document') : '';
  switch (event.kind) {
    case 'processed':
      return `stored ${what}: ${plural(event.events, 'event')} in ${event.ms} ms${event.deliveries > 1 ? ` (delivery ${event.deliveries})` : ''}`;
    case 'skipped':
      return `skipped ${what}: already stored (delivery ${event.deliveries})`;
    case 'failed':
      return `failed on ${what} (delivery ${event.deliveries}), retrying in ${Math.round(event.retryInMs / 100) / 10} s: ${event.error}`;
    case 'dead-lettered':
      return `gave up on ${what} after ${event.deliveries} deliveries, moved to the dead-letter stream: ${event.error}`;
    case 'pull-error':
      return `cannot pull from the queue: ${event.error}`;
  }
}

export function registerWorker(program: Command): void {
  addQueueOptions(
    program
      .command('worker')
      .description(
        'Pull queued documents, extract their events and store them; each document is acked only after its write commits. ' +
          'Run as many as you like, on as many machines: they share one durable consumer.',
      )
      .option(
        '--db <location>',
        'postgres:// URL to write to (default: $SITREP_DB; a DuckDB file works for one worker)',
      )
      .option(
        '--concurrency <n>',
        'documents in flight at once in this process',
        positiveInt('--concurrency'),
        4,
      )
      .option(
        '--ack-wait <seconds>',
        'redeliver a document not acked within this time (sets the shared consumer)',
        positiveNumber('--ack-wait'),
      )
      .option(
        '--max-deliver <n>',
        'deliveries before a document is dead-lettered (sets the shared consumer)',
        positiveInt('--max-deliver'),
      )
      .option(
        '--retry-delay <ms>',
        'first retry delay after a failure, doubling each time (default 1000, max 60000)',
        positiveNumber('--retry-delay'),
      )
      .option(
        '--exit-when-idle <seconds>',
        'exit once the queue has been empty this long (batch runs, benchmarks)',
        positiveNumber('--exit-when-idle'),
      )
      .option('--verbose', 'log every document stored or skipped (failures are always logged)')
      .option('--json', 'print the summary as JSON on exit, and log events as JSON lines'),
  ).action(async (flags: WorkerFlags) => {
    const consumer: Partial<ConsumerSettings> = {};
    if (flags.ackWait !== undefined) consumer.ackWaitMs = Math.round(flags.ackWait * 1_000);
    if (flags.maxDeliver !== undefined) consumer.maxDeliver = flags.maxDeliver;
    const signal = abortOnSignals();
    const location = resolveDbLocation(flags.db);
    const store = await openMigratedStore(location);
    const natsUrl = resolveNatsUrl(flags.nats);
    const queueName = resolveQueueName(flags.queue);
    const queue = await openQueue(natsUrl, queueName, {
      consumer,
      name: `sitrep worker ${process.pid}`,
    }).catch(async (error: unknown) => {
      await store.close();
      throw error;
    });
    const controller = new AbortController();
    signal.addEventListener('abort', () => controller.abort());
    let lastActivity = Date.now();
    // A worker used to say nothing until it stopped: neither which store it writes (without --db,
    // ./sitrep.duckdb in the current directory) nor that it was waiting at all.
    process.stderr.write(
      `sitrep worker: taking documents from queue ${queueName} at ${natsUrl} into ${displayLocation(location)}, ${flags.concurrency} at a time; Ctrl-C finishes what is in flight, then stops\n`,
    );
    const log = (event: WorkerEvent) => {
      lastActivity = Date.now();
      if ((event.kind === 'processed' || event.kind === 'skipped') && !flags.verbose) return;
      process.stderr.write(
        `${flags.json ? JSON.stringify(event) : `sitrep worker: ${describeEvent(event)}`}\n`,
      );
    };
    let idleTimer: NodeJS.Timeout | undefined;
    if (flags.exitWhenIdle !== undefined) {
      const idleMs = flags.exitWhenIdle * 1_000;
      idleTimer = setInterval(async () => {
        if (Date.now() - lastActivity < idleMs) return;
        const depth = await queueDepth(queue).catch(() => null);
        if (depth && depth.pending === 0 && depth.ackPending === 0) controller.abort();
      }, 250);
    }
    const base = flags.retryDelay;
    const started = performance.now();
    try {
      const summary = await runWorker({
        queue,
        store,
        process: await documentProcessor(store),
        concurrency: flags.concurrency,
        signal: controller.signal,
        onEvent: log,
        ...(base === undefined
          ? {}
          : { retryDelayMs: (n: number) => Math.min(60_000, base * 2 ** Math.max(0, n - 1)) }),
      });
      const seconds = (performance.now() - started) / 1_000;
      const cpu = process.cpuUsage();
      const result = {
        ...summary,
        seconds: Math.round(seconds * 10) / 10,
        // this process's CPU (extraction and driver work), for capacity planning: see docs/scale.md
        cpuSeconds: Math.round((cpu.user + cpu.system) / 1e5) / 10,
      };
      if (flags.json) printJson(result);
      else {
        process.stdout.write(
          `processed ${plural(summary.processed, 'document')} (${plural(summary.events, 'event')}), skipped ${summary.skipped} already done, ` +
            `${summary.failed} failures retried, ${summary.deadLettered} dead-lettered, in ${result.seconds} s\n`,
        );
      }
    } finally {
      clearInterval(idleTimer);
      await queue.close();
      await store.close();
    }
  });
}
