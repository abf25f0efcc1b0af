import type { Queryable } from './contract.ts';
import { Params } from './filter-sql.ts';
import { MONTH, nextMonth, sumMonthsAgain } from './monthly-sums.ts';
import { addPlaceEvents, placeMonthsSelect } from './place-months.ts';

/**
 * `actor_pair_months`: the events summed per month and per combination of actors as the events name
 * them (primary actor ids or names, associated actor lists as written), so that the actor network over
 * whole months reads a few thousand rows instead of every event. A combination may have several rows
 * (documents' events are appended, see addEvents): readers sum them. It holds nothing but sums of the events
 * table's own columns: alias tables, actor names and mergers are applied when it is read, so only writes
 * to `events` change it, and every such write goes through the import (`refreshActorPairMonths` in
 * `finish`). `first_key` / `last_key` are `event_date|id` of the group's first and latest event. Events
 * without a date, should a store hold any, are summed under a null month.
 */
export const ACTOR_PAIR_MONTHS_DDL = `
CREATE TABLE IF NOT EXISTS actor_pair_months (
  month DATE,
  a1 TEXT,
  a2 TEXT,
  assoc_actor1 TEXT,
  assoc_actor2 TEXT,
  n1 TEXT,
  n2 TEXT,
  events BIGINT NOT NULL,
  fatalities BIGINT NOT NULL,
  first DATE,
  last DATE,
  first_key TEXT,
  last_key TEXT
)`;

/** PostgreSQL reads month ranges through an index; DuckDB through its zone maps (an index slows its writes). */
export const ACTOR_PAIR_MONTHS_INDEX =
  'CREATE INDEX IF NOT EXISTS actor_pair_months_month_idx ON actor_pair_months (month)';

/** The rows of `actor_pair_months` for the events matching `where` (over alias `e`). */
export function actorPairMonthsSelect(where: string): string {
  return `SELECT ${MONTH('e.event_date')} AS month, COALESCE(e.actor1_id, e.actor1) AS a1,
            COALESCE(e.actor2_id, e.actor2) AS a2, e.assoc_actor1, e.assoc_actor2,
            MIN(e.actor1) AS n1, MIN(e.actor2) AS n2, COUNT(*) AS events,
            COALESCE(SUM(e.fatalities_best), 0) AS fatalities,
            MIN(e.event_date) AS first, MAX(e.event_date) AS last,
            MIN(CAST(e.event_date AS TEXT) || '|' || e.id) AS first_key,
            MAX(CAST(e.event_date AS TEXT) || '|' || e.id) AS last_key
     FROM events e WHERE ${where}
     GROUP BY 1, 2, 3, 4, 5`;
}

/** Fills the table from every event (the migration that creates it, and stores filled by other means). */
export async function rebuildActorPairMonths(db: Queryable): Promise<void> {
  await db.query('DELETE FROM actor_pair_months');
  await db.query(`INSERT INTO actor_pair_months ${actorPairMonthsSelect('TRUE')}`);
}

/** A row's key in `actor_pair_months`. */
type GroupKey = {
  month: string | null;
  a1: string | null;
  a2: string | null;
  assoc_actor1: string | null;
  assoc_actor2: string | null;
};

/**
 * What an import changes. Up to fifty events (a document): the ids of its new events when it changes
 * none already stored, else the groups of its events and of the stored versions they replace. Past that
 * (a file): the months of its new or changed events and of the stored versions they replace.
 */
export type Touched = { added: string[] } | { groups: GroupKey[] } | { months: (string | null)[] };

/** Imports of more events than this (files) are summed again by month. */
const MAX_DOCUMENT_EVENTS = 50;

/**
 * Concurrent writers on PostgreSQL take turns from here to their commit: each then sums what the one
 * before it committed, and two never write the same group's rows at once.
 */
export async function takeTurn(db: Queryable): Promise<void> {
  if (db.dialect === 'postgres')
    await db.query("SELECT pg_advisory_xact_lock(hashtext('actor_pair_months'))");
}

/**
 * For writers that change a few events by id without the import's stage (a document's events): call
 * inside the transaction before deleting `replaced` (ids stored now, to be deleted or rewritten); it
 * returns what to pass to `refreshActorPairMonths` once `written` (ids inserted) are in `events`.
 */
export async function eventsReplaced(
  db: Queryable,
  replaced: readonly string[],
): Promise<(written: readonly string[]) => Promise<Touched>> {
  await takeTurn(db);
  const before = await groupsOf(db, replaced);
  return async (written) => {
    if (!replaced.length) return { added: [...written] };
    const keys = [...before, ...(await groupsOf(db, written))];
    return { groups: [...new Map(keys.map((k) => [JSON.stringify(k), k])).values()] };
  };
}

/** The groups of the events with these ids, read from `events`. */
async function groupsOf(db: Queryable, ids: readonly string[]): Promise<GroupKey[]> {
  if (!ids.length) return [];
  const p = new Params();
  return db.query<GroupKey>(
    `SELECT DISTINCT ${MONTH('e.event_date')} AS month, COALESCE(e.actor1_id, e.actor1) AS a1,
       COALESCE(e.actor2_id, e.actor2) AS a2, e.assoc_actor1, e.assoc_actor2
     FROM events e WHERE e.id IN (${p.list(ids)})`,
    p.values,
  );
}

/**
 * Call inside the import's transaction, after `takeTurn` and before the stored versions are deleted.
 * `writes` holds the staged rows that `events` lacks or holds otherwise: `(id, added, staged_date,
 * stored_date)`, `added` false for a corrected record (the import's comparison of the stored columns).
 */
export async function touchedByImport(db: Queryable, stage: string, writes: string): Promise<Touched> {
  const key = (t: string) =>
    `${MONTH(`${t}.event_date`)} AS month, COALESCE(${t}.actor1_id, ${t}.actor1) AS a1,
     COALESCE(${t}.actor2_id, ${t}.actor2) AS a2, ${t}.assoc_actor1, ${t}.assoc_actor2`;
  const ids = await db.query<{ id: string }>(`SELECT id FROM ${stage} LIMIT ${MAX_DOCUMENT_EVENTS + 1}`);
  if (ids.length <= MAX_DOCUMENT_EVENTS) {
    const written = await db.query<{ id: string; added: boolean }>(`SELECT id, added FROM ${writes}`);
    // Only new events: their sums are added to their groups, nothing is read again.
    if (written.every((r) => r.added)) return { added: written.map((r) => r.id) };
    // Some replace stored versions: their groups, as staged and as stored, are summed again. A few
    // events (a document), looked up by primary key rather than by joining the stage to every event.
    const lookup = new Params();
    const groups = await db.query<GroupKey>(
      `SELECT DISTINCT ${key('s')} FROM ${stage} s
       UNION
       SELECT DISTINCT ${key('e')} FROM events e WHERE e.id IN (${lookup.list(ids.map((r) => r.id))})`,
      lookup.values,
    );
    return { groups };
  }
  // A file: the months of its new and changed events and of the stored versions they replace.
  const months = await db.query<{ month: string | null }>(
    `SELECT DISTINCT ${MONTH('staged_date')} AS month FROM ${writes}
     UNION
     SELECT DISTINCT ${MONTH('stored_date')} FROM ${writes} WHERE NOT added`,
  );
  return { months: months.map((r) => r.month) };
}

/** The months of the events an import batch wrote, for rows that reached `events` without the stage. */
export async function monthsOfBatch(db: Queryable, batchId: string): Promise<Touched> {
  const rows = await db.query<{ month: string | null }>(
    `SELECT DISTINCT ${MONTH('e.event_date')} AS month FROM events e WHERE e.batch_id = $1`,
    [batchId],
  );
  return { months: rows.map((r) => r.month) };
}

/** Brings the table up to date with what an import wrote, in the import's transaction, after its writes. */
export async function refreshActorPairMonths(db: Queryable, touched: Touched): Promise<void> {
  // place_months is kept by the same calls: every writer to events already makes them.
  if ('added' in touched) {
    await addEvents(db, touched.added);
    await addPlaceEvents(db, touched.added);
    return;
  }
  if ('groups' in touched) {
    await refreshGroups(db, touched.groups);
    await sumMonthsAgain(
      db,
      'place_months',
      placeMonthsSelect,
      touched.groups.map((g) => g.month),
    );
    return;
  }
  await sumMonthsAgain(db, 'actor_pair_months', actorPairMonthsSelect, touched.months);
  await sumMonthsAgain(db, 'place_months', placeMonthsSelect, touched.months);
}

/** The columns a group's key is read from: the table's own, or an event's (alias `e`). */
const STORED_KEY = {
  month: 'month',
  a1: 'a1',
  a2: 'a2',
  assoc_actor1: 'assoc_actor1',
  assoc_actor2: 'assoc_actor2',
};
const EVENT_KEY = {
  month: 'e.event_date',
  a1: 'COALESCE(e.actor1_id, e.actor1)',
  a2: 'COALESCE(e.actor2_id, e.actor2)',
  assoc_actor1: 'e.assoc_actor1',
  assoc_actor2: 'e.assoc_actor2',
};

/** A condition matching one group's rows (STORED_KEY) or events (EVENT_KEY, by date range). */
function groupCondition(g: GroupKey, columns: Record<keyof GroupKey, string>, params: Params): string {
  const month =
    g.month === null
      ? `${columns.month} IS NULL`
      : columns === EVENT_KEY
        ? `${columns.month} >= CAST(${params.add(g.month)} AS DATE) AND ${columns.month} < CAST(${params.add(nextMonth(g.month))} AS DATE)`
        : `${columns.month} = CAST(${params.add(g.month)} AS DATE)`;
  const actors = (['a1', 'a2', 'assoc_actor1', 'assoc_actor2'] as const).map((c) => {
    const value = g[c];
    return value === null ? `${columns[c]} IS NULL` : `${columns[c]} = CAST(${params.add(value)} AS TEXT)`;
  });
  return `(${[month, ...actors].join(' AND ')})`;
}

/**
 * Sums a few groups again (a document's events): only their rows are deleted and written back, and
 * only the events of their months are read, each group written out as a condition (a join with a
 * list of keys cost the engines a scan of every event in those months). On DuckDB, two imports doing
 * this to the same group at the same moment conflict (it refuses concurrent deletes of one row), and the
 * second fails, to be retried, as it would for two imports changing the same event.
 */
async function refreshGroups(db: Queryable, groups: readonly GroupKey[]): Promise<void> {
  if (!groups.length) return;
  const del = new Params();
  await db.query(
    `DELETE FROM actor_pair_months WHERE ${groups.map((g) => groupCondition(g, STORED_KEY, del)).join(' OR ')}`,
    del.values,
  );
  const ins = new Params();
  const where = groups.map((g) => groupCondition(g, EVENT_KEY, ins)).join(' OR ');
  await db.query(`INSERT INTO actor_pair_months ${actorPairMonthsSelect(where)}`, ins.values);
}

/** Rows a group may gather from documents' additions before PostgreSQL sums them into one. */
const MAX_ROWS_PER_GROUP = 16;

/**
 * Adds new events (read back by primary key) as rows of their own: readers sum a group's rows anyway,
 * and appending never conflicts with another import adding to the same group at the same time. On
 * PostgreSQL (imports take turns there) a group that gathered many rows is summed into one again; on
 * DuckDB rows gathered this way are summed when a file's import re-sums their month.
 */
async function addEvents(db: Queryable, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  const p = new Params();
  const added = await db.query<GroupKey>(
    `INSERT INTO actor_pair_months ${actorPairMonthsSelect(`e.id IN (${p.list(ids)})`)}
     RETURNING month, a1, a2, assoc_actor1, assoc_actor2`,
    p.values,
  );
  if (db.dialect !== 'postgres') return;
  const crowded: GroupKey[] = [];
  for (const g of added) {
    const q = new Params();
    const [rows] = await db.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM actor_pair_months WHERE ${groupCondition(g, STORED_KEY, q)}`,
      q.values,
    );
    if (Number(rows?.n ?? 0) > MAX_ROWS_PER_GROUP) crowded.push(g);
  }
  await refreshGroups(db, crowded);
}
