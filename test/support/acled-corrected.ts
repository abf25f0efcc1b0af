import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingestPaths } from '../../src/ingest/run-ingest.ts';
import { sharedFile } from './shared-data.ts';
import { freshStore, STORE_KINDS, type TestStore } from './stores.ts';

/**
 * Writes into `dir` the ACLED file with five more deaths in each of its first ten events, and returns its
 * path. Fatalities are not part of the id this file's events get from their other columns, so ingesting it
 * after the original updates those ten events in place.
 */
export function writeCorrectedAcled(acled: string, dir: string): string {
  const lines = readFileSync(acled, 'utf8').split('\n');
  const fatalitiesAt = (lines[0] ?? '').split(',').indexOf('fatalities');
  let changed = 0;
  for (let i = 1; i < lines.length && changed < 10; i++) {
    // The cells up to the fatalities hold no quotes in this file (the notes after them do).
    const line = lines[i] ?? '';
    const quote = line.indexOf('"');
    const cells = (quote < 0 ? line : line.slice(0, quote)).split(',');
    if (cells.length <= fatalitiesAt + 1) continue;
    cells[fatalitiesAt] = String(Number(cells[fatalitiesAt]) + 5);
    lines[i] = cells.join(',') + (quote < 0 ? '' : line.slice(quote));
    changed++;
  }
  if (changed !== 10) throw new Error(`${acled}: found ${changed} events to correct, not 10`);
  const corrected = join(dir, 'acled-corrected.csv');
  writeFileSync(corrected, lines.join('\n'));
  return corrected;
}

/**
 * For each store kind, a suite that ingests the shared ACLED file and then its corrected copy, and calls
 * `check` after each. It serves the sums every writer to `events` must keep (the network's monthly sums,
 * exposure's sums by position): a DuckDB store takes this file's rows straight from the CSV into `events`,
 * never staged, so the sums must follow that path too, and the corrected file's updates in place.
 */
export function describeAcledThenCorrected(
  title: string,
  check: (store: TestStore, after: 'first ingest' | 'corrected file') => Promise<void>,
): void {
  for (const kind of STORE_KINDS) {
    describe(`${title}: ${kind}`, () => {
      const acled = sharedFile('acled-balochistan-2020-2024h1.csv');
      let t: TestStore;
      let dir: string;
      before(async () => {
        t = await freshStore(kind);
        dir = mkdtempSync(join(tmpdir(), 'sitrep-acled-corrected-'));
      });
      after(async () => {
        await t?.cleanup();
        rmSync(dir, { recursive: true, force: true });
      });

      it('agrees with the events after the first ingest and after a corrected file', {
        skip: !acled,
      }, async () => {
        const first = await ingestPaths(t.store, [acled as string], { learnPlaces: false });
        assert.equal(first.files[0]?.inserted, 1341);
        await check(t, 'first ingest');
        const corrected = writeCorrectedAcled(acled as string, dir);
        const second = await ingestPaths(t.store, [corrected], { learnPlaces: false });
        assert.equal(second.files[0]?.updated, 10);
        await check(t, 'corrected file');
      });
    });
  }
}
