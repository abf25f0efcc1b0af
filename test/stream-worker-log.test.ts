import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { DocumentPublisher, openQueue, type Queue } from '../src/stream/queue.ts';
import { freshStore, type TestStore } from './support/stores.ts';
import { dropQueue, runCli, TEST_NATS_URL, uniqueQueueName } from './support/stream.ts';

let t: TestStore;
let queue: Queue;
const queueName = uniqueQueueName('log');

before(async () => {
  t = await freshStore('postgres');
  queue = await openQueue(TEST_NATS_URL, queueName);
});
after(async () => {
  await queue?.close();
  await dropQueue(queueName);
  await t?.cleanup();
});

it('sitrep worker says where it writes, and names each document it stores or gives up on', async () => {
  await new DocumentPublisher(queue).publish({
    text: 'On 12 March 2025 gunmen attacked a passenger train near Dalbandin, killing four soldiers.',
    published: '2025-03-13',
    source: 'inbox/dalbandin.txt',
  });
  await queue.js.publish(queue.names.subject, new TextEncoder().encode('{"document":{"text":42}}'));
  // a password in the URL, which PostgreSQL's trust authentication here ignores
  const db = t.location.replace('postgres://postgres@', 'postgres://postgres:hunter2@');
  const flags = ['--nats', TEST_NATS_URL, '--queue', queueName, '--db', db];
  const run = await runCli(
    ['worker', ...flags, '--verbose', '--max-deliver', '1', '--exit-when-idle', '1'],
    120_000,
  );
  assert.equal(run.code, 0, run.output);
  // it printed nothing until it stopped, and its events were JSON naming only a hash
  assert.match(
    run.output,
    new RegExp(
      `sitrep worker: taking documents from queue ${queueName} at nats://[^ ]+ into postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:5432/test\\?schema=\\w+, 4 at a time`,
    ),
  );
  assert.doesNotMatch(run.output, /hunter2/);
  assert.match(run.output, /sitrep worker: stored inbox\/dalbandin\.txt: \d+ events? in \d+ ms\n/);
  assert.match(
    run.output,
    /sitrep worker: gave up on a message that is not a document after 1 deliveries, moved to the dead-letter stream: invalid document: text: /,
  );
  const json = await runCli(['worker', ...flags, '--json', '--exit-when-idle', '1'], 120_000);
  assert.equal(json.code, 0, json.output);
  assert.equal((JSON.parse(json.stdout) as { processed: number }).processed, 0);
});
