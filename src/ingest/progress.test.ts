import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_PROGRESS, progressBar } from './progress.ts';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = {
    isTTY,
    columns: 80,
    write: (s: string) => writes.push(s) > 0,
  } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('progressBar', () => {
  it('draws nothing when stderr is not a terminal', () => {
    const { stream, writes } = fakeStream(false);
    const bar = progressBar('file.csv', 1000, stream);
    assert.equal(bar, NO_PROGRESS);
    bar.update(500, 10);
    bar.done();
    assert.deepEqual(writes, []);
  });

  it('redraws one line at most ten times a second, and ends it', () => {
    const { stream, writes } = fakeStream(true);
    let clock = 1000;
    const bar = progressBar('file.csv', 1000, stream, () => clock);
    bar.update(250, 5000);
    clock += 50;
    bar.update(500, 10000); // too soon: skipped
    clock += 100;
    bar.update(750, 15000);
    bar.done();
    assert.equal(writes.length, 4);
    assert.match(writes[0] ?? '', /^\rfile\.csv \[#{8}\.{22}\] 25% 5,000 rows/);
    assert.match(writes[1] ?? '', /75% 15,000 rows/);
    assert.match(writes[2] ?? '', /100% 15,000 rows/);
    assert.equal(writes[3], '\n');
  });
});
