import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forecastSeries } from './api.ts';

const prediction = (mean: number, low: number, high: number) => ({
  mean,
  intervals: { '50': [low, high] as [number, number], '80': [low, high] as [number, number] },
});

it('draws the forecast totals, one series per measure, so the fatalities view gets fatalities', () => {
  const series = forecastSeries([
    { month: '2024-08', events: prediction(2, 0, 5), fatalities: prediction(30, 4, 90) },
    { month: '2024-07', events: prediction(4, 1, 7), fatalities: prediction(15, 2, 41) },
  ]);
  assert.deepEqual(series.events, [
    { period: '2024-07', mid: 4, low: 1, high: 7 },
    { period: '2024-08', mid: 2, low: 0, high: 5 },
  ]);
  assert.deepEqual(series.fatalities, [
    { period: '2024-07', mid: 15, low: 2, high: 41 },
    { period: '2024-08', mid: 30, low: 4, high: 90 },
  ]);
});
