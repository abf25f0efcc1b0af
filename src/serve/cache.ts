import type { MiddlewareHandler } from 'hono';
import type { Queryable } from '../store/contract.ts';

export interface ResponseCacheOptions {
  maxEntries?: number;
  /** Largest body kept, in bytes. */
  maxBodyBytes?: number;
  /** How long a data-version reading is trusted before the store is asked again (ms). */
  versionTtlMs?: number;
  now?: () => number;
}

interface Entry {
  version: string;
  status: number;
  contentType: string;
  body: string;
}

/**
 * What the answers depend on, read cheaply: the newest event write, the import count, and the analysis
 * tables' sizes and last changes. Any write through this API also invalidates at once.
 */
const VERSION_SQL = `SELECT CAST((SELECT MAX(updated_at) FROM events) AS TEXT) AS events_at,
  (SELECT COUNT(*) FROM import_batches) AS batches,
  (SELECT COUNT(*) FROM actors) AS actors,
  (SELECT COUNT(*) FROM actor_aliases) AS aliases,
  (SELECT COUNT(*) FROM sites) AS sites, CAST((SELECT MAX(created_at) FROM sites) AS TEXT) AS sites_at,
  (SELECT COUNT(*) FROM actor_groups) AS groups, CAST((SELECT MAX(created_at) FROM actor_groups) AS TEXT) AS groups_at,
  (SELECT COUNT(*) FROM actor_mergers) AS mergers, (SELECT COUNT(*) FROM actor_relations) AS relations`;

/**
 * Caches successful GET answers under their URL until the store's data change, and lets concurrent
 * identical requests share one computation. Analysts and the dashboard ask the same questions over and
 * over; a million-event aggregation need not run fifty times for fifty clients. On PostgreSQL answers may lag
 * a write made by another process by at most `versionTtlMs`; on DuckDB they never lag (the store counts its
 * writes).
 */
export function responseCache(
  db: Queryable,
  options: ResponseCacheOptions = {},
): { middleware: MiddlewareHandler; invalidate(): void } {
  const maxEntries = options.maxEntries ?? 500;
  const maxBodyBytes = options.maxBodyBytes ?? 5 * 1024 * 1024;
  const ttl = options.versionTtlMs ?? 1000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, Promise<Entry | null>>();
  let local = 0;
  let known: { value: string; at: number } | null = null;
  let reading: Promise<string> | null = null;

  const read = (): Promise<string> => {
    if (reading) return reading;
    const generation = local;
    const at = now();
    reading = db
      .query(VERSION_SQL)
      .then((rows) => {
        const value = `${generation}:${JSON.stringify(rows[0] ?? {})}`;
        if (generation === local) known = { value, at };
        return value;
      })
      .finally(() => {
        reading = null;
      });
    return reading;
  };
  /**
   * The data version. Once one is known, a stale reading is refreshed in the background rather than
   * awaited, so a busy store never holds up cached answers (they lag a foreign write by ≤ ttl + one read).
   */
  const currentVersion = async (): Promise<string> => {
    // A store that counts every write to its database (DuckDB, open in this process alone) is exact and
    // free to ask: no reading, and no lag behind a write made around the API.
    const writes = db.writeCount?.();
    if (writes !== undefined) return `${local}:writes:${writes}`;
    if (!known) return read();
    if (now() - known.at >= ttl) read().catch(() => undefined);
    return known.value;
  };
  const invalidate = () => {
    local++;
    known = null;
    entries.clear();
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== 'GET') {
      await next();
      // POST /api/check only reads; every other accepted non-GET request changed something.
      if (c.req.method !== 'OPTIONS' && c.req.path !== '/api/check' && c.res.status < 400) invalidate();
      return;
    }
    const key = c.req.url;
    const v = await currentVersion();
    const respond = (e: Entry) =>
      c.body(e.body, e.status as 200, { 'content-type': e.contentType, 'x-cache': 'hit' });
    const hit = entries.get(key);
    if (hit && hit.version === v) {
      entries.delete(key);
      entries.set(key, hit);
      return respond(hit);
    }
    const flightKey = `${v}\u0000${key}`;
    const pending = inflight.get(flightKey);
    if (pending) {
      const shared = await pending;
      if (shared) return respond(shared);
    }
    let settle: (entry: Entry | null) => void = () => undefined;
    inflight.set(flightKey, new Promise((resolve) => (settle = resolve)));
    let entry: Entry | null = null;
    try {
      await next();
      const contentType = c.res.headers.get('content-type') ?? '';
      if (c.res.status === 200 && /json/.test(contentType)) {
        const body = await c.res.clone().text();
        if (body.length <= maxBodyBytes) {
          entry = { version: v, status: 200, contentType, body };
          entries.set(key, entry);
          if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
        }
      }
    } finally {
      settle(entry);
      inflight.delete(flightKey);
    }
  };
  return { middleware, invalidate };
}
