import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatStatus, throughput } from '../src/stream/status.ts';
import { freshStore, STORE_KINDS, type TestStore } from './support/stores.ts';

const NOW = new Date('2025-06-01T12:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

for (const kind of STORE_KINDS) {
  describe(`stream throughput from the tables (${kind})`, () => {
    let t: TestStore;
    before(async () => {
      t = await freshStore(kind);
      const processed: [string, number, string, number][] = [
        ['h1', 2, 'w1', 0.5],
        ['h2', 1, 'w1', 3],
        ['h3', 0, 'w2', 4],
        ['h4', 5, 'w2', 30],
        ['h5', 1, 'w1', 120],
      ];
      for (const [hash, events, worker, minutes] of processed) {
        await t.store.query(
          `INSERT INTO processed_documents (hash, events, deliveries, worker, duration_ms, processed_at)
           VALUES ($1, $2, 1, $3, 10, CAST($4 AS TIMESTAMP))`,
          [hash, events, worker, ago(minutes)],
        );
      }
      const failures: [string, number, boolean, number][] = [
        ['f1', 1, false, 10],
        ['f2', 2, true, 9],
        ['f3', 1, false, 90],
      ];
      for (const [id, delivery, dead, minutes] of failures) {
        await t.store.query(
          `INSERT INTO stream_failures (id, hash, stream_seq, delivery, dead_lettered, error, worker, failed_at)
           VALUES ($1, 'hx', 7, $2, $3, $4, 'w1', CAST($5 AS TIMESTAMP))`,
          [id, delivery, dead, `boom ${id}`, ago(minutes)],
        );
      }
    });
    after(() => t.cleanup());

    it('counts documents by window, failures in the last hour and dead letters ever', async () => {
      const tp = await throughput(t.store, NOW);
      assert.deepEqual(
        [tp.processedTotal, tp.eventsTotal, tp.lastMinute, tp.last5Minutes, tp.lastHour, tp.perMinute],
        [5, 9, 1, 3, 4, 0.6],
      );
      assert.deepEqual([tp.failuresLastHour, tp.deadLetteredTotal], [2, 1]);
      assert.deepEqual(
        tp.lastErrors.map((e) => [e.error, e.delivery, e.deadLettered]),
        [
          ['boom f2', 2, true],
          ['boom f1', 1, false],
          ['boom f3', 1, false],
        ],
      );
      assert.deepEqual(tp.workers, [
        { worker: 'w1', processedLast5Minutes: 2 },
        { worker: 'w2', processedLast5Minutes: 1 },
      ]);
      const text = formatStatus({
        queue: 'q',
        at: NOW.toISOString(),
        depth: { pending: 4, ackPending: 2, redelivered: 1, stored: 6, deadLettered: 1, waitingPulls: 0 },
        throughput: tp,
      });
      assert.match(text, /pending 4 {3}in flight \(ack-pending\) 2/);
      assert.match(text, /throughput 0\.6\/min/);
      assert.match(text, /delivery 2 DEAD: boom f2/);
    });
  });
}
