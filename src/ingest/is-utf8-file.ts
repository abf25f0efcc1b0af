import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';

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
 * when a column it projects holds bytes that are not UTF-8. Nothing else runs while it reads (DuckDB must
 * not start first), so it reads into one reused buffer (`chunkBytes`, 8 MiB): a stream's fresh 1 MiB
 * chunks took twice as long (~160 against ~80 ms for a 447 MB file).
 */
export async function isUtf8File(path: string, chunkBytes = 8 << 20): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.max(chunkBytes, 8));
    let carried = 0; // bytes of a character the previous read did not finish, moved to the front
    for (;;) {
      const { bytesRead } = await handle.read(buffer, carried, buffer.length - carried);
      if (bytesRead === 0) return carried === 0;
      const end = carried + bytesRead;
      const whole = end - unfinishedTail(buffer.subarray(0, end));
      if (!isUtf8(buffer.subarray(0, whole))) return false;
      buffer.copyWithin(0, whole, end);
      carried = end - whole;
    }
  } finally {
    await handle.close();
  }
}
