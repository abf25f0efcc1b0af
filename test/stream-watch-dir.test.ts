import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeDocument } from '../src/stream/document.ts';
import { openQueue } from '../src/stream/queue.ts';
import { queueDepth } from '../src/stream/status.ts';
import { readDocumentFile } from '../src/stream/watch-dir.ts';
import {
  dropQueue,
  exited,
  runCli,
  spawnCli,
  TEST_NATS_URL,
  uniqueQueueName,
  waitFor,
} from './support/stream.ts';

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

  it('--once: an empty file and one too big for the queue are named, in JSON too, and the exit says so', async () => {
    const inbox = mkdtempSync(join(tmpdir(), 'sitrep-watch-bad-'));
    try {
      writeFileSync(join(inbox, 'empty.txt'), '');
      writeFileSync(join(inbox, 'good.txt'), 'Gunmen attacked a passenger train near Dalbandin on Monday.');
      writeFileSync(join(inbox, 'huge.txt'), 'Militants attacked a checkpost in Turbat. '.repeat(40_000));
      const flags = ['--nats', TEST_NATS_URL, '--queue', queue];
      const run = await runCli(['watch', inbox, '--once', '--json', ...flags], 60_000);
      const lines = run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const byFile = (name: string) => lines.find((l) => String(l.file).endsWith(name));
      // it said "0 queued, 0 already queued", as if the file had been read and found already queued
      assert.equal(byFile('empty.txt')?.skipped, 'no text', run.output);
      // the error named neither the file ("document 108db8e8016b is … bytes") nor what to do, and went
      // to stderr only, so a --json reader never saw it
      assert.match(String(byFile('huge.txt')?.error), /huge\.txt: .*bytes.*sitrep ingest/, run.output);
      assert.match(run.output, /huge\.txt: .*sitrep ingest .*huge\.txt/);
      assert.equal(byFile('good.txt')?.queued, 1);
      assert.deepEqual(lines.at(-1), { summary: { queued: 1, duplicate: 0, errors: 1 } });
      // a scheduled `watch --once` exited 0 whatever failed
      assert.equal(run.code, 1, run.output);

      const missing = await runCli(['watch', join(inbox, 'nope'), '--once', ...flags]);
      assert.equal(missing.code, 1);
      assert.match(missing.output, /nope: no such directory/);
      const file = await runCli(['watch', join(inbox, 'good.txt'), '--once', ...flags]);
      assert.equal(file.code, 1);
      assert.match(file.output, /good\.txt: a file, not a directory: .*sitrep ingest/);
    } finally {
      rmSync(inbox, { recursive: true, force: true });
    }
  });
});
