import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DocumentPublisher, openQueue } from '../src/stream/queue.ts';
import { queueDepth } from '../src/stream/status.ts';
import { runWorker } from '../src/stream/worker.ts';
import { freshStore } from './support/stores.ts';
import { dropQueue, TEST_NATS_URL, uniqueQueueName } from './support/stream.ts';

describe('a redelivery while the first delivery still works on the document', () => {
  it('waits for the first and is skipped: the document is processed once', async () => {
    const { store, cleanup } = await freshStore('postgres');
    const queueName = uniqueQueueName('redelivery');
    const queue = await openQueue(TEST_NATS_URL, queueName, { consumer: { ackWaitMs: 500, maxDeliver: 3 } });
    try {
      await new DocumentPublisher(queue).publish({
        text: 'Gunmen attacked a bus near Kalat on Sunday, killing five passengers.',
        published: '2025-04-06',
      });
      let calls = 0;
      const controller = new AbortController();
      const events: string[] = [];
      const run = runWorker({
        queue,
        store,
        concurrency: 2,
        signal: controller.signal,
        onEvent: (e) => events.push(JSON.stringify(e)),
        // Extraction is synchronous: a long document holds the event loop past the ack wait, so the
        // worker's heartbeat cannot run and the server hands the document to the other slot.
        process: async () => {
          calls++;
          const until = Date.now() + 1_500;
          while (Date.now() < until);
          await new Promise((resolve) => setTimeout(resolve, 600));
          return { events: 1, documentId: 'kalat' };
        },
      });
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const depth = await queueDepth(queue);
        if (depth.stored === 0 && events.some((e) => e.includes('"skipped"'))) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      controller.abort();
      const summary = await run;
      assert.equal(calls, 1, events.join(','));
      assert.deepEqual([summary.processed, summary.skipped, summary.failed], [1, 1, 0], events.join(','));
      const [row] = await store.query('SELECT COUNT(*) AS n FROM processed_documents');
      assert.equal(Number(row?.n), 1);
    } finally {
      await queue.close();
      await dropQueue(queueName);
      await cleanup();
    }
  });
});
