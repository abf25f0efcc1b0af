import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { blankEvent } from '../schema/index.ts';
import { decodeRaw, encodeRaw, jsonString, rawHeader } from './raw-record.ts';

/** Strings whose JSON escaping differs between writers if anything does. */
const AWKWARD = [
  'plain',
  '',
  'a "quoted" word',
  'back\\slash and a literal \\u001f and \\\\u0001',
  'tab\tnewline\nreturn\r backspace\b formfeed\f',
  'controls \u0000\u0001\u0007\u000b\u000e\u001f and DEL \u007f',
  'non-ASCII: é, 中文, 😀, \u2028\u2029',
  '/slash </script>',
];

const events = (raw: Record<string, unknown>, notes: string | null = null) =>
  blankEvent({ id: 't:1', source: 't', sourceId: '1', eventDate: '2024-01-01', notes, raw });

describe('raw-record: the stored shape of a source record', () => {
  const opened: TestStore[] = [];
  after(async () => {
    for (const t of opened) await t.cleanup();
  });

  it("writes strings as DuckDB's to_json does", async () => {
    const t = await freshStore('duckdb');
    opened.push(t);
    for (const s of AWKWARD) {
      const [row] = await t.store.query<{ json: string }>(
        'SELECT CAST(to_json(CAST($1 AS VARCHAR)) AS VARCHAR) AS json',
        [s],
      );
      assert.equal(jsonString(s), row?.json, JSON.stringify(s));
      assert.equal(JSON.parse(jsonString(s)), s);
    }
  });

  it('a record of strings: an array of cells under its header, cells equal to a column left out', () => {
    const raw = Object.fromEntries(AWKWARD.map((s, i) => [`k${i}`, s]));
    raw.notes = 'the note';
    raw.__proto__x = 'x';
    const event = events(raw, 'the note');
    const column = (name: string) => (name === 'notes' ? event.notes : null);
    const stored = encodeRaw(raw, column);
    assert.ok(stored?.startsWith(`["${rawHeader(Object.keys(raw)).id}",`));
    assert.ok(stored?.endsWith(',null,"x"]'), 'notes left out: the event stores it');
    assert.deepEqual(decodeRaw(stored, rawHeader(Object.keys(raw)).keys, column), raw);
    // A cell that only trims to the column's text is kept as it is.
    const padded = { ...raw, notes: ' the note ' };
    assert.deepEqual(decodeRaw(encodeRaw(padded, column), rawHeader(Object.keys(raw)).keys, column), padded);
  });

  it('keys such as __proto__ and integer-like names come back as keys, in order', () => {
    const raw = JSON.parse('{"b":"1","__proto__":"2","10":"3","a":"4"}') as Record<string, unknown>;
    const stored = encodeRaw(raw, () => null);
    const back = decodeRaw(stored, rawHeader(Object.keys(raw)).keys, () => null);
    assert.deepEqual(Object.keys(back ?? {}), Object.keys(raw));
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(back, '__proto__')?.value, '2');
  });

  it('anything but a record of strings stays a JSON object, and so does every row of an older store', () => {
    for (const raw of [
      { documentId: 'd', index: 1, evidence: { date: [1, 4] } },
      { n: 1 },
      {},
      { a: null },
    ]) {
      const stored = encodeRaw(raw, () => null);
      assert.equal(stored, JSON.stringify(raw));
      assert.deepEqual(
        decodeRaw(stored, null, () => null),
        raw,
      );
    }
    assert.equal(
      encodeRaw(null, () => null),
      null,
    );
  });

  for (const kind of STORE_KINDS) {
    it(`${kind}: a stored record reads back as it was written, its header stored once`, async () => {
      const t = await freshStore(kind);
      opened.push(t);
      const raws = AWKWARD.map((s, i) => ({
        event_id_cnty: `X${i}`,
        // PostgreSQL's text refuses NUL, which a column would hold; inside raw it is an escape.
        notes: s.replaceAll('\u0000', ''),
        other: s,
        source: 'Dawn',
      }));
      const written = raws.map((raw, i) =>
        blankEvent({
          id: `t:${i}`,
          source: 't',
          sourceId: String(i),
          eventDate: '2024-01-01',
          notes: raw.notes.trim() || null,
          sourceRefs: 'Dawn',
          raw,
        }),
      );
      const writer = await t.store.beginImport({ file: 'f', sha256: 'x', format: 'test' });
      await writer.add(written);
      await writer.finish({ rowsRead: written.length, rowsRejected: 0 });
      for (const [i, raw] of raws.entries()) assert.deepEqual((await t.store.eventById(`t:${i}`))?.raw, raw);
      const page = await t.store.events({}, { limit: 100 });
      assert.deepEqual(
        page.events
          .map((e) => e.raw)
          .sort((a, b) => String(a?.event_id_cnty).localeCompare(String(b?.event_id_cnty))),
        raws,
      );
      const [headers] = await t.store.query<{ n: number }>('SELECT COUNT(*) AS n FROM raw_headers');
      assert.equal(Number(headers?.n), 1);
      // Re-imported as they are: unchanged.
      const again = await t.store.beginImport({ file: 'f', sha256: 'x', format: 'test' });
      await again.add(written);
      const s = await again.finish({ rowsRead: written.length, rowsRejected: 0 });
      assert.deepEqual([s.inserted, s.updated, s.unchanged], [0, 0, written.length]);
    });
  }
});
