import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { blankEvent } from '../schema/index.ts';
import { openStore } from '../store/open-store.ts';
import { calendarDay, withStore } from './shared-options.ts';

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
    assert.match(
      explained.stdout,
      /^Resolved event R\w+: 2008-01-10, Lahore, Punjab — Explosions\/Remote violence$/m,
      'date, place and province read as a list',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ingest --format text refuses impossible days, missing files and data sets, naming them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-cli-'));
  try {
    const db = join(dir, 'x.duckdb');
    const news = join(dir, 'news.txt');
    writeFileSync(news, 'Yesterday, BLA militants attacked a post near Turbat, killing three soldiers.\n');
    const badDay = sitrep('ingest', '--format', 'text', news, '--published', '2024-02-30', '--db', db);
    assert.equal(badDay.status, 1);
    assert.match(badDay.stderr, /--published <date>.*2024-02-30.*calendar date/);

    const json = join(dir, 'feed.json');
    writeFileSync(json, JSON.stringify([{ text: 'Quiet day.', published: '2024-06-31' }]));
    const badJson = sitrep('ingest', '--format', 'text', json, '--db', db);
    assert.equal(badJson.status, 1);
    assert.match(badJson.stderr, /feed\.json: document 1: published: expected a calendar date/);

    const missing = sitrep(
      'ingest',
      '--format',
      'text',
      join(dir, 'gone.txt'),
      '--published',
      '2024-06-01',
      '--db',
      db,
    );
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /gone\.txt: no such file or directory/);

    const csv = join(dir, 'events.csv');
    writeFileSync(csv, 'event_id_cnty,event_date\nPAK1,2024-01-01\n');
    const dataSet = sitrep('ingest', '--format', 'text', csv, '--published', '2024-06-01', '--db', db);
    assert.equal(dataSet.status, 1);
    assert.match(dataSet.stderr, /events\.csv: a data set, not a news document/);
    assert.doesNotMatch(
      [badDay, badJson, missing, dataSet].map((r) => r.stderr).join('\n'),
      /Conversion Error|UPDATE|INSERT|ENOENT/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ingest --format text again with another day re-dates the document; events and stats take --group', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-cli-'));
  try {
    const db = join(dir, 'x.duckdb');
    const news = join(dir, 'news.txt');
    writeFileSync(
      news,
      'Yesterday, BLA militants attacked a Frontier Corps post near Turbat, killing three soldiers.\n',
    );
    const first = sitrep(
      'ingest',
      '--format',
      'text',
      news,
      '--published',
      '2024-05-20',
      '--db',
      db,
      '--json',
    );
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(
      { ...JSON.parse(first.stdout), files: undefined },
      {
        documents: 1,
        stored: 1,
        updated: 0,
        unchanged: 0,
        events: 1,
        removed: 0,
        files: undefined,
        split: [],
        empty: [],
      },
    );
    const again = sitrep('ingest', '--format', 'text', news, '--published', '2024-06-11', '--db', db);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /1 document: 0 new, 1 updated, 0 unchanged/);

    const grouped = sitrep('events', '--group', 'Baloch separatist groups', '--json', '--db', db);
    assert.equal(grouped.status, 0, grouped.stderr);
    const { events } = JSON.parse(grouped.stdout) as { events: Array<{ eventDate: string; actor1: string }> };
    assert.deepEqual(
      events.map((e) => e.eventDate),
      ['2024-06-10'],
    );
    const stats = sitrep(
      'stats',
      '--by',
      'year',
      '--group',
      'Baloch separatist groups',
      '--json',
      '--db',
      db,
    );
    assert.equal(stats.status, 0, stats.stderr);
    assert.equal(JSON.parse(stats.stdout).rows[0]?.events, 1);
    const actors = sitrep('actors', '--search', 'BLA', '--json', '--db', db);
    assert.equal(actors.status, 0, actors.stderr);
    const found = (
      JSON.parse(actors.stdout) as { actors: Array<{ id: string; name: string; events: number }> }
    ).actors;
    assert.deepEqual(
      found.filter((a) => a.events > 0).map((a) => [a.id, a.name]),
      [['baloch-liberation-army', 'Baloch Liberation Army']],
      'a store of text alone knows the names behind the ids its events carry',
    );
    const unknown = sitrep('stats', '--by', 'year', '--group', 'No such group', '--db', db);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /unknown actor group "No such group"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('numeric and date flags are checked by the flag parser, before a store is opened', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-cli-'));
  try {
    const db = join(dir, 'x.duckdb');
    const cases: Array<[string[], RegExp]> = [
      [['spread', '--baseline-months', 'abc'], /--baseline-months <n>.*abc.*whole number from 1 to 600/],
      [['network', '--limit', '2.5'], /--limit <n>.*2\.5.*whole number/],
      [['trend', '--baseline', '-1'], /--baseline <n>.*whole number/],
      [
        ['check', 'attacks by BLA rose 10% last year', '--published', '2025-02-30'],
        /--published <date>.*calendar/,
      ],
      [['exposure', 'x', '--as-of', 'soon'], /--as-of <date>.*calendar/],
      [['network', '--learn-text', 'column.txt'], /--learn-text needs --published/],
    ];
    for (const [args, message] of cases) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args, '--db', db], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, message);
    }
    assert.equal(existsSync(db), false, 'no store was opened');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('withStore closes the store only after the queries a failed command started have settled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-cli-'));
  try {
    let settled = false;
    await assert.rejects(
      withStore(join(dir, 'x.duckdb'), async (store) => {
        void store.query('SELECT COUNT(*) AS n FROM range(20000000) a').then(() => {
          settled = true;
        });
        throw new Error('analysis failed');
      }),
      /analysis failed/,
    );
    assert.equal(settled, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('export into a folder that does not exist says so, naming the flag, before any store is opened', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-cli-'));
  try {
    const db = join(dir, 'x.duckdb');
    for (const format of ['csv', 'parquet', 'geojson']) {
      const out = join(dir, 'missing', `events.${format}`);
      const r = sitrep('export', '--format', format, '--out', out, '--db', db);
      assert.equal(r.status, 1);
      assert.match(r.stderr, new RegExp(`--out ${out}: the folder ${join(dir, 'missing')} does not exist`));
      assert.doesNotMatch(r.stderr, /ENOENT|IO Error/);
    }
    assert.equal(existsSync(db), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a misspelt --actor is named on stderr with the nearest spelling, by the questions and by events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-cli-'));
  try {
    const db = join(dir, 'x.duckdb');
    for (const command of ['trend', 'events']) {
      const r = sitrep(command, '--actor', 'Baloch Liberaton Army', '--db', db);
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stderr,
        /--actor "Baloch Liberaton Army" matches no actor in the store \(did you mean "Baloch Liberation Army"\?\)/,
      );
    }
    const known = sitrep('trend', '--actor', 'BLA', '--db', db);
    assert.equal(known.stderr, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check says on its Actors line when no actor in the claim was recognised', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-cli-'));
  try {
    const db = join(dir, 'x.duckdb');
    const r = sitrep(
      'check',
      'attacks by the Baloch Liberaton Army rose 50% between 2022 and 2023',
      '--db',
      db,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^Actors: none recognised — "Baloch Liberaton Army" matches no actor in the store \(`sitrep actors` lists them\)$/m,
    );
    assert.match(r.stdout, /^Verdict: NOT ENOUGH DATA — the claim names "Baloch Liberaton Army"/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

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
