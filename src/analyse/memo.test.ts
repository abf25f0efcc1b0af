import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { blankEvent, type EventRecord } from '../schema/index.ts';
import { meta } from '../serve/routes/meta.ts';
import type { Queryable } from '../store/contract.ts';
import { listActorGroups, resolveMembers, saveActorGroup } from './actor-groups.ts';
import { addMerger } from './actors.ts';
import { dataCoverage } from './coverage.ts';
import { eventsVersion, memoised, readUntilWrite } from './memo.ts';
import { trend } from './trend.ts';

const event = (n: number, date: string, admin2 = 'Kech'): EventRecord =>
  blankEvent({
    id: `acled:${n}`,
    source: 'acled',
    sourceId: String(n),
    eventDate: date,
    eventType: 'Battles',
    actor1: 'BLA: Baloch Liberation Army',
    actor1Id: 'baloch-liberation-army',
    admin1: 'Balochistan',
    admin2,
  });

async function load(t: TestStore, file: string, events: EventRecord[]): Promise<void> {
  const writer = await t.store.beginImport({ file, sha256: file, format: 'acled' });
  await writer.add(events);
  await writer.finish({ rowsRead: events.length, rowsRejected: 0 });
}

for (const kind of STORE_KINDS) {
  describe(`figures remembered until the events change, on ${kind}`, () => {
    let t: TestStore | undefined;
    after(() => t?.cleanup());

    test('a memoised figure is computed once while the events stay as they are, again after each write', async () => {
      t = await freshStore(kind);
      const store = t.store;
      await load(t, 'a.csv', [event(1, '2024-01-05'), event(2, '2024-02-05')]);
      let computed = 0;
      const count = () =>
        memoised(store, 'test:count', async () => {
          computed++;
          const [row] = await store.query<{ n: number }>('SELECT COUNT(*) AS n FROM events');
          return Number(row?.n);
        });
      assert.equal(await count(), 2);
      assert.equal(await count(), 2);
      assert.equal(computed, 1, 'unchanged events: remembered');

      await load(t, 'b.csv', [event(3, '2024-03-05')]);
      assert.equal(await count(), 3, 'an import is seen at once');
      assert.equal(computed, 2);

      await store.query('DELETE FROM events WHERE id = $1', ['acled:1']);
      assert.equal(await count(), 2, 'a deletion is seen at once');

      // A correction keeps the number of events; its write time moves the version.
      const before = await eventsVersion(store);
      await load(t, 'b-corrected.csv', [event(3, '2024-03-09')]);
      assert.notEqual(await eventsVersion(store), before);
      assert.equal((await dataCoverage(store, {})).last, '2024-03-09');
    });

    test('meta remembered equals meta computed afresh, after imports and after renaming an actor', async () => {
      t ??= await freshStore(kind);
      const store = t.store;
      // A new handle on the same store has no memory: its answer is computed from scratch.
      const fresh = (): Queryable => ({ dialect: store.dialect, query: store.query.bind(store) });
      await meta(store);
      await load(t, 'c.csv', [event(4, '2024-05-01', 'Gwadar'), event(5, '2024-06-01', 'Gwadar')]);
      const remembered = await meta(store);
      assert.deepEqual(remembered, await meta(fresh()));
      assert.ok(remembered.admin2.some((d) => d.name === 'Gwadar'));
      assert.equal(remembered.lastDate, '2024-06-01');

      await store.saveActors([
        { id: 'baloch-liberation-army', name: 'BLA (renamed)', kind: null, aliases: [] },
      ]);
      const renamed = await meta(store);
      assert.deepEqual(renamed, await meta(fresh()));
      assert.equal(renamed.actors.find((a) => a.id === 'baloch-liberation-army')?.name, 'BLA (renamed)');
    });

    test('groups, aliases and mergers read once are read again after any write to them', async () => {
      t ??= await freshStore(kind);
      const store = t.store;
      const fresh = (): Queryable => ({ dialect: store.dialect, query: store.query.bind(store) });
      await saveActorGroup(store, {
        name: 'Test group',
        description: null,
        homeAdmin1: [],
        aliases: [],
        members: ['baloch-liberation-army'],
      });
      await resolveMembers(store, ['Test member']);
      assert.equal((await listActorGroups(store)).find((g) => g.name === 'Test group')?.members.length, 1);
      await saveActorGroup(store, {
        name: 'Test group',
        description: null,
        homeAdmin1: [],
        aliases: [],
        members: ['baloch-liberation-army', 'Test member'],
      });
      assert.deepEqual(
        (await listActorGroups(store)).find((g) => g.name === 'Test group')?.members,
        ['Test member', 'baloch-liberation-army'],
        'a group changed in a transaction is seen at once',
      );
      await store.saveActors([{ id: 'test-member', name: 'Test member', kind: null, aliases: ['TM'] }]);
      assert.deepEqual(
        await resolveMembers(store, ['Test member']),
        await resolveMembers(fresh(), ['Test member']),
      );
      assert.ok(
        (await resolveMembers(store, ['TM'])).ids.includes('test-member'),
        'a new alias is seen at once',
      );

      const byActor = () => trend(store, { by: 'actor', period: 'year', filter: {} });
      const before = await byActor();
      await addMerger(store, {
        into: 'Test member',
        members: ['baloch-liberation-army'],
        date: '2024-01-01',
      });
      const after = await byActor();
      assert.deepEqual(after, await trend(fresh(), { by: 'actor', period: 'year', filter: {} }));
      assert.notDeepEqual(
        after.series.map((s) => s.key),
        before.series.map((s) => s.key),
        'a merger is seen at once',
      );
    });

    test('a store that counts its writes (DuckDB) counts every write and no read', async () => {
      t ??= await freshStore(kind);
      const store = t.store;
      const count = store.writeCount?.();
      if (kind === 'postgres') {
        assert.equal(count, undefined, 'other processes write to PostgreSQL: no count');
        return;
      }
      assert.equal(typeof count, 'number');
      await store.query('SELECT COUNT(*) AS n FROM events');
      await store.query('WITH x AS (SELECT 1 AS n) SELECT n FROM x');
      assert.equal(store.writeCount?.(), count, 'reads are not writes');
      await store.query("UPDATE events SET notes = 'x' WHERE id = $1", ['acled:2']);
      const afterUpdate = store.writeCount?.() ?? 0;
      assert.ok(afterUpdate > (count ?? 0), 'a plain UPDATE counts');
      await store.transaction((tx) => tx.query('SELECT 1 AS one'));
      assert.ok((store.writeCount?.() ?? 0) > afterUpdate, 'a transaction counts');
      const actors = () => readUntilWrite<{ n: number }>(store, 'SELECT COUNT(*) AS n FROM actors');
      const first = Number((await actors())[0]?.n);
      assert.equal(await actors(), await actors(), 'remembered while nothing is written');
      await store.query("INSERT INTO actors (id, name) VALUES ('another', 'Another')");
      assert.equal(Number((await actors())[0]?.n), first + 1, 'a write to any table is seen at once');
    });
  });
}
