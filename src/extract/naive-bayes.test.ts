import assert from 'node:assert/strict';
import { test } from 'node:test';
import { features, predictNaiveBayes, trainNaiveBayes } from './naive-bayes.ts';

test('learns which words go with which label and keeps only counts', () => {
  const examples = [
    { text: 'a grenade was hurled at the shop', label: 'Grenade' },
    { text: 'militants lobbed a grenade at a post', label: 'Grenade' },
    { text: 'a roadside bomb went off near a convoy', label: 'IED' },
    { text: 'an improvised bomb exploded near the road', label: 'IED' },
  ];
  const model = trainNaiveBayes(examples, 0);
  assert.equal(predictNaiveBayes(model, 'someone threw a grenade')[0]?.label, 'Grenade');
  assert.equal(predictNaiveBayes(model, 'a bomb near the road')[0]?.label, 'IED');
  const serialised = JSON.stringify(model);
  assert.ok(!serialised.includes('lobbed a grenade at'), 'no phrase longer than a bigram survives');
  assert.deepEqual(features('Two 12 men'), ['two', 'two #', '#', '# men', 'men']);
});
