import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { canonicalEventAdmin, learnPlaces } from '../extract/places/index.ts';
import { ActorRegistry, type CanonicalActor } from '../resolve/actor-registry.ts';
import { EventRecord } from '../schema/index.ts';
import type { Store, WriteSummary } from '../store/contract.ts';
import { CountryOf } from './country-of.ts';
import { loadMapping } from './csv/mapping.ts';
import { type Detected, detectFormat } from './detect-format.ts';
import { type Format, IngestError, RowError, type SourceRow } from './importer.ts';
import { NO_PROGRESS, type Progress, progressBar } from './progress.ts';
import { readCsv } from './read-csv.ts';
import { readGeoJson } from './read-geojson.ts';
import { NO_REJECT_SINK, type RejectedRow, type RejectSink, rejectsFile } from './rejects.ts';
import { ingestFileInSql } from './stage-csv-sql.ts';

export interface IngestOptions {
  /** Skip detection: read every file as this format. */
  format?: Format | undefined;
  /** A mapping file (implies the generic CSV importer). */
  mappingPath?: string | undefined;
  /** Character set of every file (default: UTF-8, or the mapping's). GTD's own CSV export is Latin-1. */
  encoding?: string | undefined;
  /** Stop at the first bad row and store nothing from that file. */
  strict?: boolean | undefined;
  /** Also write every reject, one `file:line: field: reason` a line, to this file. */
  rejectsPath?: string | undefined;
  /** Events handed to the store at a time. */
  chunkSize?: number | undefined;
  /** Draw a progress bar on stderr when it is a terminal. */
  progress?: boolean | undefined;
  /** How many rejects each file report lists (all are counted, and all go to `rejectsPath`). */
  maxListedRejects?: number | undefined;
  /** DuckDB stores only: the memory limit while ingesting (default 256MB; DuckDB spills beyond it). */
  duckdbMemoryLimit?: string | undefined;
  /** Rebuild the gazetteer's learned places after an ingest that changed events (default true). */
  learnPlaces?: boolean | undefined;
  /** Never take the DuckDB-native path for ACLED CSV (the JavaScript path is the reference). */
  javascriptOnly?: boolean | undefined;
  /**
   * DuckDB-native path: a file with more rows than this that only `toEvent` can map goes the streaming
   * JavaScript way instead (default 50,000; those rows come back to JavaScript in one result).
   */
  maxRowsLeftToToEvent?: number | undefined;
  /** Told how many events of the current file have been staged (not yet committed). */
  onStaged?: ((file: string, events: number) => void) | undefined;
}

export interface FileReport {
  file: string;
  format: Format;
  source: string;
  mapping: string | null;
  sha256: string;
  batchId: string;
  rowsRead: number;
  stored: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first rejects (up to `maxListedRejects`). */
  rejects: RejectedRow[];
  actorsLearned: number;
  seconds: number;
}

export interface IngestReport {
  files: FileReport[];
  /** Files found in a directory that no importer reads. */
  skipped: { file: string; reason: string }[];
  /**
   * Places the gazetteer now knows from stored events (`learnPlaces`, re-run after an ingest that
   * inserted or updated events; 0 when nothing changed).
   */
  placesLearned: number;
}

const SUPPORTED_EXTENSIONS = new Set(['.csv', '.geojson', '.json', '.txt', '.tsv']);
/** News documents only (src/ingest/text/is-news-document.ts): met in a folder of data sets, they are named. */
const DOCUMENT_EXTENSIONS = new Set(['.html', '.htm', '.md', '.text']);

/**
 * Ingests files and directories (every supported file in them, recursively) into the store, one
 * all-or-nothing batch per file. Actors met for the first time are learned and saved.
 * Throws an IngestError naming the file for a file that cannot be read at all; files stored before
 * it stay stored.
 *
 * @example await ingestPaths(store, ['../shared/data/acled-balochistan-2020-2024h1.csv'])
 */
export async function ingestPaths(
  store: Store,
  paths: readonly string[],
  options: IngestOptions = {},
): Promise<IngestReport> {
  const mapping = options.mappingPath ? loadMapping(options.mappingPath) : undefined;
  const format = options.format ?? (mapping ? 'csv' : undefined);
  const actors = await ActorRegistry.fromStore(store);
  const sink = options.rejectsPath ? rejectsFile(options.rejectsPath) : NO_REJECT_SINK;
  const report: IngestReport = { files: [], skipped: [], placesLearned: 0 };
  const restoreSettings = await tuneDuckDbForIngest(store, options.duckdbMemoryLimit ?? '256MB');
  // Canonical actors (the seed and those learned) go to the store when it lacks them or holds an older form.
  const actorKey = (a: CanonicalActor) =>
    JSON.stringify([a.name, a.kind, [...new Set(a.aliases)].filter((x) => x !== a.name).sort()]);
  const saved = new Map((await store.listActors()).map((a) => [a.id, actorKey(a)]));
  try {
    for (const { path, explicit } of await expandPaths(paths)) {
      let detected: Detected;
      // An article saved beside the data sets was passed over without a word: say how to read it.
      if (!explicit && !format && DOCUMENT_EXTENSIONS.has(extname(path).toLowerCase())) {
        report.skipped.push({
          file: path,
          reason: `${path}: a news document, not a data set: read it with \`sitrep ingest ${path} --published YYYY-MM-DD\` (or a folder of them with --format text)`,
        });
        continue;
      }
      try {
        detected = await detectFormat(path, path, { format, mapping });
      } catch (error) {
        if (!explicit && error instanceof IngestError) {
          report.skipped.push({ file: path, reason: error.message });
          continue;
        }
        throw error;
      }
      const fileReport = await ingestFile(store, path, detected, actors, sink, options);
      const unsaved = actors.all().filter((a) => saved.get(a.id) !== actorKey(a));
      if (unsaved.length) {
        await store.saveActors(unsaved);
        for (const actor of unsaved) saved.set(actor.id, actorKey(actor));
      }
      const learnedIds = new Set(actors.learned().map((a) => a.id));
      fileReport.actorsLearned = unsaved.filter((a) => learnedIds.has(a.id)).length;
      report.files.push(fileReport);
    }
    if (options.learnPlaces !== false && report.files.some((f) => f.inserted + f.updated > 0)) {
      report.placesLearned = (await learnPlaces(store)).places;
    }
  } catch (error) {
    if (error instanceof IngestError) {
      error.committedBefore = report.files.map((f) => ({ file: f.file, stored: f.stored }));
    }
    throw error;
  } finally {
    await sink.close();
    await restoreSettings();
  }
  return report;
}

/**
 * DuckDB may use 80% of the machine's memory and keeps a large uncommitted insert in memory until
 * it must evict: capping it during an ingest keeps a 1M-row file's peak RSS flat (it spills to
 * `<db>.tmp` instead). It also lets DuckDB store the rows of one statement in any order
 * (`preserve_insertion_order = false`): keeping the file's order cost ~2 s of 20 s CPU in the 1M-row insert
 * (docs/ingest.md), and no reader depends on storage order: the same readers run on PostgreSQL, which keeps
 * none. Returns
 * how to put the previous settings back.
 */
async function tuneDuckDbForIngest(store: Store, limit: string): Promise<() => Promise<void>> {
  if (store.dialect !== 'duckdb') return async () => {};
  const setting = async (name: string) => {
    const [row] = await store.query<{ value: string }>(
      'SELECT CAST(value AS TEXT) AS value FROM duckdb_settings() WHERE name = $1',
      [name],
    );
    return row ? String(row.value) : null;
  };
  const clean = (value: string) => value.replace(/[^0-9A-Za-z. ]/g, '');
  const previousOrder = await setting('preserve_insertion_order');
  await store.query('SET preserve_insertion_order = false');
  // An in-memory store cannot spill: its limit stays.
  const previousLimit = store.location === ':memory:' ? null : await setting('memory_limit');
  if (previousLimit) await store.query(`SET memory_limit = '${clean(limit)}'`);
  return async () => {
    if (previousLimit)
      await store.query(`SET memory_limit = '${clean(previousLimit)}'`).catch(() => undefined);
    if (previousOrder)
      await store
        .query(`SET preserve_insertion_order = ${previousOrder === 'true' ? 'true' : 'false'}`)
        .catch(() => undefined);
  };
}

/** The files to read: explicit paths as given, directories expanded to their supported files. */
async function expandPaths(paths: readonly string[]): Promise<{ path: string; explicit: boolean }[]> {
  const out: { path: string; explicit: boolean }[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((cause: NodeJS.ErrnoException) => {
      // "cannot read: ENOENT" made the user look the code up
      const why = cause.code === 'ENOENT' ? 'no such file or directory' : (cause.code ?? cause.message);
      throw new IngestError(`${path}: cannot read: ${why}`, { cause });
    });
    if (!info.isDirectory()) {
      out.push({ path, explicit: true });
      continue;
    }
    const entries = await readdir(path, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    const nested = entries.filter((e) => e.isDirectory()).map((e) => join(path, e.name));
    for (const entry of entries) {
      const ext = extname(entry.name).toLowerCase();
      if (entry.isFile() && (SUPPORTED_EXTENSIONS.has(ext) || DOCUMENT_EXTENSIONS.has(ext))) {
        out.push({ path: join(path, entry.name), explicit: false });
      }
    }
    for (const found of await expandPaths(nested)) out.push({ ...found, explicit: false });
  }
  return out;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

interface Row {
  line: number;
  row: SourceRow;
  shapeError?: string | null;
}

function rowsOf(
  path: string,
  detected: Detected,
  encoding: string | undefined,
  onBytes: (bytes: number) => void,
): AsyncGenerator<Row> {
  return detected.container === 'geojson'
    ? readGeoJson(path, path, onBytes)
    : readCsv(path, path, encoding ?? detected.importer.encoding, onBytes);
}

/**
 * EventRecord, except that `raw` is only checked to be an object: importers build it from the row they
 * read, and walking its every key again cost more than all the other fields together.
 */
const MappedEvent = EventRecord.extend({
  raw: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && !Array.isArray(v)),
});

/** The first problem zod finds with a mapped record, as `field: reason`. */
export function invalidField(event: EventRecord): RowError | null {
  const parsed = MappedEvent.safeParse(event);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  return new RowError(issue?.path.join('.') || 'record', issue?.message ?? 'invalid');
}

/** One file, one batch: rows streamed, mapped, validated and handed to the store in chunks. */
/**
 * A file's bad rows, handled the same way on both ingest paths: counted, the first ones listed, all
 * written to the rejects sink; under `--strict` the first one stops the file.
 */
export class FileRejects {
  count = 0;
  readonly listed: RejectedRow[] = [];

  constructor(
    private readonly path: string,
    private readonly sink: RejectSink,
    private readonly options: Pick<IngestOptions, 'strict' | 'maxListedRejects'>,
  ) {}

  async add(line: number, problem: RowError | null): Promise<void> {
    const reject = {
      file: this.path,
      line,
      field: problem?.field ?? '(row)',
      reason: problem?.reason ?? 'invalid',
    };
    if (this.options.strict) {
      throw new IngestError(
        `${reject.file}:${reject.line}: ${reject.field}: ${reject.reason} (--strict: nothing stored from ${this.path})`,
      );
    }
    this.count++;
    if (this.listed.length < (this.options.maxListedRejects ?? 1000)) this.listed.push(reject);
    await this.sink.write(reject);
  }
}

/** The report of one committed file, the same shape from both ingest paths. */
export function fileReport(
  path: string,
  detected: Detected,
  sha256: string,
  rowsRead: number,
  summary: WriteSummary,
  rejects: FileRejects,
  started: number,
): FileReport {
  return {
    file: path,
    format: detected.importer.format,
    source: detected.importer.source,
    mapping: detected.mapping,
    sha256,
    batchId: summary.batchId,
    rowsRead,
    stored: summary.inserted + summary.updated + summary.unchanged,
    inserted: summary.inserted,
    updated: summary.updated,
    unchanged: summary.unchanged,
    rejected: rejects.count,
    rejects: rejects.listed,
    actorsLearned: 0,
    seconds: Math.round(performance.now() - started) / 1000,
  };
}

export async function ingestFile(
  store: Store,
  path: string,
  detected: Detected,
  actors: ActorRegistry,
  sink: RejectSink,
  options: IngestOptions = {},
): Promise<FileReport> {
  if (!options.javascriptOnly) {
    const viaSql = await ingestFileInSql(store, path, detected, actors, sink, options);
    if (viaSql) return viaSql;
  }
  const started = performance.now();
  const { importer } = detected;
  const chunkSize = options.chunkSize ?? 5000;
  const size = (await stat(path)).size;
  const sha256 = await sha256File(path);
  const writer = await store.beginImport({
    file: path,
    sha256,
    format: detected.mapping ? `csv:${detected.mapping}` : importer.format,
  });
  const progress: Progress = options.progress ? progressBar(path, size) : NO_PROGRESS;
  const rejects = new FileRejects(path, sink, options);
  let rowsRead = 0;
  let bytes = 0;
  let chunk: EventRecord[] = [];
  let staged = 0;
  const countryOf = new CountryOf();
  try {
    for await (const { line, row, shapeError } of rowsOf(path, detected, options.encoding, (b) => {
      bytes = b;
    })) {
      rowsRead++;
      let problem: RowError | null = shapeError ? new RowError('(row)', shapeError) : null;
      let event: EventRecord | null = null;
      if (!problem) {
        try {
          event = importer.toEvent(row, actors);
          problem = invalidField(event);
        } catch (error) {
          if (!(error instanceof RowError)) throw error;
          problem = error;
        }
      }
      if (problem || !event) {
        await rejects.add(line, problem);
        continue;
      }
      await countryOf.fill(event);
      canonicalEventAdmin(event);
      chunk.push(event);
      if (chunk.length >= chunkSize) {
        await writer.add(chunk);
        staged += chunk.length;
        options.onStaged?.(path, staged);
        chunk = [];
        progress.update(bytes, rowsRead);
      }
    }
    if (chunk.length) await writer.add(chunk);
    if (rowsRead === 0) throw new IngestError(`${path}: no rows after the header`);
    const summary = await writer.finish({ rowsRead, rowsRejected: rejects.count });
    progress.done();
    return fileReport(path, detected, sha256, rowsRead, summary, rejects, started);
  } catch (error) {
    await writer.abort();
    if (options.progress) process.stderr.isTTY && process.stderr.write('\n');
    throw error;
  }
}
