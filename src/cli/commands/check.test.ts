import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const sitrep = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });

test('check --text needs --published, as extract does: "last year" is read against it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-check-'));
  try {
    const file = join(dir, 'column.txt');
    writeFileSync(file, 'Attacks by the BLA rose by 40 per cent last year, according to PIPS.\n');
    const r = sitrep('check', '--text', file, '--db', join(dir, 'x.duckdb'));
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /--published YYYY-MM-DD is required with --text/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('extract of an empty file says it found nothing and that the file is empty', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-extract-'));
  try {
    const file = join(dir, 'empty.txt');
    writeFileSync(file, '');
    const r = sitrep('extract', file, '--published', '2025-03-25');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^nothing found/);
    assert.match(r.stderr, /empty\.txt holds no text/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
