import type { Queryable } from '../contract.ts';

/**
 * How DuckDB compresses the text columns of `events`, chosen for the events page rather than left to
 * DuckDB's pick.
 *
 * A page reads its 100 rows by primary key, one row at a time, and on DuckDB's FSST compression reading one
 * row decodes every string length before it in its segment: a segment of short strings (ids, place names)
 * holds ~40,000 rows, so each such column cost 5–8 ms of a 100-row page at a million events (about 0.06 ms a
 * row), where a dictionary or uncompressed column costs next to nothing. Long texts (`raw`, `notes`) fill a
 * segment in a few thousand rows, so FSST costs them little to read back and saves them the most space:
 * DuckDB keeps choosing for them.
 *
 * - `uncompressed`: the ids, one value per row, which a dictionary would only add an index to.
 * - `dictionary`: every other short text. It is what DuckDB picks anyway for columns with few values (types,
 *   actors, provinces); it keeps columns with many (places, associated actors) off FSST.
 */
const FREE_TEXT = new Set(['raw', 'notes']);
const ONE_PER_ROW = new Set(['id', 'source_id']);

/** The compression forced on a column of `events` of DuckDB type `type`, or null to leave it to DuckDB. */
export function eventColumnCompression(name: string, type: string): 'uncompressed' | 'dictionary' | null {
  if (type !== 'VARCHAR' || FREE_TEXT.has(name)) return null;
  return ONE_PER_ROW.has(name) ? 'uncompressed' : 'dictionary';
}

type StoredColumn = {
  column_name: string;
  data_type: string;
  is_nullable: string;
};

/**
 * Migration 630 on DuckDB: `events` written again with the compressions above. A column's compression can
 * only be given when its table is created, so the rows move to a new table, in one transaction (an
 * interruption leaves the old table as it was). The new table copies the columns the store holds when 630
 * runs, not today's list, so a column a later migration adds is added after it as on any store. ~18 s at a
 * million events on a busy machine; a new store's empty table, none.
 *
 * The two secondary indexes migration 100 made (`events_source_idx`, `events_date_idx`) go with the old
 * table and are not made again: DuckDB answers date ranges from its zone maps and reads `source` from a
 * dictionary, so they only cost every ingest the upkeep of two ART indexes over every row.
 */
export async function rewriteEventsWithPageCompression(
  transaction: <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>,
): Promise<void> {
  await transaction(async (tx) => {
    const columns = await tx.query<StoredColumn>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = 'events' ORDER BY ordinal_position`,
    );
    const ddl = columns.map(({ column_name: name, data_type: type, is_nullable: nullable }) => {
      const compression = eventColumnCompression(name, type);
      return [
        name,
        type,
        compression ? `USING COMPRESSION ${compression}` : '',
        name === 'id' ? 'PRIMARY KEY' : nullable === 'NO' ? 'NOT NULL' : '',
      ]
        .filter(Boolean)
        .join(' ');
    });
    const names = columns.map((c) => c.column_name).join(', ');
    await tx.query('ALTER TABLE events RENAME TO events_before_630');
    await tx.query(`CREATE TABLE events (\n  ${ddl.join(',\n  ')}\n)`);
    await tx.query(`INSERT INTO events (${names}) SELECT ${names} FROM events_before_630`);
    await tx.query('DROP TABLE events_before_630');
  });
}
