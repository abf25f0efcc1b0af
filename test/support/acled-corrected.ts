import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
