/** Something that hears how far a file has been read. */
export interface Progress {
  update(bytesRead: number, rows: number): void;
  done(): void;
}

export const NO_PROGRESS: Progress = { update() {}, done() {} };

/**
 * A one-line progress bar on a terminal's stderr (nothing is drawn when stderr is piped or a file,
 * so scripts and logs stay clean). Redraws at most ten times a second.
 */
export function progressBar(
  label: string,
  totalBytes: number,
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
  /** What the second number counts. */
  unit = 'rows',
): Progress {
  if (!stream.isTTY) return NO_PROGRESS;
  const width = 30;
  let last = 0;
  const draw = (bytes: number, rows: number) => {
    const share = totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 1;
    const filled = Math.round(share * width);
    const columns = stream.columns ?? 100;
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(share * 100)}% ${rows.toLocaleString('en-US')} ${unit}`;
    stream.write(`\r${line.slice(-Math.max(20, columns - 1))}\u001b[K`);
  };
  let lastBytes = 0;
  let lastRows = 0;
  return {
    update(bytes, rows) {
      lastBytes = bytes;
      lastRows = rows;
      const t = now();
      if (t - last < 100) return;
      last = t;
      draw(bytes, rows);
    },
    done() {
      draw(Math.max(lastBytes, totalBytes), lastRows);
      stream.write('\n');
    },
  };
}
