import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import type { Store } from '../contract.ts';
import { MIGRATIONS } from '../migrations.ts';
import { openStore } from '../open-store.ts';

const migrationsDone = async (store: Store) =>
  Number((await store.query<{ n: number }>('SELECT COUNT(*) AS n FROM schema_migrations'))[0]?.n);

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
      /held\.duckdb is in use in another process \(pid \d+: .*node.*\): a DuckDB file is written by one process at a time/,
    );
  } finally {
    holder.kill('SIGKILL');
  }
});

it('questions read a DuckDB file beside a `sitrep serve` without a token; writers are told who holds it', async () => {
  const file = join(dir, 'served.duckdb');
  await (await openStore(file)).close();
  const serve = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--db', file],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      serve.stdout.once('data', () => resolve());
      serve.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    // Two readers beside the server, at once.
    const readers = await Promise.all([
      openStore(file, { readOnly: true }),
      openStore(file, { readOnly: true }),
    ]);
    for (const reader of readers) {
      assert.equal(await migrationsDone(reader), MIGRATIONS.length);
      assert.equal(Number((await reader.query<{ n: number }>('SELECT COUNT(*) AS n FROM events'))[0]?.n), 0);
      await assert.rejects(reader.query("INSERT INTO sites (id, name) VALUES ('x', 'x')"), /read-only/);
      await reader.close();
    }
    await assert.rejects(
      openStore(file),
      new RegExp(
        `served\\.duckdb is open for reading in another process \\(pid ${serve.pid}: sitrep serve --port 0 --db .*served\\.duckdb\\)`,
      ),
    );
  } finally {
    serve.kill('SIGKILL');
  }
});

it('a reader is told when another process writes the file, and never sees its token', async () => {
  const file = join(dir, 'written.duckdb');
  await (await openStore(file)).close();
  // A writer whose command line carries a token, as `sitrep serve --token S` would.
  const writer = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { DuckDBInstance } from '@duckdb/node-api'; await DuckDBInstance.create(${JSON.stringify(file)}); console.log('open'); setInterval(() => {}, 1000);`,
      '--',
      '--token',
      'secret-token',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      writer.stdout.once('data', () => resolve());
      writer.once('exit', (code) => reject(new Error(`the writer exited with ${code}`)));
    });
    const refusal = await openStore(file, { readOnly: true }).then(
      () => assert.fail('opened beside a writer'),
      (error: Error) => error.message,
    );
    assert.match(
      refusal,
      new RegExp(`written\\.duckdb is being written by another process \\(pid ${writer.pid}: `),
    );
    assert.doesNotMatch(refusal, /secret-token/);
  } finally {
    writer.kill('SIGKILL');
  }
});

it('a reader of a file not yet there creates and migrates it first', async () => {
  const file = join(dir, 'new.duckdb');
  const store = await openStore(file, { readOnly: true });
  assert.equal(await migrationsDone(store), MIGRATIONS.length);
  await store.close();
});

it('close waits for the statements still running, which then finish with their results', async () => {
  const store = await openStore(join(dir, 'busy.duckdb'));
  const running = store.query<{ n: number }>('SELECT COUNT(*) AS n FROM range(20000000) a');
  await store.close();
  assert.equal(Number((await running)[0]?.n), 20_000_000);
});
