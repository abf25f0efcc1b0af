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
