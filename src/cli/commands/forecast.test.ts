import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanAboveRangeNote, totalsTable } from './forecast.ts';

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

test('the totals table says its range is the total’s own, not the sum of the units’ ranges', () => {
  const out = totalsTable([row('all', [55.14, 35, 81], [43.1, 1, 86])]);
  assert.match(out, /not the sum of the ranges above/);
  assert.match(out, /2024-07\s+55\.1\s+35–81\s+43\.1\s+1–86/);
});
