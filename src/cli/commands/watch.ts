import type { Command } from 'commander';
import type { QueuedDocument } from '../../stream/document.ts';
import { readFeedList, watchFeeds } from '../../stream/feeds.ts';
import { DocumentPublisher, openQueue, resolveNatsUrl, resolveQueueName } from '../../stream/queue.ts';
import { watchDirectory } from '../../stream/watch-dir.ts';
import { abortOnSignals, addQueueOptions, positiveNumber } from './queue-options.ts';

interface WatchFlags {
  feeds?: string;
  interval?: number;
  once?: boolean;
  nats?: string;
  queue?: string;
  json?: boolean;
}

export function registerWatch(program: Command): void {
  addQueueOptions(
    program
      .command('watch')
      .description(
        'Queue news documents for the workers: the files in DIR (existing, then new ones) or the items of RSS/Atom feeds. ' +
          'Documents already queued (same content hash) are skipped.',
      )
      .argument(
        '[dir]',
        'directory of .txt/.md/.html (one article each), .json or .jsonl files ({text, published, url?, source?, id?})',
      )
      .option(
        '--feeds <file>',
        'file of RSS/Atom feed URLs, one a line, polled politely (ETag/If-Modified-Since)',
      )
      .option(
        '--interval <seconds>',
        'directory rescan / feed poll interval (default: 5 for a directory, 900 for feeds)',
        positiveNumber('--interval'),
      )
      .option('--once', 'queue what is there now and exit')
      .option('--json', 'print one JSON line per file or feed, and a summary'),
  ).action(async (dir: string | undefined, flags: WatchFlags) => {
    if (!dir === !flags.feeds) throw new Error('give either a directory or --feeds FILE');
    const signal = abortOnSignals();
    const queue = await openQueue(resolveNatsUrl(flags.nats), resolveQueueName(flags.queue), {
      name: 'sitrep watch',
    });
    const publisher = new DocumentPublisher(queue);
    const totals = { queued: 0, duplicate: 0, errors: 0 };
    const report = (origin: Record<string, string>, queued: number, duplicate: number, empty = false) => {
      // an empty file read "0 queued, 0 already queued", as if its document had been queued before
      if (empty && 'file' in origin) {
        if (flags.json)
          process.stdout.write(`${JSON.stringify({ ...origin, queued, duplicate, skipped: 'no text' })}\n`);
        else process.stdout.write(`${origin.file}: no text in it, nothing queued\n`);
        return;
      }
      if (flags.json) process.stdout.write(`${JSON.stringify({ ...origin, queued, duplicate })}\n`);
      else
        process.stdout.write(`${Object.values(origin)[0]}: ${queued} queued, ${duplicate} already queued\n`);
    };
    const publishAll = async (documents: QueuedDocument[]) => {
      let queued = 0;
      let duplicate = 0;
      for (const document of documents) {
        const { outcome } = await publisher.publish(document);
        if (outcome === 'queued') queued++;
        else duplicate++;
      }
      totals.queued += queued;
      totals.duplicate += duplicate;
      return { queued, duplicate };
    };
    const onError = (error: Error, origin?: Record<string, string>) => {
      totals.errors++;
      process.stderr.write(`sitrep watch: ${error.message}\n`);
      // a --json reader sees every file, the ones that failed too
      if (flags.json && origin)
        process.stdout.write(`${JSON.stringify({ ...origin, error: error.message })}\n`);
    };
    try {
      if (dir) {
        await watchDirectory(
          dir,
          async (documents, file) => {
            const { queued, duplicate } = await publishAll(documents);
            report({ file }, queued, duplicate, documents.length === 0);
          },
          {
            signal,
            once: flags.once ?? false,
            intervalMs: (flags.interval ?? 5) * 1_000,
            onError: (error, file) => onError(error, file === undefined ? undefined : { file }),
          },
        );
      } else if (flags.feeds) {
        const urls = await readFeedList(flags.feeds);
        await watchFeeds(
          urls,
          async (documents, feed) => {
            const { queued, duplicate } = await publishAll(documents);
            report({ feed }, queued, duplicate);
          },
          {
            signal,
            once: flags.once ?? false,
            intervalMs: (flags.interval ?? 900) * 1_000,
            onPoll: (url, result) => {
              if (result.status === 'error') onError(new Error(result.error), { feed: url });
            },
          },
        );
      }
    } finally {
      await queue.close();
    }
    // a scheduled `watch --once` (cron, CI) must be able to tell that a file was refused
    if (flags.once && totals.errors > 0) process.exitCode = 1;
    if (flags.json) process.stdout.write(`${JSON.stringify({ summary: totals })}\n`);
    else
      process.stdout.write(
        `queued ${totals.queued}, already queued ${totals.duplicate}, errors ${totals.errors}\n`,
      );
  });
}
