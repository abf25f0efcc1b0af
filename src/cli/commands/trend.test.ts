import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clip } from '../shared-options.ts';
import { shownPeriods } from './trend.ts';

const series = (...rows: number[][]) => rows.map((r) => ({ points: r.map((events) => ({ events })) }));

test('the trend table leaves out leading periods without events, then keeps the latest twelve', () => {
  assert.equal(shownPeriods(series([0, 0, 3, 4], [0, 1, 0, 0]), 4), 1);
  assert.equal(shownPeriods(series([1, 0, 3, 4]), 4), 0);
  const thirty = Array.from({ length: 30 }, (_, i) => (i === 0 || i > 20 ? 1 : 0));
  assert.equal(shownPeriods(series(thirty), 30), 18);
  assert.equal(shownPeriods(series([0, 0, 0]), 3), 2, 'a series without events still shows its last period');
  assert.equal(shownPeriods([], 0), 0);
});

test('a long actor name is cut with an ellipsis, never silently', () => {
  assert.equal(
    clip('BLA-AA: Baloch Liberation Army-Aslam Acho', 40),
    'BLA-AA: Baloch Liberation Army-Aslam Ac…',
  );
  assert.equal(clip('Baloch Liberation Army', 40), 'Baloch Liberation Army');
});
