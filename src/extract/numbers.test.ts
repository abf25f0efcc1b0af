import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combineCounts, findCounts } from './numbers.ts';

const best = (text: string, role: 'killed' | 'injured' | 'held') => {
  const mentions = findCounts(text);
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
