import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connect } from 'nats';
import { deleteQueue } from '../../src/stream/queue.ts';

/** The NATS server the tests use; override with SITREP_TEST_NATS. */
export const TEST_NATS_URL = process.env.SITREP_TEST_NATS ?? 'nats://127.0.0.1:4222';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A queue name no other test run uses; delete it with `dropQueue`. */
export function uniqueQueueName(label: string): string {
  return `t_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export async function dropQueue(queue: string): Promise<void> {
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    await deleteQueue(await nc.jetstreamManager(), queue);
  } finally {
    await nc.close();
  }
}

/** A CLI child process; `output()` is stdout and stderr as they came, `stdoutText()` stdout alone. */
export type CliProcess = ChildProcess & { output: () => string; stdoutText: () => string };

/** Starts the real CLI (`sitrep ARGS`) as a child process, the way an operator would. */
export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return Object.assign(child, { output: () => out, stdoutText: () => stdout });
}

/** Runs the CLI to completion; resolves with its exit code and what it printed. */
export async function runCli(
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<{ code: number | null; output: string; stdout: string }> {
  const child = spawnCli(args);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  return { code, output: child.output(), stdout: child.stdoutText() };
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** Polls `check` until it returns true; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
