import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quoteClip } from './format.ts';

test('quoteClip cuts a long quote at a word with an ellipsis and leaves a short one alone', () => {
  const quote = 'the groups merged into a single force called the Balochistan National Army in March';
  assert.equal(quoteClip(quote, 200), quote);
  const cut = quoteClip(quote, 50);
  assert.ok(cut.length <= 50, cut);
  assert.equal(cut, 'the groups merged into a single force called the…');
  assert.equal(quoteClip('x'.repeat(30), 10), `${'x'.repeat(9)}…`, 'one long word is cut where it must');
});
