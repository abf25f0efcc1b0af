import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { syntheticEvents } from '../../test/support/synthetic-events.ts';
import { blankEvent } from '../schema/index.ts';
import { checkClaim, namedPerpetrators, parseClaim } from './claim-check.ts';

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

      // An actor the store does not know gets no verdict on every actor's events; a claim naming none does.
      const unknown = await parseClaim(t.store, 'attacks by the Kech Frontt rose 50% between 2022 and 2023');
      assert.deepEqual(unknown.unrecognisedActors, ['Kech Frontt']);
      const unjudged = await checkClaim(t.store, unknown);
      assert.equal(unjudged.verdict, 'not enough data');
      assert.match(unjudged.explanation, /"Kech Frontt", which matches no actor/);
      // "between" names a span: the change runs from the earlier year, whichever the claim names first
      const reversed = await parseClaim(t.store, 'events in Kech rose 50% between 2023 and 2022');
      assert.deepEqual([reversed.from, reversed.to], ['2022', '2023']);
      const anyone = await parseClaim(t.store, 'attacks rose by 50% between 2022 and 2023');
      assert.deepEqual(anyone.unrecognisedActors, []);
      assert.notEqual((await checkClaim(t.store, anyone)).verdict, 'not enough data');
    });

    test('every figure — each metric, initiator or either side — is the count of the events it defines', async () => {
      t ??= await freshStore(kind);
      const store = t.store;
      const attack = `(event_type IN ('Battles', 'Explosions/Remote violence', 'Violence against civilians')
        OR (event_type IS NULL AND attack_type IS NOT NULL))`;
      const figure = async (actor: string, from: string, to: string, metric: string, side: string) => {
        const [row] = await store.query<{ n: number }>(
          `SELECT ${metric === 'fatalities' ? 'COALESCE(SUM(fatalities_best), 0)' : 'COUNT(*)'} AS n FROM events
           WHERE event_date >= CAST($1 AS DATE) AND event_date <= CAST($2 AS DATE)
             AND (actor1 = $3 ${side === 'either' ? 'OR actor2 = $3' : ''}) ${metric === 'attacks' ? `AND ${attack}` : ''}`,
          [from, to, actor],
        );
        return Number(row?.n ?? 0);
      };
      const alternatives = [
        ['events', 'either'],
        ['events', 'primary'],
        ['fatalities', 'primary'],
      ] as const;
      for (const [metric, actor] of [
        ['attacks', 'Bravo Army'],
        ['fatalities', 'Alpha Front'],
        ['events', 'Military Forces of Testland'],
      ] as const) {
        const claim = await parseClaim(store, `${metric} by ${actor} rose 10% between 2022 and 2023`);
        assert.equal(claim.metric, metric);
        const result = await checkClaim(store, claim);
        const label = `${metric} by ${actor}`;
        const values = result.periods.map((p) => p.value);
        const expected = await Promise.all(
          result.periods.map((p) => figure(actor, p.from, p.to, metric, 'primary')),
        );
        assert.deepEqual(values, expected, label);
        const [w1, w2] = result.likeForLike
          ? [result.likeForLike.from, result.likeForLike.to]
          : result.periods;
        assert.ok(w2, 'a change has two periods');
        const others = alternatives.filter(([m, side]) => !(m === metric && side === 'primary'));
        assert.deepEqual(
          result.alternatives.map((a) => [a.from, a.to]),
          await Promise.all(
            others.map(async ([m, side]) => [
              await figure(actor, w1.from, w1.to, m, side),
              await figure(actor, w2.from, w2.to, m, side),
            ]),
          ),
          label,
        );
      }
      // Actor2 only: counted on either side, never as initiator.
      const soldiers = await checkClaim(
        store,
        await parseClaim(store, 'events by Military Forces of Testland rose 10% between 2022 and 2023'),
      );
      assert.ok((soldiers.alternatives[0]?.from ?? 0) > 0, 'the forces are actor2 of some events');
    });

    test('attacks: a GTD-style record (attack type, no event type) imported later is counted at once', async () => {
      t ??= await freshStore(kind);
      const store = t.store;
      const claim = await parseClaim(store, 'attacks rose by 50% between 2022 and 2023');
      const attacks = async () => (await checkClaim(store, claim)).periods.map((p) => p.value);
      const [before2022 = 0, before2023 = 0] = await attacks();
      const writer = await store.beginImport({ file: 'gtd', sha256: 'gtd', format: 'test' });
      await writer.add([
        blankEvent({
          id: 'gtd:1',
          source: 'gtd',
          sourceId: '1',
          eventDate: '2023-05-01',
          attackType: 'Bombing/Explosion',
          actor1: 'Unknown',
        }),
        blankEvent({ id: 'gtd:2', source: 'gtd', sourceId: '2', eventDate: '2023-05-02', actor1: 'Unknown' }),
      ]);
      await writer.finish({ rowsRead: 2, rowsRejected: 0 });
      assert.deepEqual(
        await attacks(),
        [before2022, before2023 + 1],
        'the typed-less attack counts, the other not',
      );
    });
  });
}

test('the names after "by" are read as who the claim is about, not figures, months or lower-case words', () => {
  assert.deepEqual(namedPerpetrators('attacks by the Baloch Liberaton Army rose 50% between 2022 and 2023'), [
    'Baloch Liberaton Army',
  ]);
  assert.deepEqual(namedPerpetrators('attacks rose by 119% between 2023 and 2024'), []);
  assert.deepEqual(namedPerpetrators('attacks by militants fell by January 2024'), []);
  assert.deepEqual(namedPerpetrators('killings by TTP and by Lashkar Group rose'), ['TTP', 'Lashkar Group']);
});
