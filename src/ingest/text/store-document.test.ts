import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../../test/support/stores.ts';
import { storeDocument } from './store-document.ts';

const TEXT =
  'On 3 May 2024, BLF militants attacked a police checkpost near Turbat, killing two policemen. ' +
  'Separately, the BRA and the UBA said they would collaborate with each other in joint operations.';

for (const kind of STORE_KINDS) {
  describe(`storeDocument on ${kind}`, () => {
    let t: TestStore | undefined;
    after(() => t?.cleanup());

    test('stores the document and its events once, by content hash', async () => {
      t = await freshStore(kind);
      const first = await storeDocument(t.store, { text: TEXT, published: '2024-05-04', source: 'wire' });
      assert.equal(first.stored, true);
      assert.equal(first.events, 1);
      const again = await storeDocument(t.store, {
        text: `${TEXT}\n`,
        published: '2024-05-04',
        source: 'other',
      });
      assert.equal(again.stored, false);
      assert.equal(again.documentId, first.documentId);
      const [docs] = await t.store.query<{ n: number }>('SELECT COUNT(*) AS n FROM documents');
      assert.equal(Number(docs?.n), 1);
      assert.equal(await t.store.countEvents({ sources: ['text'] }), 1);
      const [event] = (await t.store.events({ sources: ['text'] })).events;
      assert.equal(event?.eventDate, '2024-05-03');
      assert.equal(event?.fatalities.best, 2);
      assert.equal((event?.raw as { documentId?: string } | null | undefined)?.documentId, first.documentId);
      const relations = await t.store.query('SELECT kind FROM actor_relations');
      assert.deepEqual(
        relations.map((r) => r.kind),
        ['collaboration'],
      );
    });
  });
}
