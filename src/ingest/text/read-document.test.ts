import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { readDocuments } from './read-document.ts';

const dir = mkdtempSync(join(tmpdir(), 'sitrep-docs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('a document with no date of its own takes --published, or is refused when asked to be dated', () => {
  const file = join(dir, 'report.txt');
  writeFileSync(file, 'Earlier this month, gunmen attacked a checkpost near Turbat.');
  assert.equal(readDocuments(file, '2025-03-25', { undated: 'error' })[0]?.published, '2025-03-25');
  assert.throws(() => readDocuments(file, undefined, { undated: 'error' }), /report\.txt: .*--published/);
  // A watched inbox falls back to the file's own day.
  assert.match(readDocuments(file)[0]?.published ?? '', /^\d{4}-\d{2}-\d{2}$/);
});

it('JSON documents carry their own dates; only the undated ones are refused', () => {
  const file = join(dir, 'feed.json');
  writeFileSync(file, JSON.stringify([{ text: 'A blast in Quetta.', published: '2024-05-02T08:00:00Z' }]));
  assert.equal(readDocuments(file, undefined, { undated: 'error' })[0]?.published, '2024-05-02');
  writeFileSync(file, JSON.stringify([{ text: 'A blast in Quetta.' }]));
  assert.throws(
    () => readDocuments(file, undefined, { undated: 'error' }),
    /document 1 has no publication date/,
  );
});

it('a title comes from JSON title/headline or the HTML <title>; impossible days are refused at the file', () => {
  const json = join(dir, 'titled.json');
  writeFileSync(
    json,
    JSON.stringify([
      { text: 'A blast in Quetta.', published: '2024-05-02', title: 'Blast in Quetta' },
      { text: 'A raid in Kech.', published: '2024-05-03', headline: 'Raid in Kech' },
      { text: 'No title here.', published: '2024-05-04' },
    ]),
  );
  assert.deepEqual(
    readDocuments(json).map((d) => d.title),
    ['Blast in Quetta', 'Raid in Kech', undefined],
  );
  const html = join(dir, 'page.html');
  writeFileSync(
    html,
    '<html><head><title>Two &amp; three killed</title></head><body><p>Text.</p></body></html>',
  );
  const [page] = readDocuments(html, '2024-05-02');
  assert.equal(page?.title, 'Two & three killed');
  assert.equal(page?.text, 'Text.');

  writeFileSync(json, JSON.stringify([{ text: 'A blast in Quetta.', published: '2024-02-30' }]));
  assert.throws(() => readDocuments(json), /titled\.json: document 1: published: expected a calendar date/);
  assert.throws(
    () => readDocuments(html, '2024-13-01'),
    /page\.html: publication date 2024-13-01 is not a calendar date/,
  );
});

it('a JSON document that does not parse, and UTF-16 text, are refused naming the file (and line)', () => {
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{bad json');
  assert.throws(() => readDocuments(broken, '2024-05-01'), /broken\.json: not JSON: /);
  const lines = join(dir, 'feed.jsonl');
  writeFileSync(lines, '{"text":"a","published":"2024-05-01"}\n\n{oops\n');
  assert.throws(() => readDocuments(lines), /feed\.jsonl:3: not JSON: /);
  const utf16 = join(dir, 'windows.txt');
  writeFileSync(utf16, Buffer.from('\ufeffOn 3 May 2024 militants attacked a post near Turbat.', 'utf16le'));
  assert.throws(
    () => readDocuments(utf16, '2024-05-04'),
    /windows\.txt: not UTF-8 text \(it holds NUL bytes: UTF-16 or binary\); convert it first, e\.g\. iconv -f UTF-16 -t UTF-8 \S*windows\.txt > \S*windows-utf8\.txt/,
  );
});
