import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../../test/support/stores.ts';
import type { Store } from '../../store/contract.ts';
import { splitText } from './split-text.ts';
import { documentHash, ingestTextPaths } from './store-document.ts';

describe('splitText', () => {
  test('cuts at blank lines, packs whole paragraphs, and gives the text back', () => {
    const paragraph = (i: number) => `Paragraph ${i} line one.\nParagraph ${i} line two.\n`;
    const text = Array.from({ length: 20 }, (_, i) => paragraph(i)).join('\n');
    const parts = splitText(text, 200);
    assert.ok(parts.length > 1);
    assert.equal(parts.map((p) => p.text).join(''), text);
    for (const part of parts) {
      assert.ok(part.text.length <= 200, `${part.text.length} characters`);
      // every part starts a paragraph: never after "line one."
      assert.match(part.text, /^Paragraph \d+ line one\./);
    }
    // lines: part n starts after part n-1 ends, and the first line named is the part's
    for (const [i, part] of parts.entries()) {
      if (i > 0) assert.equal(part.firstLine, (parts[i - 1]?.lastLine ?? 0) + 1);
      assert.equal(text.split('\n')[part.firstLine - 1], part.text.split('\n')[0]);
    }
    assert.deepEqual(splitText(text, 200), parts, 'the same text is cut the same way');
  });

  test('without blank lines cuts at line breaks, never inside a line', () => {
    const text = `${'x'.repeat(50)}\n${'y'.repeat(500)}\n${'z'.repeat(50)}\n${'w'.repeat(50)}`;
    const parts = splitText(text, 120);
    assert.deepEqual(
      parts.map((p) => [p.text[0], p.text.length, p.firstLine, p.lastLine]),
      [
        ['x', 51, 1, 1],
        ['y', 501, 2, 2],
        ['z', 101, 3, 4],
      ],
    );
  });

  test('a text within the limit is one part', () => {
    assert.deepEqual(splitText('one\ntwo', 100), [{ text: 'one\ntwo', firstLine: 1, lastLine: 2 }]);
  });
});

/** Every other report dated by the publication day ("Yesterday"), so a new day re-dates half of them. */
const line = (i: number) =>
  `${i % 2 ? 'On 4 May 2024' : 'Yesterday'}, BLA militants attacked a police checkpost in Turbat, killing ${(i % 2) + 1} soldiers.\n`;
const LINES = 300;
const TEXT = Array.from({ length: LINES }, (_, i) => line(i)).join('');
/** 40 lines a part: the parts but the last are the same text, as in a dump of one report repeated. */
const PART_CHARS = 20 * (line(0).length + line(1).length);

async function count(store: Store, sql: string, params: string[] = []): Promise<number> {
  const [row] = await store.query<{ n: number }>(sql, params);
  return Number(row?.n);
}

for (const kind of STORE_KINDS) {
  describe(`a text longer than one document, on ${kind}`, () => {
    const opened: TestStore[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'sitrep-split-'));
    const file = join(dir, 'dump.txt');
    writeFileSync(file, TEXT);
    let t = undefined as unknown as TestStore;
    after(async () => {
      await Promise.all(opened.map((s) => s.cleanup()));
      rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(async () => {
      t = await freshStore(kind);
      opened.push(t);
    });
    const events = () => count(t.store, "SELECT COUNT(*) AS n FROM events WHERE source = 'text'");
    const parts = splitText(TEXT, PART_CHARS);

    test('is stored a part at a time: every event once, again nothing, another day re-dates', async () => {
      assert.ok(parts.length >= 5);
      assert.equal(parts[1]?.text, parts[0]?.text, 'parts repeating each other are still stored each');
      const first = await ingestTextPaths(t.store, [file], {
        published: '2024-06-01',
        partChars: PART_CHARS,
      });
      assert.deepEqual(first.split, [{ file, parts: parts.length }]);
      assert.equal(first.documents, parts.length);
      assert.equal(first.stored, parts.length);
      assert.equal(first.events, LINES);
      assert.equal(await events(), LINES);
      assert.equal(await count(t.store, 'SELECT COUNT(*) AS n FROM documents'), parts.length);
      assert.equal(
        await count(t.store, "SELECT SUM(fatalities_best) AS n FROM events WHERE source = 'text'"),
        LINES * 1.5,
      );

      const again = await ingestTextPaths(t.store, [file], {
        published: '2024-06-01',
        partChars: PART_CHARS,
      });
      assert.equal(again.stored, 0);
      assert.equal(again.unchanged, parts.length);
      assert.equal(await events(), LINES);

      const later = await ingestTextPaths(t.store, [file], {
        published: '2025-06-01',
        partChars: PART_CHARS,
      });
      assert.equal(later.updated, parts.length);
      assert.equal(await events(), LINES);
      assert.equal(
        await count(
          t.store,
          "SELECT COUNT(*) AS n FROM events WHERE source = 'text' AND event_date = CAST($1 AS DATE)",
          ['2025-05-31'],
        ),
        LINES / 2,
        'the reports of "yesterday" moved with the new day, in every part',
      );
    });

    test('a part that fails names its part and lines; the parts before stay, a re-run stores the rest once', async () => {
      // A stored document holding the id part 3 would be given: its insert fails on the primary key.
      const third = parts[2];
      assert.ok(third);
      const blocking = documentHash(third.text, 3).slice(0, 16);
      await t.store.query(
        `INSERT INTO documents (id, content_hash, published, text, events, ingested_at)
         VALUES ($1, $2, CAST($3 AS DATE), $4, 0, CAST($5 AS TIMESTAMP))`,
        [blocking, 'another', '2024-06-01', 'another text', '2024-06-01T00:00:00Z'],
      );
      await assert.rejects(
        ingestTextPaths(t.store, [file], { published: '2024-06-01', partChars: PART_CHARS }),
        (error: Error) => {
          assert.ok(error.message.startsWith(`${file}: part 3 of ${parts.length} `), error.message);
          assert.match(error.message, new RegExp(`lines ${third.firstLine}–${third.lastLine} of its text`));
          assert.match(error.message, /Parts 1–2 are stored/);
          return true;
        },
      );
      const partLines = (n: number) => (parts[n]?.lastLine ?? 0) - (parts[n]?.firstLine ?? 0) + 1;
      assert.equal(await events(), partLines(0) + partLines(1));

      await t.store.query('DELETE FROM documents WHERE id = $1', [blocking]);
      const rerun = await ingestTextPaths(t.store, [file], {
        published: '2024-06-01',
        partChars: PART_CHARS,
      });
      assert.equal(rerun.unchanged, 2);
      assert.equal(rerun.stored, parts.length - 2);
      assert.equal(await events(), LINES);
    });
  });
}
