import { once } from 'node:events';
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EventFilter, EventRecord } from '../schema/index.ts';
import { EVENT_COLUMNS } from '../store/columns.ts';
import type { Store } from '../store/contract.ts';
import { filterSql, Params } from '../store/filter-sql.ts';

export const EXPORT_FORMATS = ['csv', 'parquet', 'geojson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Every event column but `raw` (the source's own record stays in the store). */
const COLUMNS = EVENT_COLUMNS.filter((c) => c.name !== 'raw');
const PAGE = 5000;

/** The events a filter selects, newest first, page by page (memory stays flat). */
export async function* eventsMatching(store: Store, filter: EventFilter): AsyncGenerator<EventRecord> {
  let after: string | null = null;
  do {
    const page = await store.events(filter, { limit: PAGE, after });
    yield* page.events;
    after = page.nextCursor;
  } while (after);
}

/** One CSV cell, quoted when it must be (RFC 4180). */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const CSV_HEADER = COLUMNS.map((c) => c.name).join(',');

export function csvLine(event: EventRecord): string {
  return COLUMNS.map((c) => csvCell(c.read(event))).join(',');
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

/**
 * Writes the events a filter selects to a file: CSV (the events table's columns), GeoJSON (a
 * FeatureCollection of points; events without coordinates get a null geometry) or Parquet (DuckDB's
 * own writer: straight from a DuckDB store, through an in-memory DuckDB for a PostgreSQL one).
 * Returns how many events were written.
 */
export async function exportEvents(
  store: Store,
  filter: EventFilter,
  format: ExportFormat,
  outPath: string,
): Promise<number> {
  if (format === 'parquet') return exportParquet(store, filter, outPath);
  const stream = createWriteStream(outPath, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  let count = 0;
  const run = async () => {
    if (format === 'csv') await write(stream, `${CSV_HEADER}\n`);
    else await write(stream, '{"type":"FeatureCollection","features":[\n');
    for await (const event of eventsMatching(store, filter)) {
      if (format === 'csv') await write(stream, `${csvLine(event)}\n`);
      else await write(stream, `${count ? ',\n' : ''}${JSON.stringify(feature(event))}`);
      count++;
    }
    if (format === 'geojson') await write(stream, '\n]}\n');
    await close(stream);
  };
  await Promise.race([run(), failed]);
  return count;
}

function feature(event: EventRecord) {
  const { raw: _raw, latitude, longitude, ...properties } = event;
  return {
    type: 'Feature',
    id: event.id,
    geometry:
      latitude !== null && longitude !== null ? { type: 'Point', coordinates: [longitude, latitude] } : null,
    properties: { ...properties, latitude, longitude },
  };
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;
const duckType = (type: string) => (type === 'DOUBLE PRECISION' ? 'DOUBLE' : type);

async function exportParquet(store: Store, filter: EventFilter, outPath: string): Promise<number> {
  const select = COLUMNS.map((c) => `e.${c.name}`).join(', ');
  if (store.dialect === 'duckdb') {
    const params = new Params();
    const where = filterSql(filter, params);
    // The file name cannot be a bound parameter in COPY; it is the user's own output path, quoted.
    await store.query(
      `COPY (SELECT ${select} FROM events e WHERE ${where} ORDER BY e.event_date, e.id) TO ${sqlString(outPath)} (FORMAT parquet)`,
      params.values,
    );
    return store.countEvents(filter);
  }
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(
      `CREATE TABLE events (${COLUMNS.map((c) => `${c.name} ${duckType(c.type)}`).join(', ')})`,
    );
    const appender = await connection.createAppender('events');
    let count = 0;
    for await (const event of eventsMatching(store, filter)) {
      for (const column of COLUMNS) {
        const value = column.read(event);
        if (value === null) appender.appendNull();
        else if (column.type === 'INTEGER') appender.appendInteger(Number(value));
        else if (column.type === 'DOUBLE PRECISION') appender.appendDouble(Number(value));
        else if (column.type === 'BOOLEAN') appender.appendBoolean(Boolean(value));
        else appender.appendVarchar(String(value));
      }
      appender.endRow();
      count++;
    }
    appender.closeSync();
    await connection.run(
      `COPY (SELECT * FROM events ORDER BY event_date, id) TO ${sqlString(outPath)} (FORMAT parquet)`,
    );
    return count;
  } catch (error) {
    rmSync(outPath, { force: true });
    throw error;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
