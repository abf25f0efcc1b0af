import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeSyntheticAcled } from '../bench/synthetic-acled.ts';
import { openStore } from '../src/store/open-store.ts';

// Several 5,000-event chunks, so the kill lands while rows are being staged, well before the commit.
const ROWS = 10_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI as a child process; `killWhen` sees stderr and may SIGKILL it. */
function cli(args: string[], killWhen?: (stderr: string) => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, SITREP_TRACE_INGEST: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (killWhen?.(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('ingest survives kill -9', () => {
  let dir: string;
  let csv: string;
  let db: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sitrep-crash-'));
    csv = join(dir, 'acled-synthetic.csv');
    db = join(dir, 'crash.duckdb');
    await writeSyntheticAcled(csv, ROWS);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a kill mid-file leaves nothing half-stored; a re-run stores every row once and prints the --json report', async () => {
    const killed = await cli(['ingest', csv, '--db', db], (stderr) => /staged \d+/.test(stderr));
    assert.equal(
      killed.signal,
      'SIGKILL',
      `the child was killed while staging (stderr: ${killed.stderr.slice(0, 300)})`,
    );
    assert.match(killed.stderr, /staged [1-9]\d*/);

    const store = await openStore(db);
    try {
      const [state] = await store.query(
        'SELECT (SELECT COUNT(*) FROM events) AS n, (SELECT COUNT(*) FROM import_batches) AS batches',
      );
      assert.deepEqual([state?.n, state?.batches], [0, 0], 'no partial batch is visible after the crash');
    } finally {
      await store.close();
    }

    const rerun = await cli(['ingest', csv, '--db', db, '--json']);
    assert.equal(rerun.code, 0, rerun.stderr);
    const report = JSON.parse(rerun.stdout) as {
      files: Record<string, unknown>[];
      skipped: unknown[];
      totals: Record<string, number>;
    };
    assert.deepEqual(Object.keys(report).sort(), ['files', 'placesLearned', 'skipped', 'totals']);
    assert.deepEqual(Object.keys(report.files[0] ?? {}).sort(), [
      'actorsLearned',
      'batchId',
      'file',
      'format',
      'inserted',
      'mapping',
      'rejected',
      'rejects',
      'rowsRead',
      'seconds',
      'sha256',
      'source',
      'stored',
      'unchanged',
      'updated',
    ]);
    assert.deepEqual(report.totals, {
      rowsRead: ROWS,
      stored: ROWS,
      inserted: ROWS,
      updated: 0,
      unchanged: 0,
      rejected: 0,
    });

    const after = await openStore(db);
    try {
      const [counts] = await after.query('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids FROM events');
      assert.deepEqual([counts?.n, counts?.ids], [ROWS, ROWS]);
      assert.equal((await after.listBatches()).length, 1);
    } finally {
      await after.close();
    }
  });
});
