import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadAnalysisFixture } from '../../test/support/analysis-fixture.ts';
import { freshStore, STORE_KINDS, type TestStore } from '../../test/support/stores.ts';
import { syntheticEvents } from '../../test/support/synthetic-events.ts';
import { blankEvent } from '../schema/index.ts';
import { checkClaim, namedPerpetrators, parseClaim, rankingMetric } from './claim-check.ts';

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

for (const kind of STORE_KINDS) {
  describe(`ranking claims on ${kind}`, () => {
    let t: TestStore | undefined;
    after(() => t?.cleanup());

    test('the actor, metric, year and places of a ranking; first → consistent, not first → the leader named', async () => {
      t = await freshStore(kind);
      await loadAnalysisFixture(t.store);
      const store = t.store;
      const ttp = await parseClaim(store, 'TTP was the deadliest group in Pakistan in 2024');
      assert.deepEqual(
        [ttp.kind, ttp.metric, ttp.from, ttp.to, ttp.periodImplied],
        ['ranking', 'fatalities', '2024', '2024', false],
      );
      assert.ok(
        ttp.actors.some((a) => /ttp/i.test(a)),
        ttp.actors.join(),
      );
      const bla = await parseClaim(store, 'BLA carried out the most attacks in Balochistan in 2023');
      assert.deepEqual(
        [bla.kind, bla.metric, bla.from, bla.admin1],
        ['ranking', 'attacks', '2023', ['Balochistan']],
      );
      assert.ok(
        bla.actors.some((a) => /baloch liberation army/i.test(a)),
        bla.actors.join(),
      );
      const kech = await parseClaim(store, 'the most active group in Kech in 2022');
      assert.deepEqual(
        [kech.kind, kech.metric, kech.from, kech.admin2, kech.actors],
        ['ranking', 'events', '2022', ['Kech'], []],
      );
      // With a percentage or a rise it stays a change claim.
      const change = await parseClaim(
        store,
        'attacks by the deadliest group, TTP, rose 50% between 2022 and 2023',
      );
      assert.deepEqual(
        [change.kind, change.from, change.to, change.changePct],
        ['change', '2022', '2023', 50],
      );
      // No year: the last full year of data, said in the answer.
      const noYear = await parseClaim(store, 'TTP was the deadliest group in Pakistan');
      const [{ last } = { last: '' }] = await store.query<{ last: string }>(
        'SELECT CAST(MAX(event_date) AS TEXT) AS last FROM events',
      );
      const lastYear = Number(last.slice(0, 4));
      const full = last.slice(5) >= '12-17' ? lastYear : lastYear - 1;
      assert.deepEqual([noYear.from, noYear.periodImplied], [String(full), true]);
      assert.match(
        (await checkClaim(store, noYear)).explanation,
        new RegExp(`no year: ${full}, the last full year`),
      );

      const attack = `event_type IN ('Battles', 'Explosions/Remote violence', 'Violence against civilians')`;
      const ranking = async (metric: string, year: string, admin1?: string) => {
        const rows = await store.query<{ k: string; v: number }>(
          `SELECT COALESCE(actor1_id, actor1) AS k, ${
            metric === 'fatalities'
              ? 'SUM(COALESCE(fatalities_best, 0))'
              : metric === 'attacks'
                ? `SUM(CASE WHEN ${attack} THEN 1 ELSE 0 END)`
                : 'COUNT(*)'
          } AS v FROM events
           WHERE event_date >= CAST($1 AS DATE) AND event_date <= CAST($2 AS DATE) ${admin1 ? 'AND admin1 = $3' : ''}
           GROUP BY 1`,
          admin1 ? [`${year}-01-01`, `${year}-12-31`, admin1] : [`${year}-01-01`, `${year}-12-31`],
        );
        return rows
          .map((r) => ({ k: r.k, v: Number(r.v) }))
          .filter((r) => r.v > 0)
          .sort((a, b) => b.v - a.v);
      };
      const verdicts = new Set<string>();
      for (const [sentence, actorKey, metric, year, admin1] of [
        ['TTP was the deadliest group in 2024', 'ttp', 'fatalities', '2024', undefined],
        [
          'BLA was the deadliest group in 2024',
          'BLA: Baloch Liberation Army',
          'fatalities',
          '2024',
          undefined,
        ],
        [
          'BLA carried out the most attacks in Balochistan in 2023',
          'BLA: Baloch Liberation Army',
          'attacks',
          '2023',
          'Balochistan',
        ],
        ['TTP carried out the most attacks in Balochistan in 2023', 'ttp', 'attacks', '2023', 'Balochistan'],
        [
          'BLF was the most active group in 2022',
          'BLF: Baloch Liberation Front',
          'events',
          '2022',
          undefined,
        ],
      ] as const) {
        const result = await checkClaim(store, await parseClaim(store, sentence));
        const expected = await ranking(metric, year, admin1);
        const top = expected[0];
        assert.ok(top, sentence);
        assert.equal(result.kind, 'ranking');
        assert.deepEqual(
          result.ranking?.top.map((r) => r.value),
          expected.slice(0, 5).map((r) => r.v),
          sentence,
        );
        const mine = expected.find((r) => r.k === actorKey)?.v ?? 0;
        assert.equal(result.periods[0].value, mine, sentence);
        const rank = mine ? 1 + expected.filter((r) => r.v > mine).length : null;
        assert.equal(result.ranking?.rank, rank, sentence);
        // an actor with no event at all there and then gets no verdict: the data may not cover it
        const [{ n: actorEvents } = { n: 0 }] = await store.query<{ n: number }>(
          `SELECT COUNT(*) AS n FROM events WHERE COALESCE(actor1_id, actor1) = $1
             AND event_date >= CAST($2 AS DATE) AND event_date <= CAST($3 AS DATE) ${admin1 ? 'AND admin1 = $4' : ''}`,
          admin1
            ? [actorKey, `${year}-01-01`, `${year}-12-31`, admin1]
            : [actorKey, `${year}-01-01`, `${year}-12-31`],
        );
        const verdict =
          rank === 1 ? 'consistent' : Number(actorEvents) === 0 ? 'not enough data' : 'inconsistent';
        assert.equal(result.verdict, verdict, sentence);
        if (verdict === 'inconsistent') {
          assert.equal(result.ranking?.leader?.value, top.v);
          assert.match(result.explanation, new RegExp(`first is .+ \\(${top.v} `), sentence);
        }
        if (verdict === 'not enough data')
          assert.match(
            result.explanation,
            new RegExp(`no event initiated by .+ first by \\w+: .+ \\(${top.v} `),
            sentence,
          );
        verdicts.add(result.verdict);
      }
      assert.deepEqual(
        [...verdicts].sort(),
        ['consistent', 'inconsistent', 'not enough data'],
        'the fixture has every answer',
      );

      // An actor the store does not know, or a year with no events: not enough data.
      const unknown = await checkClaim(
        store,
        await parseClaim(store, 'Lashkar Zeta was the deadliest group in 2024'),
      );
      assert.equal(unknown.verdict, 'not enough data');
      assert.match(unknown.explanation, /"Lashkar Zeta", which matches no actor/);
      const empty = await checkClaim(store, await parseClaim(store, 'TTP was the deadliest group in 2015'));
      assert.equal(empty.verdict, 'not enough data');
    });
  });
}

test('a superlative reads as the metric a ranking is by', () => {
  assert.equal(rankingMetric('TTP, the deadliest terrorist group operating in Pakistan'), 'fatalities');
  assert.equal(rankingMetric('BLA carried out the most attacks in 2023'), 'attacks');
  assert.equal(rankingMetric('the most active group in Kech'), 'events');
  assert.equal(rankingMetric('attacks by BLA rose 119% between 2023 and 2024'), null);
});

test('the names after "by" are read as who the claim is about, not figures, months or lower-case words', () => {
  assert.deepEqual(namedPerpetrators('attacks by the Baloch Liberaton Army rose 50% between 2022 and 2023'), [
    'Baloch Liberaton Army',
  ]);
  assert.deepEqual(namedPerpetrators('attacks rose by 119% between 2023 and 2024'), []);
  assert.deepEqual(namedPerpetrators('attacks by militants fell by January 2024'), []);
  assert.deepEqual(namedPerpetrators('killings by TTP and by Lashkar Group rose'), ['TTP', 'Lashkar Group']);
});
