import { existsSync } from 'node:fs';
import type { Store } from './contract.ts';
import { DuckDBDriver } from './duckdb/driver.ts';
import { PostgresDriver } from './postgres/driver.ts';
import { SqlStore } from './sql-store.ts';

export const DEFAULT_DB = './sitrep.duckdb';

/** Where the store is: `--db`, else `SITREP_DB`, else `./sitrep.duckdb`. */
export function resolveDbLocation(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.SITREP_DB ?? DEFAULT_DB;
}

export interface OpenOptions {
  now?: () => Date;
  /**
   * The caller only reads: a DuckDB file is then opened read-only, so that several readers (a `sitrep
   * serve` without a token, questions asked in other terminals) share it. Writing through such a store
   * fails. PostgreSQL stores ignore it: the server lets readers and writers work side by side.
   */
  readOnly?: boolean;
}

const isPostgres = (location: string) => /^postgres(ql)?:\/\//.test(location);

/**
 * A store's location as it may be printed: a password in a `postgres://` URL becomes `***`, so it stays out
 * of a shared server's logs and terminals.
 *
 * @example displayLocation('postgres://app:secret@db/sitrep') // 'postgres://app:***@db/sitrep'
 */
export function displayLocation(location: string): string {
  return isPostgres(location)
    ? location.replace(/^(postgres(?:ql)?:\/\/[^:/?#@]*):[^@/?#]*@/, '$1:***@')
    : location;
}

/**
 * Opens (and migrates) the store a location names: a `postgres://` URL is the server store,
 * anything else a DuckDB file (`:memory:` for a throwaway one).
 */
export async function openStore(location: string, options: OpenOptions = {}): Promise<Store> {
  if (options.readOnly && !isPostgres(location) && location !== ':memory:')
    return openReadOnly(location, options);
  const driver = isPostgres(location) ? new PostgresDriver(location) : await DuckDBDriver.open(location);
  const store = new SqlStore(driver, options.now);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw new Error(`cannot open store ${displayLocation(location)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return store;
}

/**
 * A DuckDB file opened read-only. Creating the file or applying a migration writes, so a store that is
 * missing or behind is first opened for writing (which needs the file alone) and then again read-only.
 */
async function openReadOnly(location: string, options: OpenOptions): Promise<Store> {
  const writable = () => openStore(location, { ...(options.now ? { now: options.now } : {}) });
  if (!existsSync(location)) await (await writable()).close();
  const open = async () => new SqlStore(await DuckDBDriver.open(location, { readOnly: true }), options.now);
  let store = await open();
  const pending = await store.pendingMigrations();
  if (pending.length) {
    await store.close();
    await (
      await writable().catch((error: unknown) => {
        throw new Error(
          `cannot open store ${location}: it needs an upgrade (migration ${pending.join(', ')}) before it can be read, and that needs the file alone: ${(error as Error).message}`,
          { cause: error },
        );
      })
    ).close();
    store = await open();
  }
  return store;
}
