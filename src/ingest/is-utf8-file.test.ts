import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isUtf8File } from './is-utf8-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'sitrep-utf8-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A file whose byte `at` starts `tail`: read in chunks of 1 MiB, at = 2^20 - 1 splits a character. */
function fileWith(name: string, at: number, tail: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([Buffer.alloc(at, 'a'), tail, Buffer.from('\nend')]));
  return path;
}

describe('isUtf8File', () => {
  it('accepts characters split across the chunks it reads (1 MiB, 8 MiB by default, and 8 bytes)', async () => {
    for (const chunk of [2 ** 20, 8 * 2 ** 20]) {
      for (const char of ['é', '€', '𝄞']) {
        for (let back = 1; back < Buffer.byteLength(char); back++) {
          const path = fileWith(`ok-${back}.csv`, chunk - back, Buffer.from(char));
          assert.equal(
            await isUtf8File(path, chunk === 2 ** 20 ? chunk : undefined),
            true,
            `${char} ${chunk}`,
          );
        }
      }
    }
    const small = join(dir, 'small.csv');
    writeFileSync(small, 'é€𝄞'.repeat(100));
    // Chunks of 8 and 9 bytes split every character somewhere.
    for (const chunk of [8, 9]) assert.equal(await isUtf8File(small, chunk), true, `${chunk}`);
  });

  it('refuses a Latin-1 byte, a cut character at the end, and a stray continuation byte', async () => {
    assert.equal(await isUtf8File(fileWith('latin1.csv', 10, Buffer.from([0x62, 0xe9, 0x62]))), false);
    const splitBad = fileWith('split-bad.csv', 2 ** 20 - 1, Buffer.from([0xe2, 0x28]));
    assert.equal(await isUtf8File(splitBad, 2 ** 20), false);
    assert.equal(await isUtf8File(splitBad), false);
    assert.equal(
      await isUtf8File(fileWith('split-bad-8.csv', 8 * 2 ** 20 - 1, Buffer.from([0xe2, 0x28]))),
      false,
    );
    const cut = join(dir, 'cut.csv');
    writeFileSync(cut, Buffer.from([0x61, 0xe2, 0x82]));
    assert.equal(await isUtf8File(cut), false);
    assert.equal(await isUtf8File(cut, 8), false);
    assert.equal(await isUtf8File(fileWith('stray.csv', 5, Buffer.from([0x80]))), false);
  });
});
