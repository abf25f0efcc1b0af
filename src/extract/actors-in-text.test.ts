import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActorRegistry } from '../resolve/actor-registry.ts';
import { findActors, findGenericStateForces, pickActors, subjectOf } from './actors-in-text.ts';

const registry = ActorRegistry.seeded();

test('finds aliases and acronyms, longest first, with spans', () => {
  const text = 'Fighters of the Balochistan Liberation Army (BLA) and the TTP struck; bla bla.';
  const found = findActors(text, registry);
  assert.deepEqual(
    found.map((m) => [m.text, m.actor.id]),
    [
      ['Balochistan Liberation Army', 'baloch-liberation-army'],
      ['BLA', 'baloch-liberation-army'],
      ['TTP', 'tehrik-i-taliban-pakistan'],
    ],
  );
  for (const m of found) assert.equal(text.slice(m.start, m.end), m.text);
});

test('the claimant beats the first-named group; unnamed gunmen map to the unidentified group', () => {
  const claimed = findActors('Police blamed the BLF, but the BLA claimed responsibility.', registry);
  assert.equal(pickActors(claimed).actor1?.actor.id, 'baloch-liberation-army');
  const unnamed = pickActors(findActors('Unidentified gunmen shot at a Levies post.', registry));
  assert.equal(unnamed.actor1?.actor.kind, 'unidentified');
  assert.equal(unnamed.actor2?.actor.id, 'balochistan-levies');
  assert.equal(pickActors(findActors('Nothing about anyone.', registry)).actor1, null);
});

test('generic state forces resolve to the country and can be the subject of an attack', () => {
  const text = 'Security forces raided a hideout and killed three militants; two soldiers were hurt.';
  const generic = findGenericStateForces(text, registry, 'Pakistan');
  assert.deepEqual(
    generic.map((m) => [m.text, m.actor.id]),
    [
      ['Security forces', 'military-forces-of-pakistan'],
      ['soldiers', 'military-forces-of-pakistan'],
    ],
  );
  assert.equal(findGenericStateForces(text, registry, null).length, 0, 'no country, no guess');
  assert.equal(subjectOf(text, generic, text.length)?.text, 'Security forces');
  const passive = 'Two soldiers were killed when a bomb went off.';
  assert.equal(
    subjectOf(passive, findGenericStateForces(passive, registry, 'Pakistan'), passive.length),
    null,
  );
});

test('a navy or an army installation names the state forces: the other side of an attack on it', async () => {
  const { extractDocument } = await import('./extract-document.ts');
  const { Gazetteer } = await import('./places/gazetteer.ts');
  const gazetteer = await Gazetteer.load();
  const forces = (text: string) =>
    findGenericStateForces(text, registry, 'Pakistan').map((m) => [m.text, m.actor.id]);
  assert.deepEqual(forces('Rebels fired rockets at a naval station and an army camp near the coast.'), [
    ['naval', 'military-forces-of-pakistan'],
    ['army camp', 'military-forces-of-pakistan'],
  ]);
  // a group's own name is no state force: "Liberation Army camp" stays the group's
  const named = 'On 3 May 2024 the Baloch Liberation Army camp was raided.';
  const e = extractDocument(named, { published: '2024-05-05', gazetteer }).events[0];
  assert.notEqual(e?.actor2, 'Military Forces of Pakistan');
  const [attack] = extractDocument('On 3 May 2024 the BLF attacked a navy post in Gwadar.', {
    published: '2024-05-05',
    gazetteer,
  }).events;
  assert.deepEqual(
    [attack?.actor1, attack?.actor2],
    ['Baloch Liberation Front', 'Military Forces of Pakistan'],
  );
});
