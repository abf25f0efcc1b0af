import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IngestError } from '../src/ingest/importer.ts';
import { ingestPaths } from '../src/ingest/run-ingest.ts';
import { freshStore, STORE_KINDS, type TestStore } from './support/stores.ts';

const HEADER =
  'event_date,event_type,sub_event_type,actor1,actor2,admin1,admin2,location,latitude,longitude,fatalities,notes';
const good = (n: number) =>
  `2024-01-${String(n).padStart(2, '0')},Battles,Armed clash,BLA: Baloch Liberation Army,Military Forces of Pakistan (2022-),Balochistan,Kech,Turbat,26.0,63.0,${n},synthetic note ${n}`;

const dir = mkdtempSync(join(tmpdir(), 'sitrep-ingest-errors-'));
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Lines 2–7: good, bad date, good, bad latitude (text), latitude out of range, good. */
const MIXED = [
  HEADER,
  good(1),
  good(2).replace('2024-01-02', '2024-02-31'),
  good(3),
  good(4).replace(',26.0,', ',north,'),
  good(5).replace(',26.0,', ',126.0,'),
  good(6),
].join('\n');

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.ok(
      error instanceof IngestError,
      `an IngestError, got ${error.constructor.name}: ${error.message}`,
    );
    assert.match(error.message, pattern);
    return true;
  });
}

after(() => rmSync(dir, { recursive: true, force: true }));

for (const kind of STORE_KINDS) {
  describe(`ingest: bad rows and --strict (${kind})`, () => {
    let t: TestStore;
    before(async () => {
      t = await freshStore(kind);
    });
    after(async () => t?.cleanup());

    it('--strict stops at the first bad row and stores nothing from the file', async () => {
      const path = file(`mixed-${kind}.csv`, MIXED);
      await rejectsWith(
        ingestPaths(t.store, [path], { strict: true }),
        new RegExp(`${path}:3: event_date: not a date`),
      );
      assert.equal(await t.store.countEvents({}), 0);
      assert.equal((await t.store.listBatches()).length, 0);
    });

    it('by default stores the good rows and lists each bad one as file:line: field: reason', async () => {
      const path = file(`mixed-${kind}.csv`, MIXED);
      const rejectsPath = join(dir, `rejects-${kind}.txt`);
      const report = await ingestPaths(t.store, [path], { rejectsPath });
      const f = report.files[0];
      assert.deepEqual([f?.rowsRead, f?.stored, f?.rejected], [6, 3, 3]);
      assert.deepEqual(
        f?.rejects.map((r) => [r.line, r.field]),
        [
          [3, 'event_date'],
          [5, 'latitude'],
          [6, 'latitude'],
        ],
      );
      const written = readFileSync(rejectsPath, 'utf8').trim().split('\n');
      assert.equal(written.length, 3);
      assert.match(written[1] ?? '', new RegExp(`^${path}:5: latitude: not a number: "north"$`));
      assert.match(written[2] ?? '', new RegExp(`^${path}:6: latitude: `));
      assert.equal(await t.store.countEvents({}), 3);
    });

    it('an id holding a control character is rejected with its line, the other rows stored', async () => {
      const withIds = [
        `event_id_cnty,${HEADER}`,
        `PAK101,${good(7)}`,
        `PAK\u001e102,${good(8)}`,
        `PAK103,${good(9)}`,
      ].join('\n');
      const path = file(`control-id-${kind}.csv`, withIds);
      const report = await ingestPaths(t.store, [path]);
      const f = report.files[0];
      assert.deepEqual([f?.rowsRead, f?.stored, f?.rejected], [3, 2, 1]);
      assert.equal(f?.rejects[0]?.line, 3);
      assert.match(f?.rejects[0]?.reason ?? '', /control character/);
      assert.ok(await t.store.eventById('acled:PAK103'));
      assert.equal(await t.store.eventById('acled:PAK\u001e102'), null);
    });
  });
}

describe('ingest: files that cannot be read name the file (and line)', () => {
  let t: TestStore;
  before(async () => {
    t = await freshStore('duckdb');
  });
  after(async () => t?.cleanup());

  it('malformed CSV: an unclosed quote, with its line; nothing stored', async () => {
    const path = file(
      'unclosed.csv',
      `${HEADER}\n${good(1)}\n${good(2).replace('synthetic note 2', '"open quote')}\n${good(3)}\n`,
    );
    await rejectsWith(ingestPaths(t.store, [path]), new RegExp(`${path}:3: malformed CSV: unclosed quote`));
    assert.equal(await t.store.countEvents({}), 0);
  });

  it('an empty file, a header with no rows', async () => {
    await rejectsWith(ingestPaths(t.store, [file('empty.csv', '')]), /empty\.csv: empty file/);
    await rejectsWith(
      ingestPaths(t.store, [file('header-only.csv', `${HEADER}\n`)]),
      /header-only\.csv: no rows/,
    );
  });

  it('Latin-1 bytes where UTF-8 is expected: the file and line, and what to do', async () => {
    const text = `${HEADER}\n${good(1)}\n${good(2).replace('synthetic note', 'Quetta caf\u00e9')}\n`;
    const path = file('latin1.csv', Buffer.from(text, 'latin1'));
    await rejectsWith(
      ingestPaths(t.store, [path]),
      new RegExp(`${path}:3: not valid UTF-8.*--encoding latin1`),
    );
    const report = await ingestPaths(t.store, [path], { encoding: 'latin1' });
    assert.equal(report.files[0]?.stored, 2);
    const { events } = await t.store.events({ from: '2024-01-02', to: '2024-01-02' });
    assert.equal(events[0]?.notes, 'Quetta caf\u00e9 2');
  });

  it('an unknown CSV header, a binary file, a GeoJSON that is not GTD', async () => {
    await rejectsWith(
      ingestPaths(t.store, [file('other.csv', 'foo,bar\n1,2\n')]),
      /other\.csv: unknown format: the header \(foo, bar\)/,
    );
    await rejectsWith(
      ingestPaths(t.store, [file('blob.csv', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 1, 2]))]),
      /blob\.csv: a binary file/,
    );
    const shapes = file(
      'shapes.geojson',
      '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":null}]}',
    );
    await rejectsWith(ingestPaths(t.store, [shapes]), /shapes\.geojson: unknown format/);
    await rejectsWith(
      ingestPaths(t.store, [join(dir, 'missing.csv')]),
      /missing\.csv: cannot read: no such file or directory/,
    );
    // a site's shape ingested as if it were data: the error said only what the file was not
    const rail = file(
      'rail.geojson',
      '{"type":"Feature","properties":{"name":"Quetta-Taftan rail"},"geometry":{"type":"LineString","coordinates":[[66.99,30.18],[62.75,28.82]]}}',
    );
    await rejectsWith(
      ingestPaths(t.store, [rail]),
      /rail\.geojson: unknown format: .*lines or polygons, not events: .*sitrep sites add NAME --geojson FILE/,
    );
  });

  it('UTF-16 text is named as such, with the command that converts it', async () => {
    const utf16 = (name: string, bom: boolean) =>
      file(
        name,
        Buffer.concat([
          bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0),
          Buffer.from(`${HEADER}\n${good(1)}\n`, 'utf16le'),
        ]),
      );
    await rejectsWith(
      ingestPaths(t.store, [utf16('windows.csv', true)]),
      /windows\.csv: UTF-16 text; Sitrep reads UTF-8 .*iconv -f UTF-16 -t UTF-8 \S*windows\.csv > \S*windows-utf8\.csv/,
    );
    await rejectsWith(ingestPaths(t.store, [utf16('no-bom.csv', false)]), /no-bom\.csv: UTF-16 text/);
  });

  it('a news document in a folder of data sets is named with the command that reads it', async () => {
    const folder = join(dir, 'mixed');
    mkdirSync(folder);
    writeFileSync(join(folder, 'events.csv'), `${HEADER}\n${good(12)}\n`);
    writeFileSync(
      join(folder, 'article.html'),
      '<p>On 3 May 2024 militants attacked a post near Turbat.</p>',
    );
    writeFileSync(join(folder, 'notes.md'), 'On 3 May 2024 militants attacked a post near Turbat.');
    const report = await ingestPaths(t.store, [folder]);
    assert.equal(report.files.length, 1);
    assert.deepEqual(
      report.skipped.map((s) => s.reason.replace(folder, 'DIR').replace(folder, 'DIR')),
      [
        'DIR/article.html: a news document, not a data set: read it with `sitrep ingest DIR/article.html --published YYYY-MM-DD` (or a folder of them with --format text)',
        'DIR/notes.md: a news document, not a data set: read it with `sitrep ingest DIR/notes.md --published YYYY-MM-DD` (or a folder of them with --format text)',
      ],
    );
  });

  it('a run that fails on its second file says what the first one committed', async () => {
    const first = file('first.csv', `${HEADER}\n${good(9)}\n`);
    const second = file('second.csv', 'foo,bar\n1,2\n');
    await assert.rejects(ingestPaths(t.store, [first, second]), (error: IngestError) => {
      assert.match(error.message, /second\.csv: unknown format/);
      assert.deepEqual(error.committedBefore, [{ file: first, stored: 1 }]);
      return true;
    });
  });

  it('a wrong --format is refused by the header check', async () => {
    const path = file('acled-as-ucdp.csv', `${HEADER}\n${good(1)}\n`);
    await rejectsWith(
      ingestPaths(t.store, [path], { format: 'ucdp' }),
      /acled-as-ucdp\.csv:1: header is not UCDP's/,
    );
  });

  it('a directory: supported files are ingested, others skipped with the reason', async () => {
    const sub = mkdtempSync(join(dir, 'folder-'));
    writeFileSync(join(sub, 'a.csv'), `${HEADER}\n${good(7)}\n${good(8)}\n`);
    writeFileSync(join(sub, 'notes.txt'), 'not data at all\n');
    writeFileSync(join(sub, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const report = await ingestPaths(t.store, [sub]);
    assert.deepEqual(
      report.files.map((f) => [f.file, f.stored]),
      [[join(sub, 'a.csv'), 2]],
    );
    assert.deepEqual(
      report.skipped.map((s) => s.file),
      [join(sub, 'notes.txt')],
    );
  });
});
