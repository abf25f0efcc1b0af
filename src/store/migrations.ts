import { EVENT_COLUMNS } from './columns.ts';

export type Dialect = 'duckdb' | 'postgres';

export interface Migration {
  version: number;
  name: string;
  /** The same SQL for both dialects, or one per dialect where they differ. */
  sql: string | Record<Dialect, string>;
}

const eventColumnsDdl = EVENT_COLUMNS.map((c) => `${c.name} ${c.type}${c.name === 'id' ? ' PRIMARY KEY' : ''}`).join(
  ',\n  ',
);

/**
 * Ordered schema migrations. Append only; never edit one that has shipped.
 * Version ranges by stage keep parallel work from colliding: 1xx foundation, 2xx extraction,
 * 3xx analysis, 4xx resolution, 5xx streams.
 */
export const MIGRATIONS: Migration[] = [
  {
    version: 100,
    name: 'events, import batches, actors',
    sql: `
CREATE TABLE IF NOT EXISTS events (
  ${eventColumnsDdl},
  content_hash TEXT NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS events_source_idx ON events (source);
CREATE INDEX IF NOT EXISTS events_date_idx ON events (event_date);
CREATE TABLE IF NOT EXISTS import_batches (
  id TEXT PRIMARY KEY,
  file TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  format TEXT NOT NULL,
  rows_read INTEGER NOT NULL,
  rows_stored INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  rows_inserted INTEGER NOT NULL,
  rows_updated INTEGER NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS actors (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT
);
CREATE TABLE IF NOT EXISTS actor_aliases (
  alias_key TEXT PRIMARY KEY,
  alias TEXT NOT NULL,
  actor_id TEXT NOT NULL
);
`,
  },
];
