import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'sitrep-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('a port another process holds is named, with the flag that picks another', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as AddressInfo;
  try {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port), '--db', join(dir, 's.duckdb')],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(r.status, 1, r.stdout);
    assert.match(
      r.stderr,
      new RegExp(
        `port ${port} on 127\\.0\\.0\\.1 is taken by another process .*pick another with --port, or --port 0`,
      ),
    );
  } finally {
    holder.close();
  }
});
