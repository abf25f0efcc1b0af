import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyByRules, classifyEvent } from './event-type.ts';
import { defaultModels } from './extract-document.ts';
import { trainNaiveBayes } from './naive-bayes.ts';

test('rules name both taxonomies and point at the cue', () => {
  const text = 'Insurgents hurled a grenade at a police post.';
  const guess = classifyByRules(text);
  assert.equal(guess.subEventType, 'Grenade');
  assert.equal(guess.eventType, 'Explosions/Remote violence');
  assert.equal(guess.attackType, 'Bombing/Explosion');
  assert.equal(text.slice(guess.cue!.start, guess.cue!.end), 'grenade');
});

test('armed attacks split by who was targeted', () => {
  assert.equal(classifyByRules('Gunmen opened fire on an army convoy.').subEventType, 'Armed clash');
  assert.equal(classifyByRules('Gunmen opened fire on a group of labourers.').subEventType, 'Attack');
  assert.equal(
    classifyByRules('Gunmen opened fire on a group of labourers.').eventType,
    'Violence against civilians',
  );
  assert.equal(classifyByRules('Rebels seized a passenger train.').attackType, null);
  assert.equal(classifyByRules('Rebels hijacked a passenger train.').attackType, 'Hijacking');
  assert.equal(classifyByRules('Nothing happened today.').eventType, null);
});

test('a confident model overrides the rules, an unsure one does not', () => {
  const model = trainNaiveBayes(
    [
      { text: 'rockets were fired at a camp', label: 'Shelling/artillery/missile attack' },
      { text: 'rockets hit the camp', label: 'Shelling/artillery/missile attack' },
      { text: 'gunmen attacked the camp', label: 'Armed clash' },
    ],
    0,
  );
  assert.equal(
    classifyEvent('rockets were fired at a camp', { acledSubType: model }).subEventType,
    'Shelling/artillery/missile attack',
  );
  assert.equal(classifyEvent('a grenade', { acledSubType: model }, 0, 0.99).subEventType, 'Grenade');
});

test('ACLED definitions: explosives inside a firefight are a battle, used one-sidedly they are remote violence', () => {
  const acledSubType = trainNaiveBayes(
    [
      { text: 'a grenade was thrown at a post', label: 'Grenade' },
      { text: 'militants fired on troops at a post', label: 'Armed clash' },
    ],
    0,
  );
  const inFight = classifyEvent('Rebels threw a grenade at a post and exchanged fire with troops.', {
    acledSubType,
  });
  assert.equal(inFight.eventType, 'Battles');
  const oneSided = classifyEvent('Rebels hurled a grenade at a post.', { acledSubType });
  assert.equal(oneSided.subEventType, 'Grenade');
});

test('a head leaning to bombings does not make a bombing of a passage that names no explosive', () => {
  const model = trainNaiveBayes([
    { text: 'militants attacked a police post killing two', label: 'Bombing/Explosion' },
    { text: 'a bomb went off near a police post', label: 'Bombing/Explosion' },
    { text: 'gunmen shot a shopkeeper', label: 'Armed Assault' },
  ]);
  const models = { gtdAttackType: model };
  const attack = 'BLA militants attacked a police post in Quetta, killing two policemen.';
  assert.equal(classifyEvent(attack, models).attackType, 'Armed Assault');
  assert.equal(
    classifyEvent('Militants blew up a police post in Quetta, killing two policemen.', models).attackType,
    'Bombing/Explosion',
  );
});

test('a massacre is violence against civilians, whatever the trained head leans to (shipped model)', () => {
  const guess = classifyEvent('the 2014 Army Public School massacre in Peshawar', defaultModels());
  assert.deepEqual([guess.eventType, guess.subEventType], ['Violence against civilians', 'Attack']);
});
