import assert from 'node:assert/strict';
import { it } from 'node:test';
import { completeMonths, weeksBetween } from './timeline.ts';

it('fills the weeks with no events between the first and last week', () => {
  assert.deepEqual(weeksBetween('2024-12-23', '2025-01-13'), [
    '2024-12-23',
    '2024-12-30',
    '2025-01-06',
    '2025-01-13',
  ]);
  const filled = completeMonths([
    { period: '2024-12-23', byType: { Battles: { events: 2, fatalities: 1 } } },
    { period: '2025-01-06', byType: { Battles: { events: 1, fatalities: 0 } } },
  ]);
  assert.deepEqual(
    filled.map((b) => [b.period, Object.keys(b.byType).length]),
    [
      ['2024-12-23', 1],
      ['2024-12-30', 0],
      ['2025-01-06', 1],
    ],
  );
});

it('still fills months when the buckets are months', () => {
  const filled = completeMonths([
    { period: '2024-11', byType: {} },
    { period: '2025-02', byType: {} },
  ]);
  assert.deepEqual(
    filled.map((b) => b.period),
    ['2024-11', '2024-12', '2025-01', '2025-02'],
  );
});
