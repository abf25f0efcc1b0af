import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { calendarDay } from './shared-options.ts';

const sitrep = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });

test('calendarDay accepts real days and refuses impossible ones', () => {
  for (const day of ['2024-02-29', '0001-01-01', '2024-12-31']) assert.equal(calendarDay(day), day);
  for (const day of ['2024-13-45', '2023-02-29', '2024-1-01', 'yesterday'])
    assert.throws(() => calendarDay(day));
});

test('an impossible --from is refused by the flag parser, naming the flag, before any store is opened', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-cli-'));
  try {
    const r = sitrep('events', '--from', '2024-13-45', '--db', join(dir, 'x.duckdb'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--from <date>.*2024-13-45.*calendar date/);
    assert.doesNotMatch(r.stderr, /Conversion Error|SELECT|WHERE/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an argument error raised inside a command is printed, not swallowed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-cli-'));
  try {
    const file = join(dir, 'news.txt');
    writeFileSync(file, 'Nothing happened today.\n');
    const r = sitrep('extract', file, '--json');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /--published YYYY-MM-DD is required/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
