import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freshStore, type TestStore } from '../../test/support/stores.ts';
import { documentHash } from './document.ts';
import { documentProcessor } from './process.ts';

describe('the worker stores what the queue carries', () => {
  let t: TestStore;
  before(async () => {
    t = await freshStore('duckdb');
  });
  after(async () => t?.cleanup());

  it('keeps a feed item’s headline as the document title, with its source and URL', async () => {
    const process = await documentProcessor(t.store);
    const document = {
      id: 'wire-1001',
      text: 'Gunmen attack checkpoint in Turbat\n\nThree soldiers were killed in Turbat on Monday.',
      published: '2025-03-04T04:30:00.000Z',
      source: 'news.example.org',
      url: 'https://news.example.org/1001',
      title: 'Gunmen attack checkpoint in Turbat',
    };
    const { documentId } = await process(document, documentHash(document.text));
    assert.ok(documentId);
    const [row] = await t.store.query<{ title: string | null; source: string | null; url: string | null }>(
      'SELECT title, source, url FROM documents WHERE id = $1',
      [documentId],
    );
    assert.deepEqual(row, {
      title: 'Gunmen attack checkpoint in Turbat',
      source: 'news.example.org',
      url: 'https://news.example.org/1001',
    });
  });
});
