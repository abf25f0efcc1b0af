import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { blankEvent } from '../schema/index.ts';
import { createApp } from '../serve/app.ts';
import { anyTollStated } from './tolls.ts';

for (const kind of STORE_KINDS) {
  describe(`tolls stated or not, over the ${kind} store`, () => {
    let t: TestStore;
    before(async () => {
      t = await freshStore(kind);
      const writer = await t.store.beginImport({ file: 'tolls', sha256: 'tolls', format: 'test' });
      const events = [
        // read from a column: "the 2014 assault on Karachi's airport" states no toll
        blankEvent({
          id: 'text:1',
          source: 'text',
          sourceId: '1',
          eventDate: '2014-06-08',
          admin2: 'Karachi',
        }),
        // a data set's event whose toll is stated as 0
        blankEvent({
          id: 'set:1',
          source: 'acled',
          sourceId: '1',
          eventDate: '2020-01-30',
          admin2: 'Quetta',
          fatalities: { low: 0, best: 0, high: 0 },
        }),
      ];
      await writer.add(events);
      await writer.finish({ rowsRead: events.length, rowsRejected: 0 });
    });
    after(() => t.cleanup());

    test('an event stating 0 states a toll; one stating none does not', async () => {
      assert.equal(await anyTollStated(t.store, { sources: ['text'] }), false);
      assert.equal(await anyTollStated(t.store, { sources: ['acled'] }), true);
      assert.equal(await anyTollStated(t.store, {}), true);
    });

    test('/api/stats says a zero toll is unknown when no counted event states one', async () => {
      const app = createApp(t.store);
      const text = (await (await app.request('/api/stats?source=text')).json()) as { tollUnknown?: boolean };
      assert.equal(text.tollUnknown, true);
      const set = (await (await app.request('/api/stats?source=acled')).json()) as { tollUnknown?: boolean };
      assert.equal(set.tollUnknown, false);
      const grouped = (await (await app.request('/api/stats?by=year')).json()) as { tollUnknown?: boolean };
      assert.equal(grouped.tollUnknown, undefined, 'grouped answers do not carry it');
    });
  });
}
