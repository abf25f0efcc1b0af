import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { STORE_KINDS, storeWith, type TestStore } from '../../test/support/stores.ts';
import { blankEvent, type EventRecord } from '../schema/index.ts';
import type { Store } from '../store/contract.ts';
import { saveActorGroup } from './actor-groups.ts';
import { actorSide } from './actor-side.ts';
import { checkClaim, parseClaim } from './claim-check.ts';
import { spread } from './spread.ts';
import { trend } from './trend.ts';

/**
 * A group looked for on actor1 alone (DuckDB, when `actor_pair_months` shows none of its ids as the other
 * side over the days asked) must still count the events where it is the other side as soon as there are
 * some: after an import that adds them, the next question sees them.
 */

const GROUP = ['alpha', 'bravo'];

/** Events of 2023–2024 in three districts; `side2` adds some where a member is actor2 only (2024). */
function events(side2: boolean): EventRecord[] {
  const out: EventRecord[] = [];
  for (let i = 0; i < 90; i++) {
    const onSide2 = side2 && i % 5 === 0;
    const member = GROUP[i % 2] ?? null;
    const other = i % 3 === 0 ? 'state' : 'charlie';
    const [a1, a2] = onSide2 ? [other, member] : [member, i % 4 === 0 ? other : null];
    const month = String((i % 12) + 1).padStart(2, '0');
    out.push(
      blankEvent({
        id: `side:${i}`,
        source: 'sides',
        sourceId: String(i),
        // The events moved to side 2 fall in 2024; the others over 2023 and 2024.
        eventDate: `${onSide2 ? 2024 : 2023 + (i % 2)}-${month}-${String((i % 27) + 1).padStart(2, '0')}`,
        eventType: 'Battles',
        actor1: a1,
        actor1Id: a1,
        actor2: a2,
        actor2Id: a2,
        admin1: i % 3 === 0 ? 'North' : 'South',
        admin2: `District ${i % 3}`,
        fatalities: { low: i % 4, best: i % 4, high: i % 4 },
      }),
    );
  }
  return out;
}

/** Events per district and month (YYYY-MM) with a member on either side, counted from the fixture. */
function expected(list: readonly EventRecord[], from: string, to: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of list) {
    const date = e.eventDate ?? '';
    const member = GROUP.includes(e.actor1Id ?? '') || GROUP.includes(e.actor2Id ?? '');
    if (!member || date < from || date > to) continue;
    const key = `${e.admin2}|${date.slice(0, 7)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function byDistrictMonth(store: Store, from: string, to: string): Promise<Map<string, number>> {
  const result = await trend(store, { by: 'admin2', period: 'month', filter: { actorIds: GROUP, from, to } });
  const counts = new Map<string, number>();
  for (const s of result.series)
    for (const p of s.points) if (p.events > 0) counts.set(`${s.key}|${p.period}`, p.events);
  return counts;
}

/** The claim check's count of events with a member on either side, 2023 and 2024, and the fixture's. */
async function eitherSide(store: Store, list: readonly EventRecord[]) {
  const check = await checkClaim(
    store,
    await parseClaim(store, 'events by side bands rose 10% between 2023 and 2024'),
  );
  const either = check.alternatives.find((a) =>
    a.definition.startsWith('all event types, actor on either side'),
  );
  const year = (y: string) =>
    list.filter(
      (e) =>
        (e.eventDate ?? '').startsWith(y) &&
        (GROUP.includes(e.actor1Id ?? '') || GROUP.includes(e.actor2Id ?? '')),
    ).length;
  return { counted: [either?.from, either?.to], expected: [year('2023'), year('2024')] };
}

async function reimport(store: Store, list: readonly EventRecord[]): Promise<void> {
  const writer = await store.beginImport({ file: 'fixture', sha256: 'y', format: 'test' });
  await writer.add(list);
  await writer.finish({ rowsRead: list.length, rowsRejected: 0 });
}

for (const kind of STORE_KINDS) {
  describe(`a group on actor1 alone until it is the other side (${kind})`, () => {
    let t: TestStore;
    before(async () => {
      t = await storeWith(kind, events(false));
      await t.store.saveActors(
        ['alpha', 'bravo', 'charlie', 'state'].map((id) => ({
          id,
          name: `Band ${id}`,
          kind: null,
          aliases: [],
        })),
      );
      await saveActorGroup(t.store, {
        name: 'Side bands',
        description: null,
        homeAdmin1: ['South'],
        aliases: ['side bands'],
        members: GROUP,
      });
    });
    after(async () => t?.cleanup());

    it('counts the events where a member is actor2 once an import adds them', async () => {
      const filter = { actorIds: GROUP };
      const first = events(false);
      assert.equal(
        await actorSide(t.store, filter, '2023-01-01', '2024-12-31'),
        kind === 'duckdb' ? 'primary' : 'either',
        'no member is actor2: DuckDB tests actor1 alone',
      );
      assert.deepEqual(
        await byDistrictMonth(t.store, '2023-01-01', '2024-12-31'),
        expected(first, '2023-01-01', '2024-12-31'),
      );
      const before = await spread(t.store, { filter, from: '2024-07-01', to: '2024-12-31' });
      const claimBefore = await eitherSide(t.store, first);
      assert.deepEqual(claimBefore.counted, claimBefore.expected);

      const second = events(true);
      await reimport(t.store, second);
      assert.equal(await actorSide(t.store, filter, '2023-01-01', '2024-12-31'), 'either');
      // Over 2023 alone no member is actor2 still.
      assert.equal(
        await actorSide(t.store, filter, '2023-01-01', '2023-12-31'),
        kind === 'duckdb' ? 'primary' : 'either',
      );
      const counts = expected(second, '2023-01-01', '2024-12-31');
      assert.ok(
        [...second].some((e) => GROUP.includes(e.actor2Id ?? '') && !GROUP.includes(e.actor1Id ?? '')),
        'the fixture has events with a member on side 2 only',
      );
      assert.deepEqual(await byDistrictMonth(t.store, '2023-01-01', '2024-12-31'), counts);
      assert.deepEqual(
        await byDistrictMonth(t.store, '2023-01-01', '2023-12-31'),
        expected(second, '2023-01-01', '2023-12-31'),
      );

      const after = await spread(t.store, { filter, from: '2024-07-01', to: '2024-12-31' });
      const inWindow = second.filter(
        (e) =>
          (GROUP.includes(e.actor1Id ?? '') || GROUP.includes(e.actor2Id ?? '')) &&
          (e.eventDate ?? '') >= '2024-07-01',
      );
      const outside = inWindow.filter((e) => e.admin1 !== after.home.admin1[0]);
      assert.equal(after.outsideHome.events, outside.length);
      assert.deepEqual(
        after.outsideHome.latest.map((e) => e.id),
        outside
          .sort((a, b) => (b.eventDate ?? '').localeCompare(a.eventDate ?? '') || (b.id < a.id ? -1 : 1))
          .slice(0, 20)
          .map((e) => e.id),
      );
      assert.notDeepEqual(after.outsideHome, before.outsideHome, 'the new events changed the answer');
      const claimAfter = await eitherSide(t.store, second);
      assert.deepEqual(claimAfter.counted, claimAfter.expected);
      assert.notDeepEqual(claimAfter.counted, claimBefore.counted);
    });
  });
}
