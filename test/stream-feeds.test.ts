import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { initialFeedState, pollFeed } from '../src/stream/feeds.ts';
import { openQueue } from '../src/stream/queue.ts';
import { queueDepth } from '../src/stream/status.ts';
import { dropQueue, runCli, TEST_NATS_URL, uniqueQueueName } from './support/stream.ts';

const ETAG = '"feed-v1"';
const LAST_MODIFIED = 'Wed, 05 Mar 2025 08:00:00 GMT';

function rss(items: { title: string; body: string; guid: string; date: string }[]): string {
  const entries = items
    .map(
      (i) =>
        `<item><title>${i.title}</title><guid>${i.guid}</guid><link>http://127.0.0.1/${i.guid}</link>` +
        `<pubDate>${i.date}</pubDate><description>&lt;p&gt;${i.body}&lt;/p&gt;</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Local wire</title>${entries}</channel></rss>`;
}

const FEED = rss([
  {
    title: 'Gunmen kill three labourers near Turbat',
    body: 'Three labourers were shot dead at a construction camp near Turbat on Tuesday, police said.',
    guid: 'local-1',
    date: 'Tue, 04 Mar 2025 09:30:00 GMT',
  },
  {
    title: 'Grenade attack in Quetta market',
    body: 'Four people were injured when a grenade was thrown at a market in Quetta on Wednesday.',
    guid: 'local-2',
    date: 'Wed, 05 Mar 2025 07:00:00 GMT',
  },
  {
    title: 'Roadside bomb hits convoy in Kohlu',
    body: 'Two soldiers were killed when a roadside bomb struck a convoy in Kohlu district.',
    guid: 'local-3',
    date: 'Wed, 05 Mar 2025 08:00:00 GMT',
  },
]);

describe('feed polling (local HTTP server on 127.0.0.1)', () => {
  let server: Server;
  let base: string;
  const requests: {
    path: string;
    ifNoneMatch: string | undefined;
    ifModifiedSince: string | undefined;
    ua: string | undefined;
  }[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-feeds-'));
  const queue = uniqueQueueName('feeds');

  before(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      requests.push({
        path: req.url ?? '',
        ifNoneMatch: req.headers['if-none-match'],
        ifModifiedSince: req.headers['if-modified-since'],
        ua: req.headers['user-agent'],
      });
      if (req.url === '/busy.xml') {
        res.writeHead(503, { 'retry-after': '120' }).end();
      } else if (req.url === '/feed.xml') {
        if (req.headers['if-none-match'] === ETAG) {
          res.writeHead(304).end();
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/rss+xml',
          etag: ETAG,
          'last-modified': LAST_MODIFIED,
        });
        res.end(FEED);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
    await dropQueue(queue);
  });

  it('asks again with the ETag and Last-Modified it was given, and gets a 304', async () => {
    const state = initialFeedState();
    const now = () => new Date('2025-03-05T09:00:00Z');
    const first = await pollFeed(`${base}/feed.xml`, state, { intervalMs: 60_000, now });
    assert.equal(first.status, 'fetched');
    assert.deepEqual(first.status === 'fetched' ? first.items.map((i) => i.guid) : [], [
      'local-1',
      'local-2',
      'local-3',
    ]);
    assert.equal(state.etag, ETAG);
    assert.equal(state.nextPollAt, now().getTime() + 60_000);
    const second = await pollFeed(`${base}/feed.xml`, state, { intervalMs: 60_000, now });
    assert.equal(second.status, 'not-modified');
    const last = requests.at(-1);
    assert.equal(last?.ifNoneMatch, ETAG);
    assert.equal(last?.ifModifiedSince, LAST_MODIFIED);
    assert.match(last?.ua ?? '', /^Sitrep\//);
  });

  it('waits as long as Retry-After says when a feed is busy', async () => {
    const state = initialFeedState();
    const now = () => new Date('2025-03-05T09:00:00Z');
    const result = await pollFeed(`${base}/busy.xml`, state, { intervalMs: 10_000, now });
    assert.equal(result.status, 'error');
    assert.equal(state.consecutiveErrors, 1);
    assert.equal(state.nextPollAt, now().getTime() + 120_000);
  });

  it('`sitrep watch --feeds` queues each item once, however often the feed is polled', async () => {
    const list = join(dir, 'feeds.txt');
    writeFileSync(list, `# local test feeds\n${base}/feed.xml\n`);
    const args = ['watch', '--feeds', list, '--once', '--json', '--nats', TEST_NATS_URL, '--queue', queue];
    const first = await runCli(args);
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /"summary":\{"queued":3,"duplicate":0,"errors":0\}/);
    const second = await runCli(args);
    assert.equal(second.code, 0, second.output);
    // A new process has no ETag, so it fetches the feed again; the content hashes stop the repeats.
    assert.match(second.output, /"summary":\{"queued":0,"duplicate":3,"errors":0\}/);
    const q = await openQueue(TEST_NATS_URL, queue);
    try {
      assert.equal((await queueDepth(q)).pending, 3);
    } finally {
      await q.close();
    }
  });
});
