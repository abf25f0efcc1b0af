import { type FSWatcher, watch } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { readDocuments } from '../ingest/text/index.ts';
import { QueuedDocument } from './document.ts';
import { DocumentTooLargeError } from './queue.ts';

/** What a watched directory may hold: the files `sitrep ingest --format text` reads. */
const KNOWN = new Set(['.txt', '.text', '.md', '.html', '.htm', '.json', '.jsonl']);

/** Editors' and downloaders' half-written files are never read. */
function ignored(name: string): boolean {
  return (
    name.startsWith('.') ||
    /(?:\.tmp|\.part|\.crdownload|~)$/i.test(name) ||
    !KNOWN.has(extname(name).toLowerCase())
  );
}

/**
 * The documents in one file, read as Extraction's text ingest reads them (plain text or HTML is one
 * article dated by its modification day; JSON is one document or an array; JSON Lines one a line).
 */
export async function readDocumentFile(path: string): Promise<QueuedDocument[]> {
  return readDocuments(path).flatMap((document, index) => {
    if (!document.text.trim()) return [];
    // A page's <title> can be anything: a long one is cut, not a reason to refuse the article.
    const parsed = QueuedDocument.safeParse(
      document.title ? { ...document, title: document.title.slice(0, 1000) } : document,
    );
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `${path}: document ${index + 1}: ${issue?.path.join('.') || 'document'}: ${issue?.message}`,
      );
    }
    return [parsed.data];
  });
}

export interface WatchDirOptions {
  /** Rescan this often even without a file-system event (network mounts do not send them). */
  intervalMs?: number;
  /** A file is read once it has not changed for this long, so a file being written is not read half-done. */
  settleMs?: number;
  signal?: AbortSignal;
  /** Scan once (existing files) and return. */
  once?: boolean;
  now?: () => Date;
  /** A file that cannot be queued (named in the message), or a failing scan (`file` undefined). */
  onError?: (error: Error, file?: string) => void;
}

/**
 * An error about one file that names it (and, for a document too big for the queue, the way round);
 * the reader's errors already start with the path.
 */
function fileError(error: Error, path: string): Error {
  if (error instanceof DocumentTooLargeError) {
    return new Error(
      `${path}: ${error.bytes.toLocaleString('en-US')} bytes, more than the ${error.maxBytes.toLocaleString('en-US')} a queue message may hold (the NATS server's max_payload): split it into articles, or store it without the queue with sitrep ingest ${path} --format text --published YYYY-MM-DD`,
      { cause: error },
    );
  }
  return error.message.startsWith(path) ? error : new Error(`${path}: ${error.message}`, { cause: error });
}

/** The directory to watch, or an error that says what is there instead. */
async function checkDirectory(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (!info) throw new Error(`${dir}: no such directory`);
  if (!info.isDirectory()) {
    throw new Error(
      `${dir}: a file, not a directory: watch the directory it is in, or store it at once with sitrep ingest ${dir}`,
    );
  }
}

/**
 * Hands every document in `dir` to `publish`: the files there at start, then each new or changed
 * file. The directory is scanned on every file-system event and every `intervalMs`; a file is
 * read again only when its size or modification time changed, and the queue's content-hash
 * de-duplication drops whatever was published before (also across restarts).
 */
export async function watchDirectory(
  dir: string,
  publish: (documents: QueuedDocument[], file: string) => Promise<void>,
  options: WatchDirOptions = {},
): Promise<void> {
  const settleMs = options.settleMs ?? 500;
  const now = options.now ?? (() => new Date());
  const onError = options.onError ?? (() => undefined);
  const done = new Map<string, string>();
  let unsettled = false;

  const scan = async () => {
    unsettled = false;
    const names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && !ignored(e.name))
      .map((e) => e.name)
      .sort();
    for (const name of names) {
      const path = join(dir, name);
      const info = await stat(path).catch(() => null);
      if (!info) continue;
      const signature = `${info.size}:${info.mtimeMs}`;
      if (done.get(path) === signature) continue;
      if (!options.once && now().getTime() - info.mtimeMs < settleMs) {
        unsettled = true;
        continue;
      }
      try {
        await publish(await readDocumentFile(path), path);
        done.set(path, signature);
      } catch (error) {
        // A bad file is reported once per version and skipped; the others go on.
        done.set(path, signature);
        onError(fileError(error as Error, path), path);
      }
    }
  };

  await checkDirectory(dir);
  await scan();
  if (options.once || options.signal?.aborted) return;

  let wake: (() => void) | null = null;
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dir, () => wake?.());
    watcher.on('error', (error) => onError(error));
  } catch (error) {
    onError(error as Error);
  }
  const onAbort = () => wake?.();
  options.signal?.addEventListener('abort', onAbort);
  try {
    while (!options.signal?.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, unsettled ? settleMs : (options.intervalMs ?? 5_000));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
      if (options.signal?.aborted) break;
      // Events come in bursts while a file is written; let the burst end before scanning.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await scan().catch((error: Error) => onError(error));
    }
  } finally {
    watcher?.close();
    options.signal?.removeEventListener('abort', onAbort);
  }
}
