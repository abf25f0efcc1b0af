import assert from 'node:assert/strict';
import { test } from 'node:test';
import { predictLinear, trainLinearModel } from './linear-model.ts';
import { features } from './naive-bayes.ts';

test('logistic regression separates labels by their words and stores only weights', () => {
  const examples = [
    ...[
      'troops exchanged fire with rebels',
      'a gun battle with soldiers',
      'rebels fought troops for hours',
    ].map((text) => ({ text, label: 'clash' })),
    ...['a roadside bomb hit a van', 'a bomb tore through a bus', 'the bomb was planted by the road'].map(
      (text) => ({ text, label: 'bomb' }),
    ),
  ];
  const model = trainLinearModel(examples, { minCount: 1 });
  const top = (text: string) => predictLinear(model, new Set(features(text)))[0]?.label;
  assert.equal(top('a bomb near the road'), 'bomb');
  assert.equal(top('soldiers exchanged fire'), 'clash');
  assert.ok(!JSON.stringify(model).includes('tore through a bus'));
});
