import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentProcessor } from '../src/stream/process.ts';
import { DocumentPublisher, openQueue } from '../src/stream/queue.ts';
import { queueDepth } from '../src/stream/status.ts';
import { runWorker } from '../src/stream/worker.ts';
import { freshStore } from './support/stores.ts';
import { dropQueue, TEST_NATS_URL, uniqueQueueName } from './support/stream.ts';

describe('dead letters', () => {
  it('a document whose workers keep dying goes to the dead-letter stream instead of looping', async () => {
    const { store, cleanup } = await freshStore('postgres');
    const queueName = uniqueQueueName('dying');
    const queue = await openQueue(TEST_NATS_URL, queueName, { consumer: { ackWaitMs: 500, maxDeliver: 2 } });
    try {
      const publisher = new DocumentPublisher(queue);
      const doomed = await publisher.publish({
        text: 'Gunmen attacked a bus near Kalat on Sunday, killing five passengers.',
        published: '2025-04-06',
      });
      const fine = { text: 'Police arrested three suspects in Hub on Monday.', published: '2025-04-07' };
      // Two deliveries that are never answered: what the server sees when the worker holding the
      // document is killed each time.
      const consumer = await queue.js.consumers.get(queue.names.stream, queue.names.consumer);
      for (let delivery = 1; delivery <= 2; delivery++) {
        const msg = await consumer.next({ expires: 3_000 });
        assert.equal(msg?.info.deliveryCount, delivery);
      }
      await publisher.publish(fine);

      const controller = new AbortController();
      const events: string[] = [];
      const run = runWorker({
        queue,
        store,
        process: await documentProcessor(store),
        concurrency: 2,
        signal: controller.signal,
        onEvent: (e) => events.push(JSON.stringify(e)),
      });
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const depth = await queueDepth(queue);
        if (depth.deadLettered === 1 && depth.stored === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      controller.abort();
      const summary = await run;
      assert.deepEqual([summary.processed, summary.deadLettered], [1, 1], events.join(','));

      const [row] = await store.query('SELECT hash, delivery, dead_lettered, error FROM stream_failures');
      assert.equal(row?.hash, doomed.hash);
      assert.equal(row?.delivery, 3);
      assert.equal(row?.dead_lettered, true);
      assert.match(String(row?.error), /no answer after 2 deliveries/);
      const [processed] = await store.query('SELECT COUNT(*) AS n FROM processed_documents WHERE hash = $1', [
        doomed.hash,
      ]);
      assert.equal(Number(processed?.n), 0);
    } finally {
      await queue.close();
      await dropQueue(queueName);
      await cleanup();
    }
  });
});
