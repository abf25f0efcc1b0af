import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { STORE_KINDS, storeWith, type TestStore } from '../../test/support/stores.ts';
import { blankEvent } from '../schema/index.ts';
import { unknownActors, warnUnknownActors } from './unknown-actors.ts';

for (const kind of STORE_KINDS) {
  describe(`--actor values the store does not know (${kind})`, () => {
    let t: TestStore;
    before(async () => {
      t = await storeWith(kind, [
        blankEvent({
          id: 'acled:1',
          source: 'acled',
          sourceId: '1',
          eventDate: '2024-01-02',
          actor1: 'BLA: Baloch Liberation Army',
          actor1Id: 'baloch-liberation-army',
          actor2: 'Lashkar-e-Local Militia',
        }),
      ]);
    });
    after(async () => t?.cleanup());

    it('knows names, aliases, ids and names as written in events, whatever their case', async () => {
      const known = ['BLA', 'baloch liberation army', 'baloch-liberation-army', 'Lashkar-e-Local Militia'];
      assert.deepEqual(await unknownActors(t.store, known), []);
    });

    it('names a misspelt actor with the nearest spelling, and an unknown one without', async () => {
      assert.deepEqual(await unknownActors(t.store, ['Baloch Liberaton Army', 'Nobody At All']), [
        { name: 'Baloch Liberaton Army', suggestion: 'Baloch Liberation Army' },
        { name: 'Nobody At All', suggestion: null },
      ]);
      const lines: string[] = [];
      await warnUnknownActors(t.store, ['BLA', 'Baloch Liberaton Army'], (line) => lines.push(line));
      assert.deepEqual(lines, [
        'sitrep: --actor "Baloch Liberaton Army" matches no actor in the store (did you mean "Baloch Liberation Army"?); `sitrep actors` lists them\n',
      ]);
    });
  });
}
