import { open } from 'node:fs/promises';
import { canonicalEventAdmin } from '../extract/places/index.ts';
import type { ActorRegistry } from '../resolve/actor-registry.ts';
import type { EventRecord } from '../schema/index.ts';
import { canonicaliseBatchAdmin, fillDistrictsFromPoints } from '../store/canonical-admin.ts';
import type { StageSql, Store } from '../store/contract.ts';
import { saveRawHeaders } from '../store/raw-record.ts';
import { type AcledCsvSql, acledCsvSql, surveyCsv } from './acled/csv-sql.ts';
import { actorKinds } from './acled/to-event.ts';
import { acledColumns, CLEAN } from './acled/to-event-sql.ts';
import { CountryOf } from './country-of.ts';
import { type CsvRecord, CsvSplitter, CsvSyntaxError } from './csv-records.ts';
import type { Detected } from './detect-format.ts';
import { IngestError, RowError } from './importer.ts';
import { isUtf8File } from './is-utf8-file.ts';
import { readCsv } from './read-csv.ts';
import type { RejectSink } from './rejects.ts';
import {
  FileRejects,
  type FileReport,
  fileReport,
  type IngestOptions,
  invalidField,
  sha256File,
} from './run-ingest.ts';

const MAX_ROWS_LEFT_TO_TO_EVENT = 50_000;

/** The header of a UTF-8 CSV file when it is one line of distinct names that keep their order as JS keys. */
async function plainHeader(path: string): Promise<string[] | null> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    let records: CsvRecord[];
    try {
      records = new CsvSplitter().push(buffer.subarray(0, bytesRead).toString('utf8'));
    } catch (error) {
      // Malformed CSV near the top: the JavaScript path reports it with the file and line.
      if (error instanceof CsvSyntaxError) return null;
      throw error;
    }
    const [header, next] = records;
    if (!header || !next || next.line !== 2) return null;
    const names = header.cells.map((c) => c.trim());
    // Integer-like keys are reordered by JS objects, and repeated names collapse: leave those to JavaScript.
    if (new Set(names).size !== names.length || names.some((n) => /^\d+$/.test(n) || n === '__proto__'))
      return null;
    return names;
  } finally {
    await handle.close();
  }
}

/**
 * The DuckDB-native path for large ACLED exports: DuckDB's `read_csv` reads the file where it is (no copy
 * of it is loaded first), two scans at once count the rows and collect the distinct actors and places,
 * actors are resolved once per distinct name, and the mapping (`acled/to-event-sql.ts`) is handed to the
 * import writer, which inserts it straight into `events` when it commits. Only the rows the SQL does not
 * call clean go through `toEvent` (read again with the JavaScript splitter, which also gives their line
 * numbers). The stored events, rejects, `--strict` and all-or-nothing behaviour are the JavaScript path's.
 *
 * Returns null (nothing written) when the path does not apply or DuckDB cannot read the file as
 * plain CSV; the caller then takes the JavaScript path, which reports the problem with its line.
 */
export async function ingestFileInSql(
  store: Store,
  path: string,
  detected: Detected,
  actors: ActorRegistry,
  sink: RejectSink,
  options: IngestOptions,
): Promise<FileReport | null> {
  const encoding = (options.encoding ?? detected.importer.encoding).toLowerCase().replace(/[^a-z0-9]/g, '');
  if (
    store.dialect !== 'duckdb' ||
    detected.container !== 'csv' ||
    detected.importer.format !== 'acled' ||
    detected.mapping !== null ||
    encoding !== 'utf8'
  )
    return null;
  const header = await plainHeader(path);
  if (!header) return null;
  const started = performance.now();
  if (!(await isUtf8File(path))) return null;
  const csv = acledCsvSql(path, header);
  // The file is hashed while DuckDB surveys it.
  const digest = sha256File(path);
  digest.catch(() => undefined); // awaited below; a read error must not count as unhandled meanwhile
  const survey = await surveyCsv(store, csv);
  const sha256 = await digest;
  if (!survey) return null;
  const { rowsRead } = survey;
  if (rowsRead === 0) throw new IngestError(`${path}: no rows after the header`);

  const writer = await store.beginImport({ file: path, sha256, format: detected.importer.format });
  const sql = writer.sql;
  if (!sql) {
    await writer.abort();
    return null;
  }
  const suffix = writer.batchId.replaceAll('-', '');
  const actorTable = `actor_ids_${suffix}`;
  const placeTable = `countries_${suffix}`;
  try {
    await sql.query(`CREATE TEMP TABLE ${actorTable} (name VARCHAR PRIMARY KEY, id VARCHAR)`);
    const pairs = survey.actors.map((n) => {
      const kinds = actorKinds({
        inter1: n.inter1 ?? '',
        inter2: n.inter2 ?? '',
        interaction: n.interaction ?? '',
      });
      return [n.name, actors.resolveOrLearn(n.name, kinds[n.slot] ?? null).id];
    });
    for (let i = 0; i < pairs.length; i += 500) {
      const part = pairs.slice(i, i + 500);
      await sql.query(
        `INSERT INTO ${actorTable} VALUES ${part.map((_, j) => `($${2 * j + 1}, $${2 * j + 2})`).join(', ')}`,
        part.flat(),
      );
    }

    const countryOf = new CountryOf();
    await sql.query(`CREATE TEMP TABLE ${placeTable} (lat DOUBLE, lon DOUBLE, country VARCHAR)`);
    for (let i = 0; i < survey.unplaced.length; i += 300) {
      const part = survey.unplaced.slice(i, i + 300);
      const values = await Promise.all(
        part.map(async (c) => [c.lat, c.lon, await countryOf.at(c.lat, c.lon)]),
      );
      await sql.query(
        `INSERT INTO ${placeTable} VALUES ${part.map((_, j) => `($${3 * j + 1}, $${3 * j + 2}, $${3 * j + 3})`).join(', ')}`,
        values.flat(),
      );
    }

    // Without a country column every row is placed by its coordinates, through the table above; with
    // one, the rows that leave it blank are left to toEvent (cleanSql).
    const placing = !csv.has('country');
    const mapped = {
      ...acledColumns(csv.has('civilian_targeting')),
      ...(placing ? { country: 'g.country' } : {}),
    };
    // The record's header, stored once (committed even if the import fails: a header no row names is harmless).
    await saveRawHeaders(sql, new Map([[csv.rawHeader.id, csv.rawHeader]]));
    const columns = Object.entries({ ...mapped, raw: csv.rawJson(mapped) })
      .map(([name, expr]) => `${expr} AS ${name}`)
      .join(', ');
    const joined = (withSeq: boolean) =>
      `${csv.layered(withSeq)} LEFT JOIN ${actorTable} a1 ON a1.name = t_actor1 LEFT JOIN ${actorTable} a2 ON a2.name = t_actor2
       ${placing ? `LEFT JOIN ${placeTable} g ON g.lat = p_latitude AND g.lon = p_longitude` : ''}`;
    const clean = cleanSql(csv);
    const rejects = new FileRejects(path, sink, options);
    let rest: { events: EventRecord[]; ordinals: number[] } | null = null;
    sql.addSelect(
      (withSeq) => `SELECT ${columns}${withSeq ? ', seq' : ''} FROM ${joined(withSeq)} WHERE ${clean}`,
      csv.params,
      {
        rowsRead,
        // Called by the writer, inside its transaction, when the SELECT gave fewer rows than the file has.
        async complete(selected) {
          // The rows the SQL leaves to toEvent come back to JavaScript whole (their raw JSON) in one result:
          // when they are many (an export whose dates all read "30 June 2024"), the streaming JavaScript
          // path is the one that keeps memory bounded.
          if (rowsRead - selected > (options.maxRowsLeftToToEvent ?? MAX_ROWS_LEFT_TO_TO_EVENT))
            throw new TooManyLeftToToEvent();
          rest ??= await mapTheRest(sql, csv, clean, path, detected, actors, countryOf, rejects);
          if (rest.events.length) await writer.add(rest.events, rest.ordinals);
          return rejects.count;
        },
        // The SELECT writes admin names as the file has them; Pakistani ones become canonical here.
        written: async (table) => {
          await fillDistrictsFromPoints(sql, table, { batchId: writer.batchId });
          await canonicaliseBatchAdmin(sql, table, writer.batchId);
        },
      },
    );
    options.onStaged?.(path, rowsRead);

    // The writer reads the file and the two tables above when it commits; they go with its connection.
    const summary = await writer.finish({ rowsRead, rowsRejected: 0 });
    return fileReport(path, detected, sha256, rowsRead, summary, rejects, started);
  } catch (error) {
    await writer.abort();
    if (error instanceof TooManyLeftToToEvent) return null;
    throw error;
  }
}

/**
 * The rows the SQL maps: CLEAN, and, in a file with a `country` column, not a row that leaves it blank but
 * has coordinates: `toEvent`'s country then comes from the gazetteer, which only JavaScript has. (Without
 * the column, every row is placed in SQL through the table of the survey's coordinates; with it, blank
 * countries are rare, and counting them would take a scan of the file before the insert.)
 */
function cleanSql(csv: AcledCsvSql): string {
  return csv.has('country')
    ? `(${CLEAN} AND (t_country IS NOT NULL OR p_latitude IS NULL OR p_longitude IS NULL))`
    : CLEAN;
}

/** Too many rows for `toEvent` to take in one result: the file goes the streaming JavaScript way. */
class TooManyLeftToToEvent extends Error {}

/**
 * The rows the SQL does not call clean, read again by the JavaScript splitter (which numbers their lines)
 * and mapped by `toEvent`: the events with their ordinals in the file; the bad rows go to `rejects`.
 */
async function mapTheRest(
  sql: StageSql,
  csv: AcledCsvSql,
  clean: string,
  path: string,
  detected: Detected,
  actors: ActorRegistry,
  countryOf: CountryOf,
  rejects: FileRejects,
): Promise<{ events: EventRecord[]; ordinals: number[] }> {
  const others = await sql.query<{ ord: number; raw: string }>(
    `SELECT seq AS ord, ${csv.cellsJson} AS raw FROM ${csv.layered(true)} WHERE NOT ${clean} ORDER BY seq`,
    csv.params,
  );
  const events: EventRecord[] = [];
  const ordinals: number[] = [];
  if (!others.length) return { events, ordinals };
  const wanted = new Map(others.map((o) => [Number(o.ord), o.raw]));
  const last = Number(others.at(-1)?.ord ?? 0);
  let ordinal = -1;
  for await (const { line, row, shapeError } of readCsv(path, path, 'utf-8')) {
    ordinal++;
    const raw = wanted.get(ordinal);
    if (raw === undefined) {
      if (ordinal > last) break;
      continue;
    }
    // Compared as values: DuckDB and V8 escape control characters in JSON differently.
    if (shapeError || JSON.stringify(Object.values(row)) !== JSON.stringify(JSON.parse(raw)))
      throw new Error(`${path}:${line}: DuckDB and the JavaScript splitter read this record differently`);
    let problem: RowError | null = null;
    let event: EventRecord | null = null;
    try {
      event = detected.importer.toEvent(row, actors);
      problem = invalidField(event);
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      problem = error;
    }
    if (!problem && event) {
      await countryOf.fill(event);
      canonicalEventAdmin(event);
      events.push(event);
      ordinals.push(ordinal);
      continue;
    }
    await rejects.add(line, problem);
  }
  return { events, ordinals };
}
