import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatEventDate } from './format.ts';

test('an event date is shown only as precisely as its source gave it', () => {
  assert.equal(formatEventDate('2024-10-01', 'month'), 'Oct 2024');
  assert.equal(formatEventDate('2016-01-01', 'year'), '2016');
  assert.equal(formatEventDate('2025-03-03', 'week'), 'week of 2025-03-03');
  assert.equal(formatEventDate('2024-06-30', 'day'), '2024-06-30');
  assert.equal(formatEventDate('2024-06-30', null), '2024-06-30');
});
