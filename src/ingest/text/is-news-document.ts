import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { detectFormat } from '../detect-format.ts';
import { IngestError } from '../importer.ts';

/** Extensions a news document has and a data set never does. */
const DOCUMENT_ONLY = new Set(['.html', '.htm', '.md', '.text']);
/** Extensions both may have: a document unless its first line is a data set's header. */
const EITHER = new Set(['.txt', '.jsonl']);

/**
 * Whether `ingest` without `--format` should read this path as a news document rather than a data set:
 * a file (not a folder) with a document's extension, or a .txt/.jsonl file whose header no importer
 * recognises. Analysts save articles as .txt and expect `sitrep ingest article.txt` to read them.
 *
 * @example await isNewsDocument('analysis-balochistan-2025.txt') // true
 */
export async function isNewsDocument(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return false;
  const ext = extname(path).toLowerCase();
  if (DOCUMENT_ONLY.has(ext)) return true;
  if (!EITHER.has(ext)) return false;
  try {
    await detectFormat(path, path);
    return false;
  } catch (error) {
    if (error instanceof IngestError && /empty file|binary file|UTF-16 text/.test(error.message))
      return false;
    if (error instanceof IngestError) return true;
    throw error;
  }
}
