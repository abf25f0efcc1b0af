import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { EventRecord } from '../../src/schema/index.ts';
import type { Store } from '../../src/store/contract.ts';
import { openStore } from '../../src/store/open-store.ts';

/** The PostgreSQL server the tests use; override with SITREP_TEST_PG. */
export const TEST_PG_URL = process.env.SITREP_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore {
  store: Store;
  /** Where it lives, to open it again (as another process would). */
  location: string;
  cleanup(): Promise<void>;
}

export type StoreKind = 'duckdb' | 'postgres';
export const STORE_KINDS: StoreKind[] = ['duckdb', 'postgres'];

/** A fresh, empty, migrated store of the given kind: a DuckDB file in a temp dir, or its own PG schema. */
export async function freshStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'duckdb') {
    const dir = mkdtempSync(join(tmpdir(), 'sitrep-test-'));
    const location = join(dir, 'test.duckdb');
    const store = await openStore(location);
    return {
      store,
      location,
      async cleanup() {
        await store.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `sitrep_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const location = `${TEST_PG_URL}?schema=${schema}`;
  const store = await openStore(location);
  return {
    store,
    location,
    async cleanup() {
      await store.close().catch(() => undefined);
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

/** A fresh store holding `events`, written as one import, as a file of them would be. */
export async function storeWith(kind: StoreKind, events: readonly EventRecord[]): Promise<TestStore> {
  const t = await freshStore(kind);
  const writer = await t.store.beginImport({ file: 'fixture', sha256: 'x', format: 'test' });
  await writer.add(events);
  await writer.finish({ rowsRead: events.length, rowsRejected: 0 });
  return t;
}
