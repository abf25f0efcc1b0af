import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type IngestReport, ingestPaths } from '../src/ingest/run-ingest.ts';
import type { Store } from '../src/store/contract.ts';
import { sharedFile } from './support/shared-data.ts';
import { freshStore } from './support/stores.ts';

/**
 * The DuckDB-native path (src/ingest/stage-csv-sql.ts) against the JavaScript path, the reference: the
 * same stored events (every column but the batch), the same rejects with the same lines, and a re-run
 * through the other path changes nothing.
 */

const dir = mkdtempSync(join(tmpdir(), 'sitrep-sql-path-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const HEADER =
  'event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,inter1,actor2,inter2,interaction,civilian_targeting,admin1,admin2,location,latitude,longitude,geo_precision,fatalities,notes,source';
const row = (n: number, changes: Partial<Record<string, string>> = {}) => {
  const cells: Record<string, string> = {
    event_id_cnty: `PAK${n}`,
    event_date: `2024-01-${String((n % 28) + 1).padStart(2, '0')}`,
    time_precision: '1',
    event_type: 'Explosions/Remote violence',
    sub_event_type: 'Remote explosive/landmine/IED',
    actor1: 'BLA: Baloch Liberation Army',
    inter1: '2',
    actor2: 'Military Forces of Pakistan (2022-)',
    inter2: '1',
    interaction: 'Rebel group-State forces',
    civilian_targeting: '',
    admin1: 'Balochistan',
    admin2: 'Kech',
    location: 'Turbat',
    latitude: '26.0041',
    longitude: '63.0444',
    geo_precision: '1',
    fatalities: String(n % 4),
    notes: `"synthetic note ${n}, with a comma and ""quotes"""`,
    source: 'Dawn',
    ...changes,
  };
  return HEADER.split(',')
    .map((c) => cells[c] ?? '')
    .join(',');
};

/** Good rows and rows only toEvent can judge (or read): each must come out as the JavaScript path has it. */
const MIXED = [
  HEADER,
  row(1),
  row(2, { event_date: '2024-02-31' }), // 3: no such day
  row(3, { event_date: '5 March 2024' }), // 4: ACLED's older date, read by toEvent
  row(4, { latitude: 'north' }), // 5: not a number
  row(5, { latitude: '126.0' }), // 6: out of range (zod)
  row(6, { latitude: '_26.5', longitude: '  63 ' }), // 7: stray marks and spaces, read by toEvent
  row(7, { notes: '"two\nlines"' }), // 8–9
  row(8, { time_precision: '7' }), // 10: not 1, 2 or 3
  row(9, { fatalities: '-9', geo_precision: '' }), // 11: negative = unknown
  row(10, {
    event_id_cnty: '',
    actor1: ' New Group of Test ',
    inter1: '3',
    civilian_targeting: 'Civilian targeting',
  }),
  row(1, { fatalities: '3' }), // 13: repeats PAK1: the last row wins
  row(11, { event_date: '' }), // 14: missing date
].join('\n');

async function storedEvents(store: Store) {
  return store.query(`SELECT * EXCLUDE (batch_id, updated_at) FROM events ORDER BY id`);
}

async function bothPaths(path: string) {
  const out: {
    report: IngestReport;
    events: Awaited<ReturnType<typeof storedEvents>>;
    rerun: IngestReport;
  }[] = [];
  for (const javascriptOnly of [true, false]) {
    const t = await freshStore('duckdb');
    try {
      let stagedInSql = 0;
      const report = await ingestPaths(t.store, [path], {
        javascriptOnly,
        // The SQL path tells how many rows it staged in SQL; the JavaScript path only after 5,000.
        onStaged: (_, n) => {
          stagedInSql = n;
        },
      });
      assert.equal(stagedInSql > 0, !javascriptOnly, 'the path asked for was taken');
      const events = await storedEvents(t.store);
      const rerun = await ingestPaths(t.store, [path], { javascriptOnly: !javascriptOnly });
      out.push({ report, events, rerun });
    } finally {
      await t.cleanup();
    }
  }
  const [js, sql] = out;
  assert.ok(js && sql);
  return { js, sql };
}

describe('ingest: the DuckDB-native path stores what the JavaScript path stores', () => {
  it('a small file with bad, odd and repeated rows: same events, same rejects and lines', async () => {
    const path = join(dir, 'mixed-acled.csv');
    writeFileSync(path, MIXED);
    const { js, sql } = await bothPaths(path);
    const [jsFile, sqlFile] = [js.report.files[0], sql.report.files[0]];
    assert.ok(jsFile && sqlFile);
    assert.deepEqual(
      sqlFile.rejects.map((r) => `${r.line}: ${r.field}`),
      ['3: event_date', '5: latitude', '6: latitude', '10: time_precision', '14: event_date'],
    );
    assert.deepEqual(sqlFile.rejects, jsFile.rejects);
    for (const key of ['rowsRead', 'stored', 'inserted', 'rejected'] as const) {
      assert.equal(sqlFile[key], jsFile[key], key);
    }
    assert.equal(js.events.length, 6, '7 good rows, one repeating an id');
    assert.deepEqual(sql.events, js.events);
    for (const rerun of [js.rerun, sql.rerun]) {
      const f = rerun.files[0];
      assert.deepEqual([f?.inserted, f?.updated, f?.unchanged], [0, 0, 6], 'a re-run through the other path');
    }
  });

  it('records with quotes, backslashes, control characters and non-ASCII: the same raw bytes on both paths and stores, read back as written', async () => {
    const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;
    const awkward = [
      'a "quoted" word, a back\\slash and a literal \\u001f',
      'controls \u0001\u0007\u000b\u001f, DEL \u007f, tab\there',
      'non-ASCII: é, 中文, 😀, \u2028',
    ];
    const path = join(dir, 'awkward-acled.csv');
    writeFileSync(
      path,
      [
        HEADER,
        ...awkward.map((text, i) =>
          row(20 + i, {
            notes: quoted(text),
            admin2: quoted(`${text} (district)`),
            location: quoted(` ${text} `),
          }),
        ),
        row(30, { notes: quoted('  padded note  '), source: ' Dawn' }),
      ].join('\n'),
    );
    const { js, sql } = await bothPaths(path);
    assert.equal(sql.events.length, 4);
    assert.deepEqual(sql.events, js.events);
    for (const rerun of [js.rerun, sql.rerun]) {
      const f = rerun.files[0];
      assert.deepEqual([f?.inserted, f?.updated, f?.unchanged], [0, 0, 4], 'a re-run through the other path');
    }
    const expected = (n: number) => {
      const i = n - 20;
      const text = awkward[i] ?? '';
      const cells =
        n === 30
          ? { notes: '  padded note  ', source: ' Dawn' }
          : { notes: text, admin2: `${text} (district)`, location: ` ${text} ` };
      const line = row(n, Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, quoted(v)])));
      return { line, cells };
    };
    // PostgreSQL (the JavaScript path) stores the same text, and every store reads the records back.
    for (const kind of ['duckdb', 'postgres'] as const) {
      const t = await freshStore(kind);
      try {
        await ingestPaths(t.store, [path]);
        const stored = await t.store.query('SELECT raw FROM events ORDER BY id');
        assert.deepEqual(
          stored.map((e) => e.raw),
          sql.events.map((e) => e.raw),
          kind,
        );
        for (const n of [20, 21, 22, 30]) {
          const raw = (await t.store.eventById(`acled:PAK${n}`))?.raw;
          const { cells } = expected(n);
          for (const [key, value] of Object.entries(cells))
            assert.equal(raw?.[key], value, `${kind} PAK${n} ${key}`);
          assert.deepEqual(Object.keys(raw ?? {}), HEADER.split(','));
        }
      } finally {
        await t.cleanup();
      }
    }
  });

  it("learns a padded actor's kind from its first row, padded or not, as the JavaScript path does", async () => {
    // The SQL survey groups the actor cells untrimmed and trims after: the padded and the bare name
    // must meet again, and the first row (here the padded one) give the kind.
    const path = join(dir, 'padded-actors.csv');
    const rows = [
      HEADER,
      row(1, { actor1: '  Padded Group of Test\u00a0', inter1: '3' }),
      row(2, { actor1: 'Padded Group of Test', inter1: '2' }),
      row(3, { actor2: 'Padded Group of Test ', inter2: '4' }),
      row(4, { actor1: 'Bare Group of Test', inter1: '4' }),
      row(5, { actor1: ' Bare Group of Test', inter1: '3' }),
    ];
    writeFileSync(path, rows.join('\n'));
    const learned: unknown[][] = [];
    for (const javascriptOnly of [true, false]) {
      const t = await freshStore('duckdb');
      try {
        await ingestPaths(t.store, [path], { javascriptOnly });
        learned.push(
          await t.store.query(`SELECT name, kind FROM actors WHERE name LIKE '%Group of Test' ORDER BY name`),
        );
      } finally {
        await t.cleanup();
      }
    }
    const [js, sql] = learned;
    assert.equal(js?.length, 2, 'both names learned');
    assert.deepEqual(sql, js);
  });

  it("puts DuckDB's settings back after an ingest (they are loosened only while it runs)", async () => {
    const path = join(dir, 'settings-acled.csv');
    writeFileSync(path, MIXED);
    const t = await freshStore('duckdb');
    try {
      const setting = async (name: string) =>
        String(
          (
            await t.store.query<{ value: string }>(
              'SELECT CAST(value AS TEXT) AS value FROM duckdb_settings() WHERE name = $1',
              [name],
            )
          )[0]?.value,
        );
      const before = await setting('preserve_insertion_order');
      let staged = 0;
      await ingestPaths(t.store, [path], {
        onStaged: (_, n) => {
          staged = n;
        },
      });
      assert.ok(staged > 0, 'the SQL path ran');
      assert.equal(before, 'true');
      // memory_limit is put back too, but from DuckDB's rounded text ('18.8 GiB' comes back as 18.7 GiB).
      assert.equal(await setting('preserve_insertion_order'), before);
    } finally {
      await t.cleanup();
    }
  });

  it('--strict fails on the same line on both paths', async () => {
    const path = join(dir, 'strict-acled.csv');
    writeFileSync(path, MIXED);
    for (const javascriptOnly of [true, false]) {
      const t = await freshStore('duckdb');
      try {
        await assert.rejects(
          ingestPaths(t.store, [path], { javascriptOnly, strict: true }),
          /strict-acled\.csv:3: event_date: not a date/,
        );
        assert.equal(await t.store.countEvents({}), 0);
      } finally {
        await t.cleanup();
      }
    }
  });

  it('a corrected file: the rows whose content changed are updated, by source id, on both paths', async () => {
    // The first ingest inserts straight into events; the second meets stored ids, so the native path
    // stages and compares instead.
    const first = join(dir, 'first-acled.csv');
    const corrected = join(dir, 'corrected-acled.csv');
    writeFileSync(first, [HEADER, row(1), row(2), row(3), row(4)].join('\n'));
    writeFileSync(
      corrected,
      // PAK2: a stored column corrected; PAK3: a column kept only in `raw` (inter2 is read for actor kinds).
      [HEADER, row(1), row(2, { fatalities: '7' }), row(3, { inter2: '8' }), row(4), row(5)].join('\n'),
    );
    const stored: Awaited<ReturnType<typeof storedEvents>>[] = [];
    for (const javascriptOnly of [true, false]) {
      const t = await freshStore('duckdb');
      try {
        const before = await ingestPaths(t.store, [first], { javascriptOnly });
        assert.equal(before.files[0]?.inserted, 4);
        const after = (await ingestPaths(t.store, [corrected], { javascriptOnly })).files[0];
        assert.deepEqual(
          [after?.inserted, after?.updated, after?.unchanged],
          [1, 2, 2],
          `javascriptOnly ${javascriptOnly}`,
        );
        const [changed] = await t.store.query(`SELECT fatalities_best FROM events WHERE source_id = 'PAK2'`);
        assert.equal(changed?.fatalities_best, 7);
        stored.push(await storedEvents(t.store));
      } finally {
        await t.cleanup();
      }
    }
    assert.equal(stored[1]?.length, 5);
    assert.deepEqual(stored[1], stored[0]);
  });

  it('an id repeated by a row only toEvent reads, before or after its clean row: the last row wins on both paths', async () => {
    // The straight insert writes the clean rows first; the rows toEvent maps come after it, inside the
    // same transaction, and one of them repeating an id it wrote sends the whole file the staged way.
    const header = `${HEADER},country`;
    const line = (n: number, changes: Partial<Record<string, string>> = {}) =>
      `${row(n, changes)},${changes.country ?? 'Pakistan'}`;
    const path = join(dir, 'repeats-acled.csv');
    writeFileSync(
      path,
      [
        header,
        line(1),
        line(2, { event_date: '5 March 2024' }), // 3: toEvent's, then repeated by a clean row
        line(2), // 4: wins
        line(3), // 5: clean, then repeated by a row toEvent reads
        line(3, { latitude: '_26.5' }), // 6: wins
        line(4, { country: '' }), // 7: a blank country in a file that has the column: placed by coordinates
        line(5, { event_date: 'soon' }), // 8: rejected
      ].join('\n'),
    );
    const { js, sql } = await bothPaths(path);
    assert.deepEqual(
      sql.report.files[0]?.rejects.map((r) => `${r.line}: ${r.field}`),
      ['8: event_date'],
    );
    assert.deepEqual(sql.report.files[0]?.rejects, js.report.files[0]?.rejects);
    for (const key of ['rowsRead', 'stored', 'inserted', 'rejected'] as const) {
      assert.equal(sql.report.files[0]?.[key], js.report.files[0]?.[key], key);
    }
    const byId = new Map(sql.events.map((e) => [e.source_id, e]));
    assert.deepEqual([...byId.keys()].sort(), ['PAK1', 'PAK2', 'PAK3', 'PAK4']);
    assert.equal(byId.get('PAK2')?.event_date, '2024-01-03', 'the later, clean row of PAK2');
    assert.equal(byId.get('PAK3')?.latitude, 26.5, 'the later row of PAK3, read by toEvent');
    assert.equal(byId.get('PAK4')?.country, 'Pakistan', 'placed by its coordinates');
    assert.deepEqual(sql.events, js.events);
    for (const rerun of [js.rerun, sql.rerun]) {
      const f = rerun.files[0];
      assert.deepEqual([f?.inserted, f?.updated, f?.unchanged], [0, 0, 4], 'a re-run through the other path');
    }
  });

  it('too many rows only toEvent reads: the file goes the JavaScript way, its rejects reported once', async () => {
    const path = join(dir, 'many-left-acled.csv');
    writeFileSync(path, MIXED);
    const stored: { events: unknown[]; rejects: string; batches: unknown[]; report: unknown }[] = [];
    for (const javascriptOnly of [true, false]) {
      const t = await freshStore('duckdb');
      const rejectsPath = join(dir, `many-left-${javascriptOnly}.txt`);
      try {
        // MIXED has seven rows only toEvent reads.
        const report = await ingestPaths(t.store, [path], {
          javascriptOnly,
          maxRowsLeftToToEvent: 2,
          rejectsPath,
        });
        const file = report.files[0];
        stored.push({
          events: await storedEvents(t.store),
          rejects: readFileSync(rejectsPath, 'utf8'),
          batches: await t.store.query('SELECT rows_read, rows_stored, rows_rejected FROM import_batches'),
          report: [file?.rowsRead, file?.inserted, file?.rejected, file?.rejects],
        });
      } finally {
        await t.cleanup();
      }
    }
    const [js, sql] = stored;
    assert.equal(sql?.rejects.trim().split('\n').length, 5);
    assert.deepEqual(sql?.batches, [{ rows_read: 12, rows_stored: 6, rows_rejected: 5 }]);
    assert.deepEqual(sql, js);
  });

  const acled = sharedFile('acled-balochistan-2020-2024h1.csv');
  it('the shared ACLED file: identical stored events', { skip: !acled }, async () => {
    const { js, sql } = await bothPaths(acled as string);
    assert.equal(js.events.length, 1341);
    // The file has no country column: the gazetteer fills it from the coordinates.
    assert.ok(
      js.events.every((e) => e.country === 'Pakistan'),
      'every event of the Balochistan extract is placed in Pakistan',
    );
    assert.ok(js.report.placesLearned > 100, `places learned after the ingest: ${js.report.placesLearned}`);
    assert.equal(js.rerun.placesLearned, 0, 'a re-run that changes nothing does not relearn places');
    assert.deepEqual(sql.events, js.events);
    assert.equal(sql.rerun.files[0]?.unchanged, 1341);
    assert.equal(js.rerun.files[0]?.unchanged, 1341);
  });
});
