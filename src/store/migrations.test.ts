import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MIGRATIONS } from './migrations.ts';

describe('migrations', () => {
  it('have distinct versions, since a store records each version once', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    const repeated = versions.filter((v, i) => versions.indexOf(v) !== i);
    assert.deepEqual(repeated, []);
  });

  it('stay inside the stage ranges (1xx foundation … 5xx streams, 6xx ranges handed out per change)', () => {
    for (const m of MIGRATIONS) assert.ok(m.version >= 100 && m.version < 700, `${m.version} ${m.name}`);
  });
});
