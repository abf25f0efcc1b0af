import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import { IngestError } from './importer.ts';

/** Called with the number of bytes read so far. */
export type DecodeProgress = (bytesRead: number) => void;

function isUtf8Name(encoding: string): boolean {
  return /^utf-?8$/i.test(encoding);
}

/**
 * A file's text, chunk by chunk, never the whole file at once. UTF-8 is decoded strictly: a byte
 * sequence that is not UTF-8 stops the read with an error naming the file and line (usually a
 * Latin-1 file: `--encoding latin1` or a mapping's `"encoding"` reads it). Other encodings go through iconv-lite.
 */
export async function* decodeFile(
  path: string,
  displayName: string,
  encoding: string,
  onBytes?: DecodeProgress,
): AsyncGenerator<string> {
  if (!isUtf8Name(encoding) && !iconv.encodingExists(encoding)) {
    throw new IngestError(`${displayName}: unknown encoding ${JSON.stringify(encoding)}`);
  }
  const utf8 = isUtf8Name(encoding) ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }) : null;
  const other = utf8 ? null : iconv.getDecoder(encoding);
  let bytes = 0;
  let lines = 1;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buffer = chunk as Buffer;
    bytes += buffer.length;
    let textChunk: string;
    if (utf8) {
      try {
        textChunk = utf8.decode(buffer, { stream: true });
      } catch (cause) {
        const lossy = new TextDecoder('utf-8').decode(buffer);
        const at = lossy.indexOf('\uFFFD');
        const line = lines + countNewlines(lossy, at < 0 ? lossy.length : at);
        throw new IngestError(
          `${displayName}:${line}: not valid UTF-8 (is it Latin-1? pass --encoding latin1, or "encoding": "latin1" in a mapping)`,
          { cause },
        );
      }
    } else {
      textChunk = other?.write(buffer) ?? '';
    }
    lines += countNewlines(textChunk, textChunk.length);
    onBytes?.(bytes);
    if (textChunk) yield textChunk;
  }
  const rest = utf8 ? utf8.decode() : (other?.end() ?? '');
  if (rest) yield rest;
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
