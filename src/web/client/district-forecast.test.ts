import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { districtOutlook, monthSpan, outlookTitle } from './district-forecast.ts';

const prediction = (mean: number, low: number, high: number) => ({
  mean,
  alpha: 0.5,
  median: Math.round(mean),
  intervals: { 50: [low, high], 80: [low, high], 95: [low, high] },
});

describe("the map's forecast layer", () => {
  const raw = {
    origin: '2024-06',
    forecasts: [
      {
        unit: 'Kech',
        month: '2024-08',
        horizon: 2,
        events: prediction(2, 0, 5),
        fatalities: prediction(1, 0, 4),
      },
      {
        unit: 'Kech',
        month: '2024-07',
        horizon: 1,
        events: prediction(3, 1, 6),
        fatalities: prediction(2, 0, 7),
      },
      {
        unit: 'Quetta',
        month: '2024-07',
        horizon: 1,
        events: prediction(0.5, 0, 2),
        fatalities: prediction(0.25, 0, 1),
      },
      { unit: 42, month: '2024-07', horizon: 1, events: prediction(9, 9, 9) },
    ],
  };

  it('sums each district over the months ahead and keeps the first month with its interval', () => {
    const f = districtOutlook(raw);
    assert.equal(f.origin, '2024-06');
    assert.deepEqual(f.months, ['2024-07', '2024-08']);
    assert.deepEqual(f.events.get('Kech'), { expected: 5, next: { mean: 3, low: 1, high: 6 } });
    assert.deepEqual(f.fatalities.get('Kech'), { expected: 3, next: { mean: 2, low: 0, high: 7 } });
    assert.equal(f.events.size, 2, 'a row without a district name is dropped');
  });

  it('says the span, the expectation and the next month in words', () => {
    const f = districtOutlook(raw);
    assert.equal(monthSpan(f.months), 'Jul – Aug 2024');
    assert.equal(monthSpan(['2024-11', '2025-04']), 'Nov 2024 – Apr 2025');
    assert.equal(
      outlookTitle('Kech', f, 'events'),
      'Kech: 5.0 events expected, Jul – Aug 2024 · Jul 2024: 3.0 (80 %: 1–6)',
    );
    assert.match(outlookTitle('Awaran', f, 'fatalities'), /no forecast/);
  });

  it('takes a malformed answer as no forecast', () => {
    const f = districtOutlook({ forecasts: 'nope' });
    assert.equal(f.events.size, 0);
    assert.deepEqual(f.months, []);
  });
});
