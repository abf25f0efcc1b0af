import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';

/** Bytes at the end of `chunk` that start a character the chunk does not finish. */
function unfinishedTail(chunk: Buffer): number {
  for (let back = 1; back <= Math.min(4, chunk.length); back++) {
    const byte = chunk[chunk.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/**
 * Whether a file is valid UTF-8 throughout. The DuckDB-native ingest path asks before DuckDB reads the
 * file: DuckDB 1.5's `read_csv` can fail with an internal error, which invalidates the whole database,
 * when a column it projects holds bytes that are not UTF-8.
 */
export async function isUtf8File(path: string): Promise<boolean> {
  let carried: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const bytes = carried.length ? Buffer.concat([carried, chunk as Buffer]) : (chunk as Buffer);
    const whole = bytes.length - unfinishedTail(bytes);
    if (!isUtf8(bytes.subarray(0, whole))) return false;
    carried = Buffer.from(bytes.subarray(whole));
  }
  return carried.length === 0;
}
