import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { STORE_KINDS, storeWith, type TestStore } from '../../test/support/stores.ts';
import { blankEvent, type EventFilter, type EventRecord } from '../schema/index.ts';
import { eventsMatching } from './actor-events.ts';
import { Params } from './filter-sql.ts';

/**
 * Events with every arrangement of sides a group filter meets: a member on side 1, on side 2, on both,
 * on neither, a side with a name and no id, a side left empty.
 */
function sidedEvents(): EventRecord[] {
  const ids = ['alpha', 'bravo', 'charlie', null] as const;
  const others = ['alpha', 'state', null] as const;
  const events: EventRecord[] = [];
  for (let i = 0; i < 72; i++) {
    const a1 = ids[i % ids.length] ?? null;
    const a2 = others[Math.floor(i / 4) % others.length] ?? null;
    events.push(
      blankEvent({
        id: `side:${i}`,
        source: 'sides',
        sourceId: String(i),
        eventDate: `${2022 + (i % 3)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
        eventType: i % 5 === 0 ? 'Protests' : 'Battles',
        actor1: a1 ? `Band ${a1}` : 'Unlinked Band',
        actor1Id: a1,
        actor2: a2 ? `Band ${a2}` : null,
        actor2Id: a2,
        admin1: i % 2 ? 'North' : 'South',
        admin2: `District ${i % 4}`,
        fatalities: { low: i % 3, best: i % 3, high: i % 3 },
      }),
    );
  }
  return events;
}

const inRange = (e: EventRecord, f: EventFilter) =>
  (!f.from || e.eventDate >= f.from) && (!f.to || e.eventDate <= f.to);

/** The filter's meaning written out in JS: an id on either side, the other clauses as filterSql reads them. */
function expected(events: readonly EventRecord[], f: EventFilter): string[] {
  const ids = new Set(f.actorIds ?? []);
  return events
    .filter(
      (e) =>
        (ids.has(e.actor1Id ?? '\u0000') || ids.has(e.actor2Id ?? '\u0000')) &&
        inRange(e, f) &&
        (!f.admin1?.length || f.admin1.includes(e.admin1 ?? '')),
    )
    .map((e) => e.id)
    .sort();
}

for (const kind of STORE_KINDS) {
  describe(`events of actors by id, read from the actor indexes: ${kind}`, () => {
    let t: TestStore;
    const events = sidedEvents();
    before(async () => {
      t = await storeWith(kind, events);
    });
    after(async () => t?.cleanup());

    const read = async (filter: EventFilter) => {
      const params = new Params(t.store.dialect);
      const { from, where } = eventsMatching(filter, params, ['id', 'admin1', 'fatalities_best']);
      if (kind === 'postgres') assert.notEqual(from, 'events e', 'PostgreSQL reads the two branches');
      const rows = await t.store.query<{ id: string; f: number }>(
        `SELECT e.id, e.fatalities_best AS f FROM ${from} WHERE ${where} ORDER BY e.id`,
        params.values,
      );
      return rows;
    };

    for (const filter of [
      { actorIds: ['alpha'] },
      { actorIds: ['alpha', 'bravo'] },
      { actorIds: ['charlie', 'state'] },
      { actorIds: ['bravo'], from: '2023-01-01', to: '2023-12-31' },
      { actorIds: ['alpha', 'charlie'], admin1: ['North'], from: '2022-06-01' },
      { actorIds: [''] },
    ] satisfies EventFilter[]) {
      it(`each event once, as the filter over both sides: ${JSON.stringify(filter)}`, async () => {
        const rows = await read(filter);
        const ids = rows.map((r) => r.id);
        assert.equal(new Set(ids).size, ids.length, 'no event read twice');
        assert.deepEqual([...ids].sort(), expected(events, filter));
        if (filter.actorIds[0] === 'alpha' && Object.keys(filter).length === 1) {
          assert.ok(
            events.some((e) => e.actor1Id === 'alpha' && e.actor2Id === 'alpha' && ids.includes(e.id)),
            'the fixture has events with the actor on both sides, and they are read',
          );
        }
      });
    }

    it('names as written and one side only keep the plain filter', () => {
      const params = new Params(t.store.dialect);
      assert.equal(
        eventsMatching({ actors: ['Band alpha'], actorIds: ['alpha'] }, params, ['id']).from,
        'events e',
      );
      assert.equal(eventsMatching({ actorIds: ['alpha'] }, params, ['id'], 'primary').from, 'events e');
      assert.equal(eventsMatching({ admin1: ['North'] }, params, ['id']).from, 'events e');
    });
  });
}
