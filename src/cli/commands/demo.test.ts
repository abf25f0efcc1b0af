import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { displayPath } from './demo.ts';

test('demo names a path as briefly as it can be said from the working folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'sitrep-demo-'));
  const before = process.cwd();
  try {
    const repo = join(root, 'main');
    const deep = join(root, 'home', 'analyst', 'projects');
    const shared = join(root, 'shared', 'data');
    for (const dir of [repo, deep, shared]) mkdirSync(dir, { recursive: true });
    process.chdir(repo);
    assert.equal(
      displayPath(shared),
      join('..', 'shared', 'data'),
      'beside the repository, as the README says',
    );
    process.chdir(deep);
    assert.equal(displayPath(shared), shared, 'not ../../../shared/data');
  } finally {
    process.chdir(before);
    rmSync(root, { recursive: true, force: true });
  }
});
