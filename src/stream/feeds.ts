import { readFile } from 'node:fs/promises';
import { htmlToText } from '../ingest/text/index.ts';
import type { QueuedDocument } from './document.ts';
import { child, findAll, parseXml, textOf, type XmlElement } from './xml.ts';

/** One article as a feed lists it. */
export interface FeedItem {
  title: string;
  /** Article text as the feed gives it (content, else description or summary), markup removed. */
  body: string;
  url: string | null;
  guid: string | null;
  /** ISO timestamp, or null when the feed gives no date it can be read from. */
  published: string | null;
}

function isoDate(value: string): string | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function atomLink(entry: XmlElement): string | null {
  const links = entry.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === 'link');
  const alternate = links.find((l) => !l.attrs.rel || l.attrs.rel === 'alternate') ?? links[0];
  return alternate?.attrs.href ?? null;
}

/**
 * Reads the items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed.
 *
 * @example parseFeed('<rss><channel><item><title>Blast in Quetta</title></item></channel></rss>')[0]?.title
 */
export function parseFeed(xml: string): FeedItem[] {
  const root = parseXml(xml);
  const items: FeedItem[] = [];
  for (const item of findAll(root, ['item', 'entry'])) {
    const atom = item.name === 'entry';
    const title = htmlToText(textOf(child(item, 'title')));
    const body = htmlToText(
      textOf(atom ? child(item, 'content', 'summary') : child(item, 'content:encoded', 'description')),
    );
    const url = atom ? atomLink(item) : textOf(child(item, 'link')).trim() || null;
    const guid = textOf(child(item, atom ? 'id' : 'guid')).trim() || null;
    const published = isoDate(
      textOf(atom ? child(item, 'published', 'updated') : child(item, 'pubdate', 'dc:date', 'a10:updated')),
    );
    if (title || body) items.push({ title, body, url, guid, published });
  }
  return items;
}

/** The document an item becomes: headline and body as one text, dated by the feed or by when it was read. */
export function itemToDocument(item: FeedItem, feedUrl: string, fetchedAt: Date): QueuedDocument {
  const text = [item.title, item.body].filter(Boolean).join('\n\n');
  const document: QueuedDocument = {
    text,
    published: item.published ?? fetchedAt.toISOString(),
    source: new URL(feedUrl).hostname,
  };
  if (item.url) document.url = item.url;
  if (item.guid) document.id = item.guid;
  if (item.title) document.title = item.title.slice(0, 1000);
  return document;
}

/** A feed list: one http(s) URL a line; blank lines and `#` comments ignored. Errors name the line. */
export async function readFeedList(file: string): Promise<string[]> {
  const urls: string[] = [];
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    let url: URL;
    try {
      url = new URL(line);
    } catch {
      throw new Error(`${file}:${index + 1}: not a URL: ${line}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`${file}:${index + 1}: only http and https feeds are polled, got ${url.protocol}`);
    }
    urls.push(url.toString());
  });
  return urls;
}

/** What the poller remembers about a feed between polls. */
export interface FeedState {
  etag: string | null;
  lastModified: string | null;
  /** Epoch ms before which the feed is not asked again. */
  nextPollAt: number;
  consecutiveErrors: number;
}

export interface PollOptions {
  /** Normal time between polls of one feed. */
  intervalMs: number;
  userAgent?: string;
  timeoutMs?: number;
  maxBytes?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

export type PollResult =
  | { status: 'fetched'; items: FeedItem[] }
  | { status: 'not-modified' }
  | { status: 'error'; error: string };

export const USER_AGENT = 'Sitrep/0.1 feed poller (+https://github.com/sitrep)';

export function initialFeedState(): FeedState {
  return { etag: null, lastModified: null, nextPollAt: 0, consecutiveErrors: 0 };
}

function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1_000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/**
 * Asks a feed for what is new, politely: conditional GET with the last ETag and Last-Modified
 * (a 304 costs the publisher almost nothing), one request per interval, Retry-After honoured on
 * 429/503, and exponential back-off (to a day) while a feed keeps failing. Updates `state`.
 */
export async function pollFeed(url: string, state: FeedState, options: PollOptions): Promise<PollResult> {
  const now = options.now ?? (() => new Date());
  const doFetch = options.fetch ?? fetch;
  const requestHeaders: Record<string, string> = {
    'user-agent': options.userAgent ?? USER_AGENT,
    accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1',
  };
  if (state.etag) requestHeaders['if-none-match'] = state.etag;
  if (state.lastModified) requestHeaders['if-modified-since'] = state.lastModified;
  const fail = (error: string, waitMs?: number | null): PollResult => {
    state.consecutiveErrors++;
    const backoff = Math.min(24 * 3_600_000, options.intervalMs * 2 ** state.consecutiveErrors);
    state.nextPollAt = now().getTime() + Math.max(waitMs ?? 0, backoff);
    return { status: 'error', error: `${url}: ${error}` };
  };
  let response: Response;
  try {
    response = await doFetch(url, {
      headers: requestHeaders,
      redirect: 'follow',
      signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
    });
  } catch (error) {
    return fail((error as Error).message);
  }
  if (response.status === 304) {
    await response.body?.cancel();
    state.consecutiveErrors = 0;
    state.nextPollAt = now().getTime() + options.intervalMs;
    return { status: 'not-modified' };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return fail(`HTTP ${response.status}`, retryAfterMs(response.headers.get('retry-after'), now()));
  }
  const maxBytes = options.maxBytes ?? 5_000_000;
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    return fail(`feed is ${declared} bytes; the limit is ${maxBytes}`);
  }
  const body = await response.text();
  if (body.length > maxBytes) return fail(`feed is over ${maxBytes} bytes`);
  let items: FeedItem[];
  try {
    items = parseFeed(body);
  } catch (error) {
    return fail(`cannot parse feed: ${(error as Error).message}`);
  }
  state.etag = response.headers.get('etag');
  state.lastModified = response.headers.get('last-modified');
  state.consecutiveErrors = 0;
  state.nextPollAt = now().getTime() + options.intervalMs;
  return { status: 'fetched', items };
}

export interface WatchFeedsOptions extends PollOptions {
  signal?: AbortSignal;
  /** Poll each feed once and return. */
  once?: boolean;
  onPoll?: (url: string, result: PollResult) => void;
}

/**
 * Polls each feed when it is due and hands its items to `publish` as documents; the queue's
 * content-hash de-duplication drops the items already queued on an earlier poll.
 */
export async function watchFeeds(
  urls: readonly string[],
  publish: (documents: QueuedDocument[], feedUrl: string) => Promise<void>,
  options: WatchFeedsOptions,
): Promise<void> {
  const now = options.now ?? (() => new Date());
  const states = new Map(urls.map((url) => [url, initialFeedState()]));
  while (!options.signal?.aborted) {
    for (const [url, state] of states) {
      if (options.signal?.aborted) return;
      if (state.nextPollAt > now().getTime()) continue;
      const result = await pollFeed(url, state, options);
      options.onPoll?.(url, result);
      if (result.status === 'fetched') {
        const fetchedAt = now();
        await publish(
          result.items.map((item) => itemToDocument(item, url, fetchedAt)),
          url,
        );
      }
    }
    if (options.once) return;
    const next = Math.min(...[...states.values()].map((s) => s.nextPollAt));
    const waitMs = Math.max(250, next - now().getTime());
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
