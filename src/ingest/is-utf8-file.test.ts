import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isUtf8File } from './is-utf8-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'sitrep-utf8-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A file whose byte `at` starts `tail`: the reader's chunks are 1 MiB, so at = 2^20 - 1 splits a character. */
function fileWith(name: string, at: number, tail: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([Buffer.alloc(at, 'a'), tail, Buffer.from('\nend')]));
  return path;
}

describe('isUtf8File', () => {
  it('accepts characters split across the 1 MiB chunks it reads', async () => {
    for (const char of ['é', '€', '𝄞']) {
      for (let back = 1; back < Buffer.byteLength(char); back++) {
        assert.equal(
          await isUtf8File(fileWith(`ok-${back}.csv`, 2 ** 20 - back, Buffer.from(char))),
          true,
          char,
        );
      }
    }
  });

  it('refuses a Latin-1 byte, a cut character at the end, and a stray continuation byte', async () => {
    assert.equal(await isUtf8File(fileWith('latin1.csv', 10, Buffer.from([0x62, 0xe9, 0x62]))), false);
    assert.equal(await isUtf8File(fileWith('split-bad.csv', 2 ** 20 - 1, Buffer.from([0xe2, 0x28]))), false);
    const cut = join(dir, 'cut.csv');
    writeFileSync(cut, Buffer.from([0x61, 0xe2, 0x82]));
    assert.equal(await isUtf8File(cut), false);
    assert.equal(await isUtf8File(fileWith('stray.csv', 5, Buffer.from([0x80]))), false);
  });
});
