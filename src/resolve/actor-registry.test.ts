import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freshStore } from '../../test/support/stores.ts';
import { ActorRegistry, nameCandidates } from './actor-registry.ts';

describe('ActorRegistry', () => {
  const seeded = ActorRegistry.seeded();

  it('resolves ACLED, GTD and plain spellings of one group to one actor', () => {
    const ids = [
      'BLA: Baloch Liberation Army',
      'Baloch Liberation Army (BLA)',
      'Balochistan Liberation Army',
      'bla',
      'BALOCH  LIBERATION-ARMY',
    ].map((name) => seeded.resolve(name)?.id);
    assert.deepEqual(new Set(ids), new Set(['baloch-liberation-army']));
    assert.equal(seeded.resolve('Tehrik-i-Taliban Pakistan (TTP)')?.id, 'tehrik-i-taliban-pakistan');
    assert.equal(seeded.resolve('Tehreek-e-Taliban')?.id, 'tehrik-i-taliban-pakistan');
    assert.equal(seeded.resolve('Pakistani Taliban')?.id, 'tehrik-i-taliban-pakistan');
    assert.equal(seeded.resolve('BRAS: Baloch Raaji Ajoi e Sangar')?.id, 'baloch-raaji-aajoi-sangar');
    assert.equal(seeded.resolve('Islamic State Khorasan')?.id, 'islamic-state-khorasan-province');
  });

  it("strips ACLED's period suffix and keeps the unit when the unit is known", () => {
    assert.equal(seeded.resolve('Police Forces of Pakistan (2022-)')?.id, 'police-forces-of-pakistan');
    assert.equal(
      seeded.resolve('Military Forces of Pakistan (2018-2022)')?.id,
      'military-forces-of-pakistan',
    );
    assert.equal(
      seeded.resolve('Police Forces of Pakistan (2022-) Frontier Corps')?.id,
      'frontier-corps-pakistan',
    );
    assert.equal(
      seeded.resolve('Police Forces of Pakistan (2018-2022) Balochistan Levies')?.id,
      'balochistan-levies',
    );
    // an unknown unit still belongs to the force it is part of
    assert.equal(
      seeded.resolve('Police Forces of Pakistan (2022-) Bomb Disposal Squad')?.id,
      'police-forces-of-pakistan',
    );
  });

  it('keeps a bracketed country as part of the name', () => {
    assert.deepEqual(nameCandidates('Civilians (Pakistan)'), ['Civilians (Pakistan)']);
    assert.equal(seeded.resolve('Civilians (Pakistan)')?.kind, 'civilians');
    assert.equal(seeded.resolve('Unidentified Armed Group (Pakistan)')?.kind, 'unidentified');
    assert.equal(seeded.resolve('Civilians (Narnia)'), null);
  });

  it('learns unknown names and new spellings, and reports only those', () => {
    const registry = ActorRegistry.seeded();
    assert.equal(registry.learned().length, 0);
    const faction = registry.resolveOrLearn('BLA-AA: Baloch Liberation Army-Aslam Acho', 'rebel group');
    assert.equal(faction.id, 'bla-aa-baloch-liberation-army-aslam-acho');
    assert.equal(faction.kind, 'rebel group');
    assert.equal(registry.resolveOrLearn('BLA-AA: Baloch Liberation Army-Aslam Acho').id, faction.id);
    const bla = registry.resolveOrLearn('BLA: Baloch Liberation Army');
    assert.equal(bla.id, 'baloch-liberation-army');
    assert.ok(bla.aliases.includes('BLA: Baloch Liberation Army'));
    assert.deepEqual(
      registry
        .learned()
        .map((a) => a.id)
        .sort(),
      ['baloch-liberation-army', 'bla-aa-baloch-liberation-army-aslam-acho'],
    );
    assert.equal(registry.resolveOrLearn('Balochistan Liberation Army').id, 'baloch-liberation-army');
    assert.equal(registry.learned().length, 2, 'a known alias is not learned again');
  });

  it('round-trips learned actors through the store', async () => {
    const t = await freshStore('duckdb');
    try {
      const registry = ActorRegistry.seeded();
      registry.resolveOrLearn('Lashkar-e-Khorasan Test Front');
      await t.store.saveActors(registry.learned());
      const again = await ActorRegistry.fromStore(t.store);
      assert.equal(again.resolve('lashkar e khorasan test front')?.id, 'lashkar-e-khorasan-test-front');
      assert.equal(again.learned().length, 0);
      assert.ok(again.all().length > ActorRegistry.seeded().all().length);
    } finally {
      await t.cleanup();
    }
  });

  it('has a seed whose aliases never name two actors', () => {
    const seen = new Map<string, string>();
    for (const actor of ActorRegistry.seeded().all()) {
      for (const alias of [actor.name, ...actor.aliases]) {
        const key = alias
          .toLowerCase()
          .replace(/[^\p{L}\p{N}]+/gu, ' ')
          .trim();
        assert.ok(!seen.has(key) || seen.get(key) === actor.id, `${alias}: ${seen.get(key)} and ${actor.id}`);
        seen.set(key, actor.id);
      }
    }
  });

  it('tells the 2022 Baloch Nationalist Army from the 2025 Balochistan National Army by the day a name is used', () => {
    const actors = ActorRegistry.seeded();
    // full names never change meaning
    for (const on of [undefined, '2023-07-29', '2025-03-20']) {
      assert.equal(actors.resolve('Baloch Nationalist Army', on)?.id, 'baloch-nationalist-army');
      assert.equal(actors.resolve('BNA: Baloch Nationalist Army', on)?.id, 'baloch-nationalist-army');
      assert.equal(actors.resolve('Balochistan National Army', on)?.id, 'balochistan-national-army');
    }
    // the confederation formed a few days before the Jaffar Express hijacking (11 March 2025)
    assert.equal(actors.resolve('Baloch National Army', '2023-07-29')?.id, 'baloch-nationalist-army');
    assert.equal(actors.resolve('Baloch National Army')?.id, 'baloch-nationalist-army');
    assert.equal(actors.resolve('Baloch National Army', '2025-03-20')?.id, 'balochistan-national-army');
    assert.equal(actors.resolve('BNA', '2022-06-01')?.id, 'baloch-nationalist-army');
    assert.equal(actors.resolve('BNA', '2025-04-02')?.id, 'balochistan-national-army');
    assert.equal(actors.hasDatedAlias('Baloch Liberation Army'), false);
  });
});
