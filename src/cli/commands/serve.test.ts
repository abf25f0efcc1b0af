import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import pg from 'pg';

const dir = mkdtempSync(join(tmpdir(), 'sitrep-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('a port another process holds is named, with the flag that picks another', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as AddressInfo;
  try {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port), '--db', join(dir, 's.duckdb')],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(r.status, 1, r.stdout);
    assert.match(
      r.stderr,
      new RegExp(
        `port ${port} on 127\\.0\\.0\\.1 is taken by another process .*pick another with --port, or --port 0`,
      ),
    );
  } finally {
    holder.close();
  }
});

it('a password in a postgres:// URL is never printed, neither serving nor failing to connect', async () => {
  const schema = `sitrep_serve_${process.pid}`;
  const url = `postgres://postgres:hunter2@127.0.0.1:5432/test?schema=${schema}`;
  const child = spawn(process.execPath, [
    '--import',
    'tsx',
    'src/cli/main.ts',
    'serve',
    '--port',
    '0',
    '--db',
    url,
  ]);
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  try {
    const started = Date.now();
    while (!/serving/.test(output) && child.exitCode === null && Date.now() - started < 120_000)
      await new Promise((resolve) => setTimeout(resolve, 100));
    // it printed "serving postgres://postgres:hunter2@127.0.0.1:5432/…": into every log of a shared server
    assert.match(output, /serving postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/test\?schema=/);
    assert.doesNotMatch(output, /hunter2/);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
  const refused = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'sources', '--db', 'postgres://postgres:hunter2@127.0.0.1:1/test'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /cannot open store postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test/);
  assert.doesNotMatch(refused.stderr, /hunter2/);
});
