import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAnalysisFixture } from '../../test/support/analysis-fixture.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { blankEvent } from '../schema/index.ts';
import { defaultActorGroups, listActorGroups, resolveMembers, saveActorGroup } from './actor-groups.ts';

for (const kind of STORE_KINDS) {
  describe(`actor groups: ${kind}`, () => {
    let t: TestStore;
    before(async () => {
      t = await freshStore(kind);
      await loadAnalysisFixture(t.store);
    });
    after(async () => t?.cleanup());

    it('stored groups come with their members, in order, and shadow a shipped group of the same name', async () => {
      const shipped = defaultActorGroups()[0];
      assert.ok(shipped);
      await saveActorGroup(t.store, {
        name: 'Zeta fronts',
        description: 'two fronts',
        homeAdmin1: ['Sindh'],
        aliases: ['the fronts'],
        members: ['TTP', 'BLF', 'BLA'],
      });
      await saveActorGroup(t.store, {
        name: shipped.name,
        description: null,
        homeAdmin1: [],
        aliases: [],
        members: ['BLA'],
      });
      const groups = await listActorGroups(t.store);
      const stored = groups.filter((g) => !g.builtin);
      assert.deepEqual(
        stored.map((g) => [g.name, g.members, g.homeAdmin1, g.aliases, g.description]),
        [
          [shipped.name, ['BLA'], [], [], null],
          ['Zeta fronts', ['BLA', 'BLF', 'TTP'], ['Sindh'], ['the fronts'], 'two fronts'],
        ],
      );
      assert.equal(groups.filter((g) => g.name === shipped.name).length, 1, 'the stored one replaces it');
      assert.equal(
        groups.filter((g) => g.builtin).length,
        defaultActorGroups().length - 1,
        'the other shipped groups remain',
      );
    });

    it("members' spellings come from aliases and actors' names, and a name imported just now is matched", async () => {
      const before = await resolveMembers(t.store, ['TTP', 'BLA']);
      assert.ok(before.ids.includes('ttp'), 'TTP through the alias table');
      assert.ok(before.names.includes('BLA: Baloch Liberation Army'), 'BLA through its ACLED-style prefix');
      assert.ok(!before.names.includes('BLA: Baloch Liberation Army (Azad)'));
      // A new spelling arrives: the next question sees it at once, not after a cache expires.
      const writer = await t.store.beginImport({ file: 'more.csv', sha256: 'more', format: 'fixture' });
      await writer.add([
        blankEvent({
          id: 'more:1',
          source: 'fixture',
          sourceId: 'more-1',
          eventDate: '2024-06-01',
          eventType: 'Battles',
          actor1: 'BLA: Baloch Liberation Army (Azad)',
          admin1: 'Balochistan',
          admin2: 'Kech',
        }),
      ]);
      await writer.finish({ rowsRead: 1, rowsRejected: 0 });
      const after = await resolveMembers(t.store, ['TTP', 'BLA']);
      assert.deepEqual(after.ids, before.ids);
      assert.deepEqual(after.names, [...before.names, 'BLA: Baloch Liberation Army (Azad)'].sort());
    });
  });
}
