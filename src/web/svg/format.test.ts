import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countNoun, formatEventDate, sourceLabel } from './format.ts';

test('an event date is shown only as precisely as its source gave it', () => {
  assert.equal(formatEventDate('2024-10-01', 'month'), 'Oct 2024');
  assert.equal(formatEventDate('2016-01-01', 'year'), '2016');
  assert.equal(formatEventDate('2025-03-03', 'week'), 'week of 2025-03-03');
  assert.equal(formatEventDate('2024-06-30', 'day'), '2024-06-30');
  assert.equal(formatEventDate('2024-06-30', null), '2024-06-30');
});

test('a document source that is a file path reads as its file name; other sources as they are', () => {
  assert.equal(
    sourceLabel('../shared/samples/analysis-balochistan-2025.txt'),
    'analysis-balochistan-2025.txt',
  );
  assert.equal(sourceLabel('/work/shared/samples/a.txt'), 'a.txt');
  assert.equal(sourceLabel('news/2025/a.html'), 'a.html');
  assert.equal(sourceLabel('C:\\news\\a.txt'), 'a.txt');
  assert.equal(sourceLabel('wire'), 'wire');
  assert.equal(sourceLabel('<i>Wire</i>'), '<i>Wire</i>');
  assert.equal(sourceLabel('https://example.org/news/a'), 'https://example.org/news/a');
  assert.equal(sourceLabel('Dawn / Karachi'), 'Dawn / Karachi');
});

test('a count takes the singular noun only for one', () => {
  assert.equal(countNoun(1, 'event'), '1 event');
  assert.equal(countNoun(0, 'event'), '0 events');
  assert.equal(countNoun(2819, 'event'), '2,819 events');
  assert.equal(countNoun(1, 'fatality', 'fatalities'), '1 fatality');
  assert.equal(countNoun(3, 'fatality', 'fatalities'), '3 fatalities');
});
