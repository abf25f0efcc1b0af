import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combineCounts, findCounts } from './numbers.ts';
import { splitSentences } from './segment.ts';

const best = (text: string, role: 'killed' | 'injured' | 'held') => {
  // as extraction reads them: sentence by sentence
  const mentions = splitSentences(text).flatMap((s) => findCounts(text, s.start, s.end));
  for (const m of mentions) assert.ok(m.end > m.start && m.end <= text.length);
  return combineCounts(mentions, role)?.count.best ?? null;
};

test('digits and words, killed versus injured', () => {
  const text = 'Two guards were killed and 5 others were wounded in the raid.';
  assert.equal(best(text, 'killed'), 2);
  assert.equal(best(text, 'injured'), 5);
  assert.equal(best(text, 'held'), null);
});

test('coordinated subjects add up, active verbs take their object', () => {
  assert.equal(best('Four policemen and two attackers were killed in a gunfight.', 'killed'), 6);
  assert.equal(
    best('Gunmen opened fire on a van, killing one man and injuring twenty-three others.', 'killed'),
    1,
  );
  assert.equal(
    best('Gunmen opened fire on a van, killing one man and injuring twenty-three others.', 'injured'),
    23,
  );
});

test('a singular victim counts as one; silence is null', () => {
  assert.equal(best('A shopkeeper was shot dead near the market.', 'killed'), 1);
  assert.equal(best('Rebels fired rockets at a checkpoint.', 'killed'), null);
  assert.equal(best('Rebels fired 3 rockets at a checkpoint.', 'killed'), null);
});

test('vague and bounded amounts are conservative', () => {
  const held = combineCounts(findCounts('Rebels hijacked a bus carrying more than 40 passengers.'), 'held');
  assert.deepEqual(held?.count, { low: 40, best: 40, high: null });
  assert.equal(best('Several soldiers were killed in the ambush.', 'killed'), 3);
  assert.equal(best('Dozens of people were injured.', 'injured'), 24);
  assert.equal(best('At least 12 people died.', 'killed'), 12);
});

test('explicit codings and "no casualties" win', () => {
  assert.equal(best('Troops were hit; many were killed. Unknown fatalities coded as 3.', 'killed'), 3);
  assert.equal(best('A bomb exploded. There were no casualties.', 'killed'), 0);
  assert.equal(best('A bomb exploded. There were no casualties.', 'injured'), 0);
  assert.equal(best('A bomb exploded near a post. Casualties unknown.', 'killed'), null);
  assert.equal(best('One guard was killed. 1 fatality.', 'killed'), 1);
});

test('measures are not people', () => {
  assert.equal(best('Militants blew up a 12-inch pipeline 5 km away and two were injured.', 'injured'), 2);
  assert.equal(best('Militants blew up a 12-inch pipeline 5 km away and two were injured.', 'killed'), null);
});

test('subsets, appositives and restatements are not counted twice', () => {
  assert.equal(best('Nine people, including two children, were killed.', 'killed'), 9);
  assert.equal(best('A blast killed two people, a farmer and his son.', 'killed'), 2);
  assert.equal(best('Four guards died in the raid. Two of the four dead were brothers.', 'killed'), 4);
  assert.equal(best('Four guards died in the raid. Another two died later in hospital.', 'killed'), 6);
});

test('an active subject is not a victim; a suicide attacker who detonated is', () => {
  assert.equal(best('A gunman killed three shoppers.', 'killed'), 3);
  assert.equal(best('A suicide bomber blew himself up at a checkpoint, killing four guards.', 'killed'), 5);
  assert.equal(best('A suicide bomber blew himself up at a gate; two guards were hurt.', 'killed'), 1);
  assert.equal(
    best('The rebels claimed 40 troops were killed; police said 3 troops were killed.', 'killed'),
    3,
  );
});
