import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { holderCommand, lockHolder } from './lock-holder.ts';

const proc = mkdtempSync(join(tmpdir(), 'sitrep-proc-'));
after(() => rmSync(proc, { recursive: true, force: true }));
const processWith = (pid: number, args: string[]) => {
  mkdirSync(join(proc, String(pid)));
  writeFileSync(join(proc, String(pid), 'cmdline'), `${args.join('\0')}\0`);
};

test('the holder of a DuckDB file is named by its sitrep command, without its token', () => {
  processWith(1, ['/usr/bin/node', '--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '8080']);
  processWith(2, [
    'node',
    '/home/a/node_modules/.bin/sitrep',
    'serve',
    '--token',
    's3cret',
    '--db',
    'x.duckdb',
  ]);
  processWith(3, ['node', '/w/bin/sitrep.js', 'ingest', 'data', '--token=s3cret']);
  processWith(4, ['/usr/bin/duckdb', 'x.duckdb']);
  assert.equal(holderCommand(1, proc), 'sitrep serve --port 8080');
  assert.equal(holderCommand(2, proc), 'sitrep serve --token … --db x.duckdb');
  assert.equal(holderCommand(3, proc), 'sitrep ingest data --token=…');
  assert.equal(holderCommand(4, proc), '/usr/bin/duckdb x.duckdb');
  assert.equal(holderCommand(5, proc), null, 'a process gone');
});

test("DuckDB's lock errors tell a reading holder from a writing one", () => {
  const base =
    'IO Error: Could not set lock on file "x.duckdb": Conflicting lock is held in /usr/bin/node (PID 42).';
  assert.deepEqual(lockHolder(new Error(`${base} See also https://duckdb.org/docs`)), {
    pid: 42,
    readsOnly: false,
  });
  assert.deepEqual(
    lockHolder(
      new Error(`${base} However, you would be able to open this database in read-only mode, e.g. …`),
    ),
    { pid: 42, readsOnly: true },
  );
  assert.equal(lockHolder(new Error('Catalog Error: no such table')), null);
});
