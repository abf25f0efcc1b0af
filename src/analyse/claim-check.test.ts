import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { syntheticEvents } from '../../test/support/synthetic-events.ts';
import { checkClaim, parseClaim } from './claim-check.ts';

for (const kind of STORE_KINDS) {
  describe(`claim check on ${kind}`, () => {
    let t: TestStore | undefined;
    after(() => t?.cleanup());

    test('a district the claim names ("in Kech") narrows the count; a place inside a name does not', async () => {
      t = await freshStore(kind);
      const writer = await t.store.beginImport({ file: 'synthetic', sha256: 'synthetic', format: 'test' });
      const events = syntheticEvents();
      await writer.add(events);
      await writer.finish({ rowsRead: events.length, rowsRejected: 0 });

      const claim = await parseClaim(t.store, 'events in Kech rose 50% between 2022 and 2023');
      assert.deepEqual(claim.admin2, ['Kech']);
      const result = await checkClaim(t.store, claim);
      const inKech = (year: string) =>
        t!.store.countEvents({ admin2: ['Kech'], from: `${year}-01-01`, to: `${year}-12-31` });
      assert.deepEqual(
        result.periods.map((p) => p.value),
        [await inKech('2022'), await inKech('2023')],
      );
      const everywhere = await t.store.countEvents({ from: '2022-01-01', to: '2022-12-31' });
      assert.notEqual(result.periods[0]?.value, everywhere, 'the district is a part of the whole');
      assert.match(result.definition, /in Kech$/);

      const named = await parseClaim(t.store, 'the Kech Front doubled its attacks between 2022 and 2023');
      assert.deepEqual([named.admin1, named.admin2], [[], []]);
      const filtered = await checkClaim(t.store, claim, { admin2: ['Quetta'] });
      assert.equal(
        filtered.periods[0]?.value,
        await t.store.countEvents({ admin2: ['Quetta'], from: '2022-01-01', to: '2022-12-31' }),
        'a place given as a filter wins over the one the claim names',
      );
    });
  });
}
