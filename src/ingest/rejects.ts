import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

/** A row that was not stored, and why. */
export interface RejectedRow {
  file: string;
  line: number;
  field: string;
  reason: string;
}

/** The reject as users read it: `file:line: field: reason`. */
export function formatReject(reject: RejectedRow): string {
  return `${reject.file}:${reject.line}: ${reject.field}: ${reject.reason}`;
}

/** Where rejects go besides the report: a file (`--rejects PATH`), one `file:line: field: reason` a line. */
export interface RejectSink {
  write(reject: RejectedRow): Promise<void>;
  close(): Promise<void>;
}

export const NO_REJECT_SINK: RejectSink = { async write() {}, async close() {} };

export function rejectsFile(path: string): RejectSink {
  const stream: WriteStream = createWriteStream(path, { encoding: 'utf8' });
  let failure: Error | null = null;
  stream.on('error', (error) => {
    failure = error;
  });
  return {
    async write(reject) {
      if (failure) throw new Error(`cannot write rejects to ${path}: ${(failure as Error).message}`);
      if (!stream.write(`${formatReject(reject)}\n`)) await once(stream, 'drain');
    },
    async close() {
      stream.end();
      await once(stream, 'finish').catch(() => undefined);
      if (failure) throw new Error(`cannot write rejects to ${path}: ${(failure as Error).message}`);
    },
  };
}
