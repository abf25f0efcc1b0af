import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sumForecasts } from './api.ts';

const prediction = (mean: number, low: number, high: number) => ({
  mean,
  intervals: { '50': [low, high] as [number, number], '80': [low, high] as [number, number] },
});

it('sums the units of a forecast into one series per measure, so the fatalities view gets fatalities', () => {
  const series = sumForecasts([
    { month: '2024-08', events: prediction(2, 0, 5), fatalities: prediction(30, 4, 90) },
    { month: '2024-07', events: prediction(3, 1, 6), fatalities: prediction(10, 0, 40) },
    { month: '2024-07', events: prediction(1, 0, 2), fatalities: prediction(5, 1, 20) },
  ]);
  assert.deepEqual(series.events, [
    { period: '2024-07', mid: 4, low: 1, high: 8 },
    { period: '2024-08', mid: 2, low: 0, high: 5 },
  ]);
  assert.deepEqual(series.fatalities, [
    { period: '2024-07', mid: 15, low: 1, high: 60 },
    { period: '2024-08', mid: 30, low: 4, high: 90 },
  ]);
});
