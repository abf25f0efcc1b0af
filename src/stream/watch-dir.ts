import { type FSWatcher, watch } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { QueuedDocument } from './document.ts';

/** Files a watched directory may hold: one article per text file, or many per JSON / JSON Lines file. */
export const TEXT_EXTENSIONS = ['.txt', '.text', '.md'];
export const JSON_EXTENSIONS = ['.json'];
export const JSONL_EXTENSIONS = ['.jsonl', '.ndjson'];
const KNOWN = new Set([...TEXT_EXTENSIONS, ...JSON_EXTENSIONS, ...JSONL_EXTENSIONS]);

/** Editors' and downloaders' half-written files are never read. */
function ignored(name: string): boolean {
  return (
    name.startsWith('.') ||
    /(?:\.tmp|\.part|\.crdownload|~)$/i.test(name) ||
    !KNOWN.has(extname(name).toLowerCase())
  );
}

function parseDocument(value: unknown, where: string): QueuedDocument {
  const parsed = QueuedDocument.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${where}: ${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/**
 * The documents in one file. A text file is one article dated by its modification time; a JSON
 * file holds one document object or an array of them; a JSON Lines file one document a line.
 * Errors name the file and line.
 */
export async function readDocumentFile(path: string): Promise<QueuedDocument[]> {
  const ext = extname(path).toLowerCase();
  const content = await readFile(path, 'utf8');
  if (TEXT_EXTENSIONS.includes(ext)) {
    const text = content.trim();
    if (!text) return [];
    const { mtime } = await stat(path);
    return [{ text, published: mtime.toISOString(), source: 'file', url: pathToFileURL(path).toString() }];
  }
  if (JSON_EXTENSIONS.includes(ext)) {
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      throw new Error(`${path}: not JSON: ${(error as Error).message}`, { cause: error });
    }
    const list = Array.isArray(value) ? value : [value];
    return list.map((v, i) => parseDocument(v, Array.isArray(value) ? `${path}[${i}]` : path));
  }
  const documents: QueuedDocument[] = [];
  content.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${path}:${index + 1}: not JSON: ${(error as Error).message}`, { cause: error });
    }
    documents.push(parseDocument(value, `${path}:${index + 1}`));
  });
  return documents;
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
  onError?: (error: Error) => void;
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
        onError(error as Error);
      }
    }
  };

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
