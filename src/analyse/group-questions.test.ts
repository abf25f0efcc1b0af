import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storeWith, type TestStore } from '../../test/support/stores.ts';
import { blankEvent, type EventRecord } from '../schema/index.ts';
import type { Store } from '../store/contract.ts';
import { saveActorGroup } from './actor-groups.ts';
import { addMerger } from './actors.ts';
import { checkClaim, parseClaim } from './claim-check.ts';
import { resolveFilter } from './filter.ts';
import { spread } from './spread.ts';
import { trend } from './trend.ts';

/**
 * The questions PostgreSQL answers over an actor group from its actor indexes (trend by place or type,
 * spread, the claim check; src/store/actor-events.ts) give DuckDB's answers, which read the events with
 * the plain filter: after a first import, a corrected file, a changed user group and a dated merger.
 */

const BANDS = ['alpha', 'bravo', 'charlie', 'delta'] as const;

function bandEvents(corrected: boolean): EventRecord[] {
  const events: EventRecord[] = [];
  const count = corrected ? 130 : 120;
  for (let i = 0; i < count; i++) {
    let a1: string | null = BANDS[i % 4] ?? null;
    let a2: string | null = i % 3 === 0 ? 'state' : i % 7 === 0 ? 'bravo' : null;
    let admin2 = `District ${i % 5}`;
    let date = `${2021 + (i % 4)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    if (corrected && i % 10 === 1) [a1, a2] = ['state', a1]; // a member moved to side 2
    if (corrected && i % 10 === 2) [admin2, date] = ['District 9', '2024-08-02']; // a district first hit
    if (corrected && i % 10 === 3) date = `2024-${String((i % 6) + 7).padStart(2, '0')}-15`; // moved in time
    events.push(
      blankEvent({
        id: `band:${i}`,
        source: 'bands',
        sourceId: String(i),
        eventDate: date,
        eventType: ['Battles', 'Explosions/Remote violence', 'Protests'][i % 3] ?? null,
        actor1: a1 ? `Band ${a1}` : null,
        actor1Id: a1,
        actor2: a2 ? `Band ${a2}` : null,
        actor2Id: a2,
        admin1: i % 5 < 2 ? 'North' : 'South',
        admin2,
        fatalities: { low: i % 4, best: i % 4, high: i % 4 },
      }),
    );
  }
  return events;
}

async function reimport(store: Store, events: readonly EventRecord[]): Promise<void> {
  const writer = await store.beginImport({ file: 'bands.csv', sha256: 'corrected', format: 'test' });
  await writer.add(events);
  await writer.finish({ rowsRead: events.length, rowsRejected: 0 });
}

/** The user group the questions ask about ("Test bands", at home in South). */
function saveBands(store: Store, members: string[]): Promise<void> {
  return saveActorGroup(store, {
    name: 'Test bands',
    description: null,
    homeAdmin1: ['South'],
    aliases: ['test bands'],
    members,
  });
}

async function answers(store: Store) {
  const group = { groups: ['Test bands'] };
  const months = (await resolveFilter(store, { ...group, from: '2022-01-01', to: '2024-12-31' })).filter;
  const all = (await resolveFilter(store, group)).filter;
  return {
    resolved: all,
    byDistrict: await trend(store, { by: 'admin2', period: 'month', filter: months }),
    byType: await trend(store, { by: 'event_type', period: 'quarter', filter: all }),
    byActor: await trend(store, { by: 'actor', period: 'year', filter: all }),
    spread: await spread(store, { filter: all, from: '2024-07-01', to: '2024-12-31', baselineMonths: 24 }),
    spreadHome: await spread(store, {
      filter: all,
      from: '2024-01-01',
      to: '2024-12-31',
      home: { admin1: ['North'], basis: 'given' },
    }),
    claim: await checkClaim(
      store,
      await parseClaim(store, 'attacks by test bands rose 20% between 2022 and 2023'),
    ),
  };
}

describe('group questions: PostgreSQL from its actor indexes = DuckDB from the events', () => {
  let duck: TestStore;
  let pg: TestStore;
  before(async () => {
    [duck, pg] = await Promise.all([
      storeWith('duckdb', bandEvents(false)),
      storeWith('postgres', bandEvents(false)),
    ]);
    for (const t of [duck, pg]) {
      await t.store.saveActors(
        BANDS.map((id) => ({ id, name: `Band ${id}`, kind: 'rebel group', aliases: [] })),
      );
      await saveBands(t.store, ['alpha', 'bravo']);
    }
  });
  after(async () => Promise.all([duck?.cleanup(), pg?.cleanup()]));

  const same = async (step: string) => {
    // Marks the pages all-visible, as autovacuum would after an import: PostgreSQL may then read from
    // the indexes alone.
    await pg.store.query('VACUUM ANALYZE events');
    const [a, b] = await Promise.all([answers(duck.store), answers(pg.store)]);
    assert.deepEqual(b, a, step);
    return a;
  };

  it('after the first import, a corrected file, a changed group and a dated merger', async () => {
    const first = await same('first import');
    assert.deepEqual(first.resolved.actorIds, ['alpha', 'bravo']);
    assert.equal(first.resolved.actors, undefined, 'ids alone: PostgreSQL reads its actor indexes');
    assert.ok(first.byDistrict.series.length > 0 && first.claim.periods[0].value > 0, 'answers to compare');

    for (const t of [duck, pg]) await reimport(t.store, bandEvents(true));
    const corrected = await same('corrected file');
    assert.notDeepEqual(corrected.byDistrict.series, first.byDistrict.series);
    assert.ok(
      corrected.spread.newDistricts.some((d) => d.admin2 === 'District 9'),
      JSON.stringify(corrected.spread.newDistricts),
    );

    for (const t of [duck, pg]) {
      await saveBands(t.store, ['alpha', 'charlie']);
    }
    const edited = await same('group edited');
    assert.deepEqual(edited.resolved.actorIds, ['alpha', 'charlie']);
    assert.notEqual(edited.claim.periods[0].value, corrected.claim.periods[0].value);

    for (const t of [duck, pg])
      await addMerger(t.store, { into: 'alpha', members: ['charlie'], date: '2024-01-01' });
    const merged = await same('merger');
    assert.ok(
      merged.byActor.series.some((s) => s.key === 'charlie'),
      'events before the merger stay with the member',
    );
  });
});
