import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { blankEvent } from '../schema/index.ts';
import { openStore } from '../store/open-store.ts';
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

test('resolve names merged events to try with explain', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-cli-'));
  try {
    const db = join(dir, 'x.duckdb');
    const store = await openStore(db);
    const common = { eventDate: '2008-01-10', suicide: true, admin1: 'Punjab', location: 'Lahore' };
    const killed = { low: 24, best: 24, high: 24 };
    const events = [
      blankEvent({ ...common, id: 'gtd:1', source: 'gtd', sourceId: '1', latitude: 31.55, longitude: 74.34 }),
      blankEvent({
        ...common,
        id: 'psa:86',
        source: 'psa',
        sourceId: '86',
        latitude: 31.5451,
        longitude: 74.3407,
      }),
    ].map((e) => ({
      ...e,
      fatalities: killed,
      eventType: 'Explosions/Remote violence',
      subEventType: 'Suicide bomb',
    }));
    const writer = await store.beginImport({ file: 'fixture', sha256: 'x', format: 'test' });
    await writer.add(events);
    await writer.finish({ rowsRead: 2, rowsRejected: 0 });
    await store.close();
    const r = sitrep('resolve', '--db', db);
    assert.equal(r.status, 0, r.stderr);
    const id = /^ {2}(R\w+) {2}2008-01-10 Lahore \(gtd,psa\)$/m.exec(r.stdout)?.[1];
    assert.ok(id, r.stdout);
    const explained = sitrep('explain', id, '--db', db);
    assert.equal(explained.status, 0, explained.stderr);
    assert.match(explained.stdout, /gtd:1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
