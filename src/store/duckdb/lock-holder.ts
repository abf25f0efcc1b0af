import { readFileSync } from 'node:fs';

/**
 * The command line of the process that holds a DuckDB file, as a user would type it: `sitrep serve --port
 * 8080` rather than `/usr/bin/node --import tsx src/cli/main.ts serve --port 8080`. Read from /proc, so
 * null where there is none (not Linux) or the process is gone.
 *
 * @example holderCommand(1234) // 'sitrep serve --port 8080'
 */
export function holderCommand(pid: number, proc = '/proc'): string | null {
  let args: string[];
  try {
    args = readFileSync(`${proc}/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
  if (!args.length) return null;
  // `sitrep` itself, bin/sitrep.js, or the TypeScript entry run through tsx: the rest is its command.
  const entry = args.findIndex((a) => /(^|\/)(sitrep(\.js)?|src\/cli\/main\.ts)$/.test(a));
  const shown = (entry >= 0 ? ['sitrep', ...args.slice(entry + 1)] : args).map((a, i, all) =>
    // A bearer token on the holder's command line is not for this user's terminal.
    all[i - 1] === '--token' ? '…' : a.replace(/^--token=.*/, '--token=…'),
  );
  const line = shown.join(' ');
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** What DuckDB's refusal to open a locked file says about the process holding it. */
export interface LockHolder {
  pid: number | null;
  /** The holder opened the file read-only (DuckDB then suggests opening it read-only too). */
  readsOnly: boolean;
}

/** The holder named in DuckDB's "Conflicting lock" error, or null when the error is another one. */
export function lockHolder(error: unknown): LockHolder | null {
  if (!(error instanceof Error) || !/Conflicting lock/i.test(error.message)) return null;
  const pid = /PID (\d+)/.exec(error.message)?.[1];
  return {
    pid: pid ? Number(pid) : null,
    readsOnly: /open this database in read-only mode/i.test(error.message),
  };
}

/**
 * A message that says which process holds the file, in which role, and what to do: a DuckDB file is read
 * by several processes or written by one, never both.
 */
export function lockMessage(path: string, holder: LockHolder, wanted: 'read' | 'write'): string {
  const command = holder.pid === null ? null : holderCommand(holder.pid);
  const who =
    holder.pid === null
      ? 'another process'
      : `another process (pid ${holder.pid}${command ? `: ${command}` : ''})`;
  if (wanted === 'read') {
    return `${path} is being written by ${who}: DuckDB lets no other process read a file while one writes to it. Run this again when that process has finished (a \`sitrep serve\` started without --token only reads, and lets other commands read beside it), or put the store on PostgreSQL (--db postgres://…).`;
  }
  return `${path} is ${holder.readsOnly ? 'open for reading' : 'in use'} in ${who}: a DuckDB file is written by one process at a time, and not while others read it. Stop that process (or let it finish) and run this again, or put the store on PostgreSQL (--db postgres://…), where readers and writers work side by side.`;
}
