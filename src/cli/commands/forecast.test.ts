import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanAboveRangeNote } from './forecast.ts';

const row = (unit: string, events: [number, number, number], fatalities: [number, number, number]) => ({
  unit,
  month: '2024-07',
  events: { mean: events[0], intervals: { 80: [events[1], events[2]] as [number, number] } },
  fatalities: { mean: fatalities[0], intervals: { 80: [fatalities[1], fatalities[2]] as [number, number] } },
});

test('the forecast table explains expected values above their own 80 % range, and only those', () => {
  assert.equal(meanAboveRangeNote([row('Quetta', [3.2, 1, 6], [5, 0, 12])]), null);
  // At the top of the range is not above it.
  assert.equal(meanAboveRangeNote([row('Kech', [1, 0, 1], [1, 0, 1])]), null);
  const note = meanAboveRangeNote([
    row('Quetta', [3.2, 1, 6], [5, 0, 12]),
    row('Awaran', [0.4, 0, 1], [4.8, 0, 1]),
  ]);
  assert.match(note ?? '', /in 1 of 4 figures/);
  assert.match(note ?? '', /Awaran 2024-07: 4\.8 fatalities against 0–1/);
});
