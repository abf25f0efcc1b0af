import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeDocument, documentHash, encodeDocument } from './document.ts';

describe('document hash and envelope', () => {
  it('hashes content, not layout', () => {
    assert.equal(documentHash('Two  killed\r\nin Quetta '), documentHash('Two killed in Quetta'));
    assert.notEqual(documentHash('Two killed in Quetta'), documentHash('Three killed in Quetta'));
  });

  it('round-trips a document and recomputes the hash on the way out', () => {
    const doc = { text: 'A blast in Sibi', published: '2025-02-01', url: 'https://example.org/x' };
    const { hash, body } = encodeDocument(doc);
    assert.deepEqual(decodeDocument(body), { hash, document: doc });
  });

  it('names the bad field of a malformed message', () => {
    const body = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    assert.throws(() => decodeDocument(new TextEncoder().encode('{')), /not JSON/);
    assert.throws(() => decodeDocument(body({ document: { text: 'x', published: 'March' } })), /published/);
    assert.throws(() => decodeDocument(body({ document: { published: '2025-01-01' } })), /text/);
  });
});
