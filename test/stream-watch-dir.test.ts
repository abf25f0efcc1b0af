import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeDocument } from '../src/stream/document.ts';
import { openQueue } from '../src/stream/queue.ts';
import { queueDepth } from '../src/stream/status.ts';
import { readDocumentFile } from '../src/stream/watch-dir.ts';
import { dropQueue, exited, spawnCli, TEST_NATS_URL, uniqueQueueName, waitFor } from './support/stream.ts';

describe('sitrep watch DIR', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-watch-'));
  const queue = uniqueQueueName('watch');
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropQueue(queue);
  });

  it('names the file and the record of a bad document', async () => {
    writeFileSync(
      join(dir, 'bad.jsonl'),
      '{"text":"ok","published":"2025-01-01"}\n{"text":"","published":"2025-01-01"}\n',
    );
    await assert.rejects(readDocumentFile(join(dir, 'bad.jsonl')), /bad\.jsonl: document 2: no text/);
    rmSync(join(dir, 'bad.jsonl'));
  });

  it('queues the files already there, then new ones, each content once', async () => {
    writeFileSync(join(dir, 'a.txt'), 'Two policemen were shot dead in Mastung on Monday, officials said.\n');
    writeFileSync(
      join(dir, 'batch.jsonl'),
      [
        {
          text: 'A bomb exploded near a railway track in Sibi.',
          published: '2025-02-01',
          url: 'https://x.test/1',
        },
        { text: 'Levies personnel arrested four suspects in Kalat.', published: '2025-02-02' },
      ]
        .map((d) => JSON.stringify(d))
        .join('\n'),
    );
    // Same words, different layout: the same content hash, so not queued twice.
    writeFileSync(
      join(dir, 'a-copy.md'),
      'Two policemen were  shot dead in Mastung\non Monday, officials said.',
    );
    writeFileSync(join(dir, '.hidden.txt'), 'never read');
    const watcher = spawnCli([
      'watch',
      dir,
      '--interval',
      '0.2',
      '--json',
      '--nats',
      TEST_NATS_URL,
      '--queue',
      queue,
    ]);
    const q = await openQueue(TEST_NATS_URL, queue);
    try {
      await waitFor('the three existing documents', async () => (await queueDepth(q)).pending === 3, 15_000);
      writeFileSync(join(dir, 'later.txt'), 'Protesters blocked the coastal highway in Gwadar on Friday.');
      await waitFor('the new file', async () => (await queueDepth(q)).pending === 4, 15_000);
      watcher.kill('SIGTERM');
      assert.equal(await exited(watcher), 0, watcher.output());
      assert.match(watcher.output(), /"summary":\{"queued":4,"duplicate":1,"errors":0\}/);

      const consumer = await q.js.consumers.get(q.names.stream, q.names.consumer);
      const texts: string[] = [];
      for (let i = 0; i < 4; i++) {
        const msg = await consumer.next({ expires: 2_000 });
        assert.ok(msg, `message ${i + 1} of 4`);
        // Whichever of the two copies was read first is the one queued; compare the words.
        texts.push(decodeDocument(msg.data).document.text.replace(/\s+/g, ' '));
        msg.ack();
      }
      assert.deepEqual(texts.sort(), [
        'A bomb exploded near a railway track in Sibi.',
        'Levies personnel arrested four suspects in Kalat.',
        'Protesters blocked the coastal highway in Gwadar on Friday.',
        'Two policemen were shot dead in Mastung on Monday, officials said.',
      ]);
    } finally {
      if (watcher.exitCode === null) watcher.kill('SIGKILL');
      await q.close();
    }
  });
});
