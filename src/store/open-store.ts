import type { Store } from './contract.ts';
import { DuckDBDriver } from './duckdb/driver.ts';
import { PostgresDriver } from './postgres/driver.ts';
import { SqlStore } from './sql-store.ts';

export const DEFAULT_DB = './sitrep.duckdb';

/** Where the store is: `--db`, else `SITREP_DB`, else `./sitrep.duckdb`. */
export function resolveDbLocation(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.SITREP_DB ?? DEFAULT_DB;
}

/**
 * Opens (and migrates) the store a location names: a `postgres://` URL is the server store,
 * anything else a DuckDB file (`:memory:` for a throwaway one).
 */
export async function openStore(location: string, options: { now?: () => Date } = {}): Promise<Store> {
  const driver = /^postgres(ql)?:\/\//.test(location)
    ? new PostgresDriver(location)
    : await DuckDBDriver.open(location);
  const store = new SqlStore(driver, options.now);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw new Error(`cannot open store ${location}: ${(error as Error).message}`, { cause: error });
  }
  return store;
}
