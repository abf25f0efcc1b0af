import { ACTOR_INDEXES_DDL } from './actor-events.ts';
import {
  ACTOR_PAIR_MONTHS_DDL,
  ACTOR_PAIR_MONTHS_INDEX,
  ACTOR_PAIR_YEARS_DDL,
  ACTOR_PAIR_YEARS_INDEX,
  actorPairMonthsSelect,
  actorPairYearsSelect,
} from './actor-pair-months.ts';
import { canonicaliseStoredAdmin, fillDistrictsFromPoints } from './canonical-admin.ts';
import { EVENT_COLUMNS } from './columns.ts';
import type { Queryable } from './contract.ts';
import { rewriteEventsWithPageCompression } from './duckdb/event-compression.ts';
import {
  EVENT_PLACES_DDL,
  EVENT_PLACES_INDEX,
  EVENT_PLACES_SOURCE_COLUMNS,
  eventPlacesInsert,
} from './event-places.ts';
import { PLACE_MONTHS_DDL, PLACE_MONTHS_INDEX, placeMonthsSelect } from './place-months.ts';
import { tabulateStoredRecords } from './raw-record.ts';

export type Dialect = 'duckdb' | 'postgres';

export interface Migration {
  version: number;
  name: string;
  /** The same SQL for both dialects, or one per dialect where they differ. */
  sql: string | Record<Dialect, string>;
  /**
   * Work that SQL alone does not do, run after `sql` and before the version is recorded, in transactions of
   * its own (`transaction`): it must be safe to run again after an interruption.
   */
  run?: (
    transaction: <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>,
    dialect: Dialect,
    now: Date,
  ) => Promise<void>;
  /** The one dialect whose stores `run` rewrites; elsewhere it is skipped (and no upgrade notice shown). */
  runOnly?: Dialect;
}

const eventColumnsDdl = EVENT_COLUMNS.map(
  (c) => `${c.name} ${c.type}${c.name === 'id' ? ' PRIMARY KEY' : ''}`,
).join(',\n  ');

/** Tables of the analysis stage (3xx): user-defined actor groups, dated mergers, sites of interest. */
const ANALYSIS_TABLES = `
CREATE TABLE IF NOT EXISTS actor_groups (
  name TEXT PRIMARY KEY,
  description TEXT,
  details TEXT,
  created_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS actor_group_members (
  group_name TEXT NOT NULL,
  member TEXT NOT NULL,
  PRIMARY KEY (group_name, member)
);
CREATE TABLE IF NOT EXISTS actor_mergers (
  into_actor TEXT NOT NULL,
  member TEXT NOT NULL,
  effective_date DATE NOT NULL,
  evidence TEXT,
  PRIMARY KEY (into_actor, member)
);
CREATE TABLE IF NOT EXISTS sites (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT,
  geometry TEXT NOT NULL,
  min_lon DOUBLE PRECISION NOT NULL,
  min_lat DOUBLE PRECISION NOT NULL,
  max_lon DOUBLE PRECISION NOT NULL,
  max_lat DOUBLE PRECISION NOT NULL,
  created_at TIMESTAMP NOT NULL
)`;

/**
 * Ordered schema migrations. Append only; never edit one that has shipped.
 * Version ranges by stage keep parallel work from colliding: 1xx foundation, 2xx extraction,
 * 3xx analysis, 4xx resolution, 5xx streams; 6xx the changes of session 5 (6x0–6x9 per helper).
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
  {
    version: 300,
    name: 'analysis: actor groups, dated mergers, sites, query indexes',
    sql: {
      duckdb: ANALYSIS_TABLES,
      // DuckDB answers range scans from its zone maps; PostgreSQL needs B-tree indexes for them.
      postgres: `${ANALYSIS_TABLES};
CREATE INDEX IF NOT EXISTS events_admin2_idx ON events (admin2, event_date);
CREATE INDEX IF NOT EXISTS events_actor1_id_idx ON events (actor1_id, event_date);
CREATE INDEX IF NOT EXISTS events_actor2_id_idx ON events (actor2_id, event_date);
CREATE INDEX IF NOT EXISTS events_actor1_idx ON events (actor1);
CREATE INDEX IF NOT EXISTS events_lat_lon_idx ON events (latitude, longitude);
CREATE INDEX IF NOT EXISTS events_updated_idx ON events (updated_at)`,
    },
  },
  {
    version: 301,
    name: 'analysis: dated actor relations extracted from text',
    sql: `
CREATE TABLE IF NOT EXISTS actor_relations (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  source_actor TEXT NOT NULL,
  target_actor TEXT NOT NULL,
  relation_date DATE,
  evidence TEXT,
  origin TEXT,
  created_at TIMESTAMP NOT NULL
)`,
  },
  {
    version: 302,
    name: 'analysis: events summed per month and actor combination, for the actor network',
    sql: {
      duckdb: `${ACTOR_PAIR_MONTHS_DDL};
INSERT INTO actor_pair_months ${actorPairMonthsSelect('TRUE')}`,
      postgres: `${ACTOR_PAIR_MONTHS_DDL};
${ACTOR_PAIR_MONTHS_INDEX};
INSERT INTO actor_pair_months ${actorPairMonthsSelect('TRUE')}`,
    },
  },
  {
    version: 320,
    name: 'analysis: events summed per position by month and by actor, for exposure',
    sql: {
      duckdb: `${EVENT_PLACES_DDL};
${eventPlacesInsert(`SELECT ${EVENT_PLACES_SOURCE_COLUMNS}, 1 AS sign FROM events`)}`,
      postgres: `${EVENT_PLACES_DDL};
${EVENT_PLACES_INDEX};
${eventPlacesInsert(`SELECT ${EVENT_PLACES_SOURCE_COLUMNS}, 1 AS sign FROM events`)}`,
    },
  },
  {
    version: 500,
    name: 'stream: processed documents and failures',
    sql: `
CREATE TABLE IF NOT EXISTS processed_documents (
  hash TEXT PRIMARY KEY,
  document_id TEXT,
  source TEXT,
  url TEXT,
  events INTEGER NOT NULL,
  deliveries INTEGER NOT NULL,
  worker TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  processed_at TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS processed_documents_at_idx ON processed_documents (processed_at);
CREATE TABLE IF NOT EXISTS stream_failures (
  id TEXT PRIMARY KEY,
  hash TEXT,
  stream_seq BIGINT NOT NULL,
  delivery INTEGER NOT NULL,
  dead_lettered BOOLEAN NOT NULL,
  error TEXT NOT NULL,
  worker TEXT NOT NULL,
  failed_at TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS stream_failures_at_idx ON stream_failures (failed_at)
`,
  },
  {
    version: 400,
    name: 'resolution: resolved events, record links, manual links',
    sql: `
CREATE TABLE IF NOT EXISTS resolved_events (
  id TEXT PRIMARY KEY,
  event_date DATE NOT NULL,
  end_date DATE,
  event_type TEXT,
  sub_event_type TEXT,
  admin1 TEXT,
  admin2 TEXT,
  location TEXT,
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  fatalities_low INTEGER,
  fatalities_best INTEGER,
  fatalities_high INTEGER,
  injured_low INTEGER,
  injured_best INTEGER,
  injured_high INTEGER,
  held_low INTEGER,
  held_best INTEGER,
  held_high INTEGER,
  n_records INTEGER NOT NULL,
  sources TEXT NOT NULL,
  resolved_at TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS resolved_events_date_idx ON resolved_events (event_date);
CREATE TABLE IF NOT EXISTS event_links (
  record_id TEXT PRIMARY KEY,
  resolved_id TEXT NOT NULL,
  matched_with TEXT,
  score DOUBLE PRECISION,
  parts TEXT,
  rule TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS event_links_resolved_idx ON event_links (resolved_id);
CREATE TABLE IF NOT EXISTS manual_links (
  record_a TEXT NOT NULL,
  record_b TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (record_a, record_b)
)
`,
  },
  {
    version: 210,
    name: 'gazetteer: places learned from structured events',
    sql: `
CREATE TABLE IF NOT EXISTS places (
  id TEXT PRIMARY KEY,
  name_key TEXT NOT NULL,
  name TEXT NOT NULL,
  country TEXT,
  admin1 TEXT,
  admin2 TEXT,
  latitude DOUBLE PRECISION NOT NULL,
  longitude DOUBLE PRECISION NOT NULL,
  seen INTEGER NOT NULL,
  origin TEXT NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS places_name_key_idx ON places (name_key)
`,
  },
  {
    version: 200,
    name: 'extraction: news documents, one row per distinct text',
    sql: `
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY,
  content_hash TEXT NOT NULL UNIQUE,
  source TEXT,
  url TEXT,
  published DATE NOT NULL,
  text TEXT NOT NULL,
  extraction TEXT,
  events INTEGER NOT NULL,
  ingested_at TIMESTAMP NOT NULL
)
`,
  },
  {
    version: 220,
    name: 'extraction: document title, updated in place on re-ingest',
    sql: 'ALTER TABLE documents ADD COLUMN IF NOT EXISTS title TEXT',
  },
  {
    version: 303,
    name: 'analysis: relation actors as written beside their canonical ids',
    // source_actor/target_actor hold the canonical id (the name when no actor is known), as network nodes do.
    sql: `
ALTER TABLE actor_relations ADD COLUMN IF NOT EXISTS source_name TEXT;
ALTER TABLE actor_relations ADD COLUMN IF NOT EXISTS target_name TEXT;
UPDATE actor_relations SET source_name = source_actor, target_name = target_actor WHERE source_name IS NULL
`,
  },
  {
    version: 310,
    name: 'ingest: events without content_hash (a re-import compares the stored columns); DuckDB without its two secondary indexes',
    // The hash only told an unchanged re-imported record from a corrected one; comparing the stored
    // columns (columns.ts) says the same without hashing every row on the bulk path, and stores whose
    // hashes were filled by earlier versions compare the same way. DuckDB refuses to alter a table that
    // has secondary indexes, and its two on events (source, event_date) served no query: it reads date
    // ranges and sources through its zone maps (an index scan only ever served an equality on one date),
    // while maintaining them cost a 1M-row ingest ~1 s at COMMIT. So they go, as for actor_pair_months.
    sql: {
      duckdb: `
DROP INDEX IF EXISTS events_source_idx;
DROP INDEX IF EXISTS events_date_idx;
ALTER TABLE events DROP COLUMN IF EXISTS content_hash
`,
      postgres: 'ALTER TABLE events DROP COLUMN IF EXISTS content_hash',
    },
  },
  {
    version: 620,
    name: 'analysis: events summed per month, source, place and type, for stats, the choropleth, trend and coverage',
    sql: {
      duckdb: `${PLACE_MONTHS_DDL};
INSERT INTO place_months ${placeMonthsSelect('TRUE')}`,
      postgres: `${PLACE_MONTHS_DDL};
${PLACE_MONTHS_INDEX};
INSERT INTO place_months ${placeMonthsSelect('TRUE')}`,
    },
  },
  {
    version: 350,
    name: 'analysis: a counter of writes to events on PostgreSQL, the version cached figures are checked against',
    // Counting a million rows takes PostgreSQL ~130 ms, more than most questions; a statement-level trigger
    // bumps one row instead, inside the writer's transaction, so a reader sees the new count exactly when it
    // sees the data. Writers already take turns on an advisory lock (actor-pair-months.ts `takeTurn`), so
    // the row adds no waiting. DuckDB has no triggers and counts its rows in about a millisecond.
    sql: {
      duckdb: '',
      postgres: `
CREATE TABLE IF NOT EXISTS events_version (id SMALLINT PRIMARY KEY, writes BIGINT NOT NULL);
INSERT INTO events_version (id, writes) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
CREATE OR REPLACE FUNCTION bump_events_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE events_version SET writes = writes + 1 WHERE id = 1; RETURN NULL; END $$;
CREATE OR REPLACE TRIGGER events_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION bump_events_version()
`,
    },
  },
  {
    version: 600,
    name: 'places: stored Pakistani events under canonical admin1/admin2 names, as ingest now stores them',
    // Stores written before then hold each source's spelling (Baluchistan, NWFP, FATA, "Bajaur  Agency",
    // Hungu): every count by province or district was split across them. The source's own text stays in raw.
    sql: '',
    run: (transaction, _dialect, now) =>
      transaction((tx) => canonicaliseStoredAdmin(tx, now.toISOString())).then(() => undefined),
  },
  {
    version: 601,
    name: 'places: stored Pakistani events that name no district get the one their precise coordinates fall in',
    // GTD and the compilations name a city and a province, never a district: their events were missing
    // from every district count, map and filter (the Marriott bombing from `--admin2 Islamabad`).
    sql: '',
    run: (transaction, _dialect, now) =>
      transaction((tx) => fillDistrictsFromPoints(tx, 'events', { updatedAt: now.toISOString() })),
  },
  {
    version: 610,
    name: 'ingest: the headers of source records kept in the tabular shape, once each (raw-record.ts)',
    sql: 'CREATE TABLE IF NOT EXISTS raw_headers (id TEXT PRIMARY KEY, keys TEXT NOT NULL)',
  },
  {
    version: 611,
    name: 'ingest: the source records of older stores rewritten in the shape new ones are stored in',
    // Without it, re-importing a file after the upgrade would report each of its rows updated (the stored
    // text is compared) and rewrite them one file at a time; the reader takes both shapes either way.
    sql: '',
    run: tabulateStoredRecords,
  },
  {
    version: 630,
    name: 'analysis: DuckDB keeps the short text columns of events off FSST, so a page of events reads back in half the time',
    // See duckdb/event-compression.ts. PostgreSQL stores rows whole and reads a page by its index as it is.
    sql: '',
    run: rewriteEventsWithPageCompression,
    runOnly: 'duckdb',
  },
  {
    version: 640,
    name: 'analysis: PostgreSQL actor indexes that carry what group questions read (places, type, fatalities)',
    // Trend by place, spread and the claim check over an actor group read ~10 % of a million events, spread
    // over nearly every page of the table: 120–190 ms of page visits. Read from these indexes, the same rows
    // come in key order from a few hundred pages (actor-events.ts `eventsMatching`). They replace the two
    // indexes on the same keys, so writes maintain as many indexes as before. DuckDB reads its zone maps.
    sql: { duckdb: '', postgres: ACTOR_INDEXES_DDL },
  },
  {
    version: 650,
    name: 'analysis: the sums by actor combination summed again by year, for the network and trend by actor over whole years',
    // Summed from actor_pair_months (a tenth of its rows on the bench), not from the events.
    sql: {
      duckdb: `${ACTOR_PAIR_YEARS_DDL};
INSERT INTO actor_pair_years ${actorPairYearsSelect('TRUE')}`,
      postgres: `${ACTOR_PAIR_YEARS_DDL};
${ACTOR_PAIR_YEARS_INDEX};
INSERT INTO actor_pair_years ${actorPairYearsSelect('TRUE')}`,
    },
  },
];
