import type { Queryable } from '../store/contract.ts';

const TTL_MS = 2000;
const memos = new WeakMap<Queryable, Map<string, { at: number; value: Promise<unknown> }>>();

/**
 * Remembers a store-wide figure (data coverage, the number of districts) for a couple of seconds, so
 * that the several questions a dashboard asks at once do not each rescan a million events for it.
 * Failures are not remembered.
 */
export function memoised<T>(db: Queryable, key: string, compute: () => Promise<T>): Promise<T> {
  let table = memos.get(db);
  if (!table) {
    table = new Map();
    memos.set(db, table);
  }
  const now = Date.now();
  const cached = table.get(key);
  if (cached && now - cached.at < TTL_MS) return cached.value as Promise<T>;
  const value = compute();
  table.set(key, { at: now, value });
  if (table.size > 200) table.delete(table.keys().next().value as string);
  value.catch(() => table?.delete(key));
  return value;
}
