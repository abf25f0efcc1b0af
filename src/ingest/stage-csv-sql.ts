import { open } from 'node:fs/promises';
import type { ActorRegistry } from '../resolve/actor-registry.ts';
import type { EventRecord } from '../schema/index.ts';
import type { Store } from '../store/contract.ts';
import { actorKinds } from './acled/to-event.ts';
import { acledColumns, CLEAN, PARSED, TEXT_COLUMNS } from './acled/to-event-sql.ts';
import { CountryOf } from './country-of.ts';
import { CsvSplitter } from './csv-records.ts';
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

/** The characters JavaScript's `String.prototype.trim` removes, so SQL trims cells as `text()` does. */
const JS_WHITESPACE =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The header of a UTF-8 CSV file when it is one line of distinct names that keep their order as JS keys. */
async function plainHeader(path: string): Promise<string[] | null> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const records = new CsvSplitter().push(buffer.subarray(0, bytesRead).toString('utf8'));
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
 * of it is loaded first), a few narrow scans count the rows and collect the distinct actors and places,
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
  // $1 is the file, $2 the whitespace `trim` removes, in every statement below.
  const params = [path, JS_WHITESPACE];
  const csvColumns = header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const source = `read_csv($1, header = false, skip = 1, auto_detect = false, delim = ',', quote = '"',
    escape = '"', columns = {${csvColumns}}, strict_mode = true)`;
  const index = new Map(header.map((name, i) => [name, i]));
  const trimmed = TEXT_COLUMNS.map((column) => {
    const i = index.get(column);
    // trim() with a character list is slow (~1 µs a cell): only cells that start or end with something
    // other than printable ASCII take it. substr(c, -1) is the last code point; right(c, 1) cost 2× more.
    const c = `s.c${i}`;
    const value =
      i === undefined
        ? 'CAST(NULL AS VARCHAR)'
        : `CASE WHEN ascii(${c}) BETWEEN 33 AND 126 AND ascii(substr(${c}, -1)) BETWEEN 33 AND 126 THEN ${c} ELSE NULLIF(trim(${c}, $2), '') END`;
    return `${value} AS t_${column}`;
  });
  // The rows as three layers (cells trimmed once, then parsed once, then mapped). `seq`, the record's
  // position in the file, is a streaming window that runs on one thread: only scans that need it number rows.
  const parsed = Object.entries(PARSED).map(([name, expr]) => `${expr} AS ${name}`);
  const layered = (withSeq: boolean) =>
    `(SELECT *, ${parsed.join(', ')} FROM (SELECT s.*, ${withSeq ? 'row_number() OVER () - 1 AS seq, ' : ''}${trimmed.join(', ')}
      FROM ${source} s) l1) l2`;

  // Two scans on the store's own connections, at the same time and while the file is hashed: one counts
  // the rows (all, and those the SQL maps) and lists the coordinates of clean rows that name no country
  // (the gazetteer places them, once per distinct pair); the other lists the actors.
  const digest = sha256File(path);
  digest.catch(() => undefined); // awaited below; a read error must not count as unhandled meanwhile
  let tallies: { total: number; lat: number | null; lon: number | null; n: number; clean: number }[];
  let names: {
    name: string;
    slot: number;
    inter1: string | null;
    inter2: string | null;
    interaction: string | null;
  }[];
  try {
    [tallies, names] = await Promise.all([
      store.query<(typeof tallies)[number]>(
        `SELECT GROUPING(lat) AS total, lat, lon, COUNT(*) AS n, COUNT(*) FILTER (WHERE clean) AS clean
         FROM (SELECT clean,
                      CASE WHEN unplaced THEN p_latitude END AS lat, CASE WHEN unplaced THEN p_longitude END AS lon
               FROM (SELECT *, clean AND t_country IS NULL AND p_latitude IS NOT NULL AND p_longitude IS NOT NULL AS unplaced
                     FROM (SELECT *, ${CLEAN} AS clean FROM ${layered(false)}) l3) l4) l5
         GROUP BY GROUPING SETS ((), (lat, lon))`,
        params,
      ),
      // Actors, once per distinct name, in the order the JavaScript path meets them (its first row's
      // kinds). Numbering rows runs on one thread, so the rows are first cut down to their distinct
      // combinations of actors and kinds, each with its first row: a name's first row is the first
      // among its combinations.
      store.query<(typeof names)[number]>(
        `SELECT name, arg_min(slot, ord) AS slot, arg_min(t_inter1, ord) AS inter1, arg_min(t_inter2, ord) AS inter2,
                arg_min(t_interaction, ord) AS interaction
         FROM (SELECT unnest([t_actor1, t_actor2]) AS name, unnest([0, 1]) AS slot, unnest([first * 2, first * 2 + 1]) AS ord,
                      t_inter1, t_inter2, t_interaction
               FROM (SELECT t_actor1, t_actor2, t_inter1, t_inter2, t_interaction, MIN(seq) AS first
                     FROM ${layered(true)} GROUP BY ALL) combinations) x
         WHERE name IS NOT NULL GROUP BY name ORDER BY MIN(ord)`,
        params,
      ),
    ]);
  } catch {
    // Not plain CSV to DuckDB (a short or long row, a stray quote): the JavaScript path says where.
    await digest;
    return null;
  }
  const counts = tallies.find((t) => Number(t.total) === 1);
  const rowsRead = Number(counts?.n ?? 0);
  if (rowsRead === 0) throw new IngestError(`${path}: no rows after the header`);

  const sha256 = await digest;
  const writer = await store.beginImport({
    file: path,
    sha256,
    format: detected.importer.format,
  });
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
    const pairs = names.map((n) => {
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
    const coordinates = tallies.flatMap((t) =>
      Number(t.total) === 0 && t.lat !== null && t.lon !== null
        ? [{ lat: Number(t.lat), lon: Number(t.lon) }]
        : [],
    );
    await sql.query(`CREATE TEMP TABLE ${placeTable} (lat DOUBLE, lon DOUBLE, country VARCHAR)`);
    for (let i = 0; i < coordinates.length; i += 300) {
      const part = coordinates.slice(i, i + 300);
      const values = await Promise.all(
        part.map(async (c) => [c.lat, c.lon, await countryOf.at(c.lat, c.lon)]),
      );
      await sql.query(
        `INSERT INTO ${placeTable} VALUES ${part.map((_, j) => `($${3 * j + 1}, $${3 * j + 2}, $${3 * j + 3})`).join(', ')}`,
        values.flat(),
      );
    }

    // `raw` as JSON.stringify writes the row object (header order, cells untrimmed, '' for empty).
    const rawJson = `to_json(struct_pack(${header.map((name, i) => `${quoteIdent(name)} := COALESCE(c${i}, '')`).join(', ')}))`;
    const columns = Object.entries({
      ...acledColumns(index.has('civilian_targeting')),
      country: 'COALESCE(t_country, g.country)',
      raw: rawJson,
    })
      .map(([name, expr]) => `${expr} AS ${name}`)
      .join(', ');
    const joined = (withSeq: boolean) =>
      `${layered(withSeq)} LEFT JOIN ${actorTable} a1 ON a1.name = t_actor1 LEFT JOIN ${actorTable} a2 ON a2.name = t_actor2
       LEFT JOIN ${placeTable} g ON g.lat = p_latitude AND g.lon = p_longitude`;
    sql.addSelect(
      (withSeq) => `SELECT ${columns}${withSeq ? ', seq' : ''} FROM ${joined(withSeq)} WHERE ${CLEAN}`,
      params,
    );
    let staged = Number(counts?.clean ?? 0);
    options.onStaged?.(path, staged);

    // The rest go through toEvent, read again by the JavaScript splitter (which numbers their lines).
    const others =
      staged === rowsRead
        ? []
        : await sql.query<{ ord: number; raw: string }>(
            `SELECT seq AS ord, ${rawJson} AS raw FROM ${layered(true)} WHERE NOT ${CLEAN} ORDER BY seq`,
            params,
          );
    const rejects = new FileRejects(path, sink, options);
    if (others.length) {
      const wanted = new Map(others.map((o) => [Number(o.ord), o.raw]));
      const last = Number(others.at(-1)?.ord ?? 0);
      const events: EventRecord[] = [];
      const ordinals: number[] = [];
      let ordinal = -1;
      for await (const { line, row, shapeError } of readCsv(path, path, 'utf-8')) {
        ordinal++;
        const raw = wanted.get(ordinal);
        if (raw === undefined) {
          if (ordinal > last) break;
          continue;
        }
        if (shapeError || JSON.stringify(row) !== raw)
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
          events.push(event);
          ordinals.push(ordinal);
          continue;
        }
        await rejects.add(line, problem);
      }
      if (events.length) await writer.add(events, ordinals);
      staged += events.length;
    }
    // The writer reads the file and the two tables above when it commits; they go with its connection.
    const summary = await writer.finish({ rowsRead, rowsRejected: rejects.count });
    return fileReport(path, detected, sha256, rowsRead, summary, rejects, started);
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
