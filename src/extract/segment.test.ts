import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitSentences } from './segment.ts';

test('sentences keep their offsets and skip abbreviations', () => {
  const text =
    'Lt. Gen. Khan spoke on Monday. Three soldiers died in the U.S. camp.\nA new paragraph starts here.';
  const sentences = splitSentences(text);
  assert.deepEqual(
    sentences.map((s) => s.text),
    [
      'Lt. Gen. Khan spoke on Monday.',
      'Three soldiers died in the U.S. camp.',
      'A new paragraph starts here.',
    ],
  );
  for (const s of sentences) assert.equal(text.slice(s.start, s.end), s.text);
  assert.deepEqual(
    sentences.map((s) => s.paragraph),
    [0, 0, 1],
  );
});

test('decimals and lower-case continuations do not split', () => {
  const sentences = splitSentences('The rate rose 2.5 per cent. it was said. Next one.');
  assert.equal(sentences.length, 2);
});
