import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankEvent } from '../../schema/index.ts';
import { formatEventLine } from './events.ts';

test('an event line shows the date only as precisely as the source gave it', () => {
  const event = (eventDate: string, timePrecision: 'day' | 'month' | 'year') =>
    formatEventLine(blankEvent({ id: 'x', source: 'text', sourceId: 'x', eventDate, timePrecision }));
  assert.match(event('2024-10-01', 'month'), /^2024-10 {5}text/);
  assert.match(event('2016-01-01', 'year'), /^2016 {8}text/);
  assert.match(event('2024-06-30', 'day'), /^2024-06-30 {2}text/);
});

test('two sources that share a prefix stay apart in the source column', () => {
  const line = (source: string) =>
    formatEventLine(blankEvent({ id: 'x', source, sourceId: 'x', eventDate: '2008-09-20' }), 24);
  assert.match(line('pakistan-suicide-attacks'), /^2008-09-20 {2}pakistan-suicide-attacks /);
  assert.match(line('pakistan-drone-strikes'), /^2008-09-20 {2}pakistan-drone-strikes {3}/);
});

test('a toll read from a vague word ("killed many") is shown as ~N, an exact or missing one as it is', () => {
  const deaths = (best: number | null, raw: Record<string, unknown> | null) =>
    formatEventLine(
      blankEvent({
        id: 'x',
        source: 'text',
        sourceId: 'x',
        eventDate: '2014-06-15',
        fatalities: { low: best, best, high: best },
        raw,
      }),
    )
      .trimEnd()
      .split(' ')
      .at(-1);
  assert.equal(deaths(3, { vague_counts: ['killed'] }), '~3');
  assert.equal(deaths(3, { vague_counts: ['injured'] }), '3');
  assert.equal(deaths(3, null), '3');
  assert.equal(deaths(null, null), '-');
});

test('an event line names a place once when its district repeats it', () => {
  const line = formatEventLine(
    blankEvent({
      id: 'x',
      source: 'text',
      sourceId: 'x',
      eventDate: '2024-10-06',
      location: 'Karachi',
      admin2: 'Karachi',
      admin1: 'Sindh',
    }),
  );
  assert.match(line, / Karachi, Sindh /);
});
