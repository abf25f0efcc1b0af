/**
 * Documents per second through the whole stream: publish to JetStream, N `sitrep worker` processes
 * pull, extract, write to PostgreSQL and ack. Prints one row per worker count.
 *
 *   npx tsx bench/stream.ts [--docs 3000] [--workers 1,2] [--concurrency 4] [--pg postgres://…/test]
 *
 * Each run gets its own queue and PostgreSQL schema and drops them afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openStore } from '../src/store/open-store.ts';
import { DocumentPublisher, deleteQueue, openQueue } from '../src/stream/queue.ts';
import { syntheticNews } from '../src/stream/synthetic-news.ts';
import { exitWithUsageIfAsked } from './usage.ts';

exitWithUsageIfAsked(import.meta.url);

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '3000' },
    workers: { type: 'string', default: '1,2' },
    concurrency: { type: 'string', default: '4' },
    pg: { type: 'string', default: process.env.SITREP_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test' },
    nats: { type: 'string', default: process.env.SITREP_NATS ?? 'nats://127.0.0.1:4222' },
  },
});
const total = Number(values.docs);
const concurrency = Number(values.concurrency);
const workerCounts = values.workers.split(',').map(Number);
const root = fileURLToPath(new URL('..', import.meta.url));

function startWorker(db: string, queue: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'worker',
      '--db',
      db,
      '--nats',
      values.nats,
      '--queue',
      queue,
      '--concurrency',
      String(concurrency),
      '--exit-when-idle',
      '2',
      '--json',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TZ: 'UTC' } },
  );
}

/** The worker's `--json` summary, printed when it exits. */
async function workerSummary(child: ChildProcess): Promise<{ processed: number; cpuSeconds: number }> {
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.on('exit', resolve)));
  const json = out.slice(out.indexOf('{'));
  return JSON.parse(json) as { processed: number; cpuSeconds: number };
}

interface Run {
  workers: number;
  publishPerSecond: number;
  docsPerSecond: number;
  eventsPerSecond: number;
  wallSeconds: number;
  /** CPU the worker processes used per document (extraction, driver, start-up); PostgreSQL's is not in it. */
  workerCpuMsPerDoc: number;
  events: number;
}

async function run(workers: number): Promise<Run> {
  const tag = `${process.pid}_${workers}`;
  const queueName = `bench_${tag}`;
  const schema = `bench_stream_${tag}`;
  const db = `${values.pg}?schema=${schema}`;
  const store = await openStore(db);
  const queue = await openQueue(values.nats, queueName, { consumer: { ackWaitMs: 30_000, maxDeliver: 3 } });
  try {
    const documents = syntheticNews(total, { seed: 7 + workers });
    const publisher = new DocumentPublisher(queue);
    const publishStart = performance.now();
    for (let i = 0; i < documents.length; i += 100) {
      await Promise.all(documents.slice(i, i + 100).map((d) => publisher.publish(d)));
    }
    const publishSeconds = (performance.now() - publishStart) / 1_000;

    const started = performance.now();
    const children = Array.from({ length: workers }, () => startWorker(db, queueName));
    const summaries = Promise.all(children.map(workerSummary));
    let done = 0;
    while (done < total) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const [row] = await store.query<{ n: number }>('SELECT COUNT(*) AS n FROM processed_documents');
      done = Number(row?.n ?? 0);
      if (children.every((c) => c.exitCode !== null) && done < total) {
        throw new Error(`workers exited with ${done} of ${total} documents processed`);
      }
    }
    const wallSeconds = (performance.now() - started) / 1_000;
    // Steady-state rate: first commit to last, so process start-up (tsx, connections) is not counted.
    const [span] = await store.query<{ first: string; last: string; events: number }>(
      `SELECT CAST(MIN(processed_at) AS TEXT) AS first, CAST(MAX(processed_at) AS TEXT) AS last,
              SUM(events) AS events FROM processed_documents`,
    );
    const utc = (text: string | undefined) => Date.parse(`${String(text).replace(' ', 'T')}Z`);
    const seconds = (utc(span?.last) - utc(span?.first)) / 1_000;
    const cpuSeconds = (await summaries).reduce((sum, w) => sum + w.cpuSeconds, 0);
    const events = Number(span?.events ?? 0);
    return {
      workers,
      publishPerSecond: Math.round(total / publishSeconds),
      docsPerSecond: Math.round((total / seconds) * 10) / 10,
      eventsPerSecond: Math.round((events / seconds) * 10) / 10,
      wallSeconds: Math.round(wallSeconds * 10) / 10,
      workerCpuMsPerDoc: Math.round((cpuSeconds * 1_000 * 10) / total) / 10,
      events,
    };
  } finally {
    await deleteQueue(queue.jsm, queueName);
    await queue.close();
    await store.close();
    const client = new pg.Client({ connectionString: values.pg });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

console.log(
  `stream bench: ${total} synthetic documents, --concurrency ${concurrency} per worker, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`,
);
console.log(
  'workers  publish docs/s  processed docs/s  events/s  wall s (incl. start-up)  worker CPU ms/doc  events',
);
for (const workers of workerCounts) {
  const r = await run(workers);
  console.log(
    `${String(r.workers).padStart(7)}  ${String(r.publishPerSecond).padStart(14)}  ${String(r.docsPerSecond).padStart(16)}  ${String(r.eventsPerSecond).padStart(8)}  ${String(r.wallSeconds).padStart(23)}  ${String(r.workerCpuMsPerDoc).padStart(17)}  ${r.events}`,
  );
}
