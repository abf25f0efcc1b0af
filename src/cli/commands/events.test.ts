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
