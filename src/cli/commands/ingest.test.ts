import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectFormat } from '../../ingest/detect-format.ts';
import { isNewsDocument } from '../../ingest/text/is-news-document.ts';

const sitrep = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });

const ACLED_HEADER =
  'event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp';
const ACLED_ROW =
  'PAK1,12 March 2024,2024,1,Political violence,Explosions/Remote violence,Remote explosive/landmine/IED,Baloch Liberation Army (BLA),,Rebel group,Military Forces of Pakistan (2018-),,State forces,Rebel group-State forces,,586,Southern Asia,Pakistan,Balochistan,Kech,Turbat,Turbat,26.0,63.05,1,Dawn,National,An IED hit a patrol.,2,,1710000000';

const ARTICLE =
  'PAKISTAN’S WAR IN BALOCHISTAN\nYesterday, BLA militants attacked a Frontier Corps post near Turbat, killing three soldiers.\n';

test('ingest without --format reads an article saved as .txt as a news document, beside a data set', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-ingest-'));
  try {
    const db = join(dir, 'x.duckdb');
    const article = join(dir, 'article.txt');
    const csv = join(dir, 'acled.csv');
    writeFileSync(article, ARTICLE);
    writeFileSync(csv, `${ACLED_HEADER}\n${ACLED_ROW}\n`);

    const withoutDay = sitrep('ingest', article, '--db', db);
    assert.equal(withoutDay.status, 1);
    assert.match(withoutDay.stderr, /article\.txt: the document has no publication date: pass --published/);

    const both = sitrep('ingest', article, csv, '--published', '2024-05-20', '--db', db, '--json');
    assert.equal(both.status, 0, both.stderr);
    const report = JSON.parse(both.stdout) as {
      totals: { inserted: number };
      documents: { documents: number; events: number };
    };
    assert.equal(report.totals.inserted, 1, 'the CSV went to the data-set importer');
    assert.deepEqual([report.documents.documents, report.documents.events], [1, 1]);

    const again = sitrep('ingest', article, '--published', '2024-05-20', '--db', db);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /1 document: 0 new, 0 updated, 1 unchanged/);
    const redated = sitrep('ingest', article, '--published', '2024-05-21', '--db', db);
    assert.match(
      redated.stdout,
      /1 document: 0 new, 1 updated, 0 unchanged; 1 event from the documents written/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a .txt file holding a data set stays a data set; an empty document is left out and said so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-ingest-'));
  try {
    const tabular = join(dir, 'export.txt');
    writeFileSync(tabular, `${ACLED_HEADER}\n${ACLED_ROW}\n`);
    assert.equal(await isNewsDocument(tabular), false);
    const html = join(dir, 'page.html');
    writeFileSync(html, '<p>x</p>');
    assert.equal(await isNewsDocument(html), true);
    assert.equal(await isNewsDocument(dir), false, 'a folder is read as data sets, as before');

    const blank = join(dir, 'blank.md');
    writeFileSync(blank, '   \n\n');
    const r = sitrep('ingest', blank, '--published', '2024-05-20', '--db', join(dir, 'x.duckdb'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /0 documents: .*left out, holding no text: .*blank\.md/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown format quotes a UTF-8 first line as written and points at --format text', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitrep-ingest-'));
  try {
    const file = join(dir, 'notes.csv');
    writeFileSync(file, 'Karachi’s port, Gwadar’s port\nx,y\n');
    await assert.rejects(detectFormat(file, file), (error: Error) => {
      assert.match(error.message, /Karachi’s port, Gwadar’s port/);
      assert.doesNotMatch(error.message, /â/);
      assert.match(error.message, /--format text if it is a news document/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
