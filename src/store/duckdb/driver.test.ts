import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { openStore } from '../open-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'sitrep-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('a DuckDB file held by another process gives an error that says so and what to do', async () => {
  const file = join(dir, 'held.duckdb');
  await (await openStore(file)).close();
  // Another process holds the file open, as `sitrep serve` would.
  const holder = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { DuckDBInstance } from '@duckdb/node-api'; await DuckDBInstance.create(${JSON.stringify(file)}); console.log('open'); setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() },
  );
  try {
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    await assert.rejects(
      openStore(file),
      /held\.duckdb is open in another process \(pid \d+\).*sitrep serve/,
    );
  } finally {
    holder.kill('SIGKILL');
  }
});

it('close waits for the statements still running, which then finish with their results', async () => {
  const store = await openStore(join(dir, 'busy.duckdb'));
  const running = store.query<{ n: number }>('SELECT COUNT(*) AS n FROM range(20000000) a');
  await store.close();
  assert.equal(Number((await running)[0]?.n), 20_000_000);
});
