import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/data` beside the repository (the CI copy sits in the same place). */
export const SHARED_DATA =
  process.env.SITREP_SHARED_DATA ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data');

/**
 * Path of a file in ../shared/data, or `undefined` when it is missing outside CI (tests then skip).
 * Under CI=true a missing file throws: CI must never pass by skipping the real-data tests.
 */
export function sharedFile(name: string): string | undefined {
  const path = join(SHARED_DATA, name);
  if (existsSync(path)) return path;
  if (process.env.CI === 'true') throw new Error(`shared data missing under CI: ${path}`);
  return undefined;
}
