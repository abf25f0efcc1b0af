import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { storeDocument } from '../ingest/text/store-document.ts';
import { ActorRegistry } from '../resolve/actor-registry.ts';
import { blankEvent, type EventRecord } from '../schema/index.ts';
import type { Queryable } from '../store/contract.ts';
import { checkClaim, parseClaim } from './claim-check.ts';
import { dataCoverage } from './coverage.ts';

/** A data set of BLA attacks, 2023-01 … 2024-06: ten a month in 2023, twelve a month in 2024. */
function dataSet(): EventRecord[] {
  const events: EventRecord[] = [];
  for (const [year, months, perMonth] of [
    [2023, 12, 10],
    [2024, 6, 12],
  ] as const) {
    for (let m = 1; m <= months; m++) {
      for (let i = 0; i < perMonth; i++) {
        const day = `${year}-${String(m).padStart(2, '0')}-${String(i + 1).padStart(2, '0')}`;
        events.push(
          blankEvent({
            id: `acled:${day}`,
            source: 'acled',
            sourceId: day,
            eventDate: m === 6 && year === 2024 && i === perMonth - 1 ? '2024-06-30' : day,
            eventType: 'Explosions/Remote violence',
            actor1: 'BLA: Baloch Liberation Army',
            actor1Id: 'baloch-liberation-army',
            admin1: 'Balochistan',
          }),
        );
      }
    }
  }
  return events;
}

for (const kind of STORE_KINDS) {
  describe(`data coverage on ${kind}`, () => {
    let t: TestStore | undefined;
    after(() => t?.cleanup());

    test('an article about a later day neither extends the coverage nor completes a half-covered year', async () => {
      t = await freshStore(kind);
      const writer = await t.store.beginImport({ file: 'acled.csv', sha256: 'x', format: 'acled' });
      const events = dataSet();
      await writer.add(events);
      await writer.finish({ rowsRead: events.length, rowsRejected: 0 });
      const claim = await parseClaim(t.store, 'attacks by BLA rose 119% between 2023 and 2024');
      // Store-wide figures are remembered per handle until the events change; fresh handles check that too.
      const store = t.store;
      const fresh = (): Queryable => ({ dialect: store.dialect, query: store.query.bind(store) });
      const before = await checkClaim(fresh(), claim);
      assert.equal(before.verdict, 'not enough data');

      await storeDocument(
        t.store,
        {
          text: 'Yesterday, BLA militants attacked a Frontier Corps post near Turbat, killing three soldiers.',
          published: '2025-04-02',
        },
        { actors: ActorRegistry.seeded() },
      );
      assert.equal(await t.store.countEvents({ sources: ['text'] }), 1);
      const coverage = await dataCoverage(fresh(), {});
      assert.equal(coverage.last, '2024-06-30');
      assert.deepEqual(coverage.sources, ['acled', 'text']);
      assert.equal(coverage.events, events.length + 1);
      const afterText = await checkClaim(fresh(), claim);
      assert.equal(afterText.verdict, before.verdict);
      assert.equal(afterText.periods[1]?.complete, false);

      const textOnly = await dataCoverage(fresh(), { sources: ['text'] });
      assert.equal(textOnly.last, '2025-04-01', 'text alone still has a span: its own');
    });
  });
}
