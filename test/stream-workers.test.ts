import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractDocument } from '../src/extract/extract-document.ts';
import { Gazetteer } from '../src/extract/places/gazetteer.ts';
import { ActorRegistry } from '../src/resolve/actor-registry.ts';
import { documentProcessor } from '../src/stream/process.ts';
import { DocumentPublisher, openQueue } from '../src/stream/queue.ts';
import { queueDepth, type StreamStatus } from '../src/stream/status.ts';
import { syntheticNews } from '../src/stream/synthetic-news.ts';
import { freshStore } from './support/stores.ts';
import {
  type CliProcess,
  dropQueue,
  exited,
  runCli,
  spawnCli,
  TEST_NATS_URL,
  uniqueQueueName,
  waitFor,
} from './support/stream.ts';

// "A few thousand" as the issue asks; SITREP_STREAM_TEST_DOCS overrides it (the test scales its waits with it).
const DOCUMENTS = Number(process.env.SITREP_STREAM_TEST_DOCS ?? 2_000);
const WORKERS = 3;
const MAX_DELIVER = 3;

describe('workers against real NATS and PostgreSQL', { timeout: Math.max(90_000, DOCUMENTS * 60) }, () => {
  it('survive a kill -9 mid-run with every document processed once in effect, and dead-letter a poison document', async () => {
    const { store, location, cleanup } = await freshStore('postgres');
    const queueName = uniqueQueueName('workers');
    const queue = await openQueue(TEST_NATS_URL, queueName, {
      consumer: { ackWaitMs: 2_000, maxDeliver: MAX_DELIVER },
    });
    const workers: CliProcess[] = [];
    try {
      const documents = syntheticNews(DOCUMENTS, { seed: 11 });
      const publisher = new DocumentPublisher(queue);
      for (let i = 0; i < documents.length; i += 100) {
        await Promise.all(documents.slice(i, i + 100).map((d) => publisher.publish(d)));
      }
      // A document PostgreSQL refuses every time (NUL in text), queued among the others.
      const poison = await publisher.publish({
        text: 'Blast in Quetta\u0000 kills two',
        published: '2025-03-01',
      });
      // A message that is not a document at all.
      await queue.js.publish(queue.names.subject, new TextEncoder().encode('{"document":{"text":42}}'));
      assert.equal((await queueDepth(queue)).pending, DOCUMENTS + 2);

      for (let i = 0; i < WORKERS; i++) {
        workers.push(
          spawnCli([
            'worker',
            '--db',
            location,
            '--nats',
            TEST_NATS_URL,
            '--queue',
            queueName,
            '--concurrency',
            '4',
            '--retry-delay',
            '200',
            '--exit-when-idle',
            '3',
          ]),
        );
      }
      const processed = async () =>
        Number((await store.query('SELECT COUNT(*) AS n FROM processed_documents'))[0]?.n ?? 0);
      const stillRunning = () => {
        if (workers.every((w) => w.exitCode !== null)) {
          throw new Error(`all workers exited early:\n${workers.map((w) => w.output()).join('\n')}`);
        }
      };
      await waitFor(
        'a quarter of the documents',
        async () => {
          stillRunning();
          return (await processed()) >= DOCUMENTS / 4;
        },
        Math.max(45_000, DOCUMENTS * 30),
      ).catch(async (error: Error) => {
        const depth = await queueDepth(queue);
        throw new Error(
          `${error.message}: ${await processed()} processed, queue ${JSON.stringify(depth)}\n${workers.map((w) => w.output()).join('\n')}`,
        );
      });
      const victim = workers[0]!;
      victim.kill('SIGKILL');
      await exited(victim);
      const survivors = workers.slice(1);
      const codes = await Promise.all(survivors.map((w) => exited(w)));
      assert.deepEqual(codes, [0, 0], survivors.map((w) => w.output()).join('\n'));

      // Every document exactly once in effect: all stored, none twice, and the events in PostgreSQL are
      // exactly what extracting each document once gives (with the gazetteer and actors the workers load).
      const [docs] = await store.query(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT content_hash) AS hashes, SUM(events) AS events FROM documents',
      );
      assert.deepEqual([Number(docs?.n), Number(docs?.hashes)], [DOCUMENTS, DOCUMENTS]);
      assert.equal(await processed(), DOCUMENTS);
      const [joined] = await store.query(
        'SELECT COUNT(*) AS n FROM processed_documents p JOIN documents d ON d.id = p.document_id AND d.content_hash = p.hash',
      );
      assert.equal(Number(joined?.n), DOCUMENTS, 'each processed row names its stored document');
      // Each document's events are in PostgreSQL once: as many as it reported, none without a document.
      const perDocument = new Map(
        (
          await store.query(
            `SELECT d.id, d.events, COUNT(e.id) AS stored FROM documents d
             LEFT JOIN events e ON e.source = 'text' AND split_part(e.source_id, '#', 1) = d.id
             GROUP BY d.id, d.events`,
          )
        ).map((r) => [String(r.id), { reported: Number(r.events), stored: Number(r.stored) }]),
      );
      const mismatched = [...perDocument].filter(([, c]) => c.reported !== c.stored);
      assert.deepEqual(mismatched, []);
      const [events] = await store.query("SELECT COUNT(*) AS n FROM events WHERE source = 'text'");
      const expected = Number(docs?.events);
      assert.equal(Number(events?.n), expected);
      // …and as many as extracting the document once gives (checked on a sample, with the gazetteer and
      // actors the workers load; storeDocument keeps the events that have a date).
      const gazetteer = await Gazetteer.fromStore(store);
      const actors = await ActorRegistry.fromStore(store);
      let sampled = 0;
      for (const d of documents.filter((_, i) => i % 8 === 0)) {
        const extracted = extractDocument(d.text, { published: d.published, gazetteer, actors }).events;
        const want = extracted.filter((e) => e.date).length;
        sampled += want;
        assert.equal(perDocument.get(d.id ?? '')?.stored, want, `events of ${d.id}`);
      }
      assert.ok(sampled > DOCUMENTS / 16, `the synthetic news gives events (${sampled} in the sample)`);
      // The killed worker's documents came back to the others.
      const [redelivered] = await store.query(
        'SELECT COUNT(*) AS n FROM processed_documents WHERE deliveries > 1',
      );
      assert.ok(Number(redelivered?.n) >= 1, 'at least one document was redelivered after the kill');
      // Processing a document again (a redelivery after its commit) changes nothing.
      const processDocument = await documentProcessor(store);
      for (const d of documents.slice(0, 20)) await processDocument(d, '');
      const [after] = await store.query(
        "SELECT (SELECT COUNT(*) FROM documents) AS docs, (SELECT COUNT(*) FROM events WHERE source = 'text') AS events",
      );
      assert.deepEqual([Number(after?.docs), Number(after?.events)], [DOCUMENTS, expected]);

      const depth = await queueDepth(queue);
      assert.deepEqual([depth.pending, depth.ackPending, depth.stored, depth.deadLettered], [0, 0, 0, 2]);
      const failures = await store.query(
        'SELECT hash, delivery, dead_lettered, error FROM stream_failures ORDER BY hash, delivery',
      );
      const poisonRows = failures.filter((f) => f.hash === poison.hash);
      assert.deepEqual(
        poisonRows.map((f) => [f.delivery, f.dead_lettered]),
        [
          [1, false],
          [2, false],
          [3, true],
        ],
      );
      const dead = await queue.js.consumers.get(queue.names.deadStream);
      const dlq: { hash: string | undefined; error: string | undefined; deliveries: string | undefined }[] =
        [];
      for (let i = 0; i < 2; i++) {
        const msg = await dead.next({ expires: 2_000 });
        assert.ok(msg, `dead-letter message ${i + 1}`);
        dlq.push({
          hash: msg.headers?.get('Sitrep-Hash') || undefined,
          error: msg.headers?.get('Sitrep-Error'),
          deliveries: msg.headers?.get('Sitrep-Deliveries'),
        });
      }
      const poisoned = dlq.find((d) => d.hash === poison.hash);
      assert.equal(poisoned?.deliveries, String(MAX_DELIVER));
      assert.match(poisoned?.error ?? '', /0x00/);
      const malformed = dlq.find((d) => d.hash === undefined);
      assert.match(malformed?.error ?? '', /invalid document: text/);

      // `sitrep status` reports the same from the queue and the tables.
      const status = await runCli([
        'status',
        '--json',
        '--db',
        location,
        '--nats',
        TEST_NATS_URL,
        '--queue',
        queueName,
      ]);
      assert.equal(status.code, 0, status.output);
      const shown = JSON.parse(status.stdout) as StreamStatus;
      assert.deepEqual(shown.depth, depth);
      assert.equal(shown.throughput?.processedTotal, DOCUMENTS);
      assert.equal(shown.throughput?.eventsTotal, expected);
      assert.equal(shown.throughput?.deadLetteredTotal, 2);
      assert.equal(shown.throughput?.failuresLastHour, failures.length);
    } finally {
      for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
      await queue.close();
      await dropQueue(queueName);
      await cleanup();
    }
  });
});
