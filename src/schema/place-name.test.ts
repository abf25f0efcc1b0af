import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeLine } from './place-name.ts';

test('a place line says a name once when the next level repeats it, and skips missing levels', () => {
  assert.equal(placeLine(['Karachi', 'Karachi']), 'Karachi');
  assert.equal(
    placeLine(['Turbat', null, 'Kech', 'Balochistan', 'Pakistan']),
    'Turbat, Kech, Balochistan, Pakistan',
  );
  assert.equal(placeLine(['Quetta', 'quetta ', 'Balochistan']), 'Quetta, Balochistan');
  assert.equal(placeLine([null, '', undefined]), '');
});
