import { type Command, InvalidArgumentError } from 'commander';
import { FORMATS, type Format, IngestError } from '../../ingest/importer.ts';
import { type IngestReport, ingestPaths } from '../../ingest/run-ingest.ts';
import { formatIngestReport, ingestTotals } from '../../ingest/summary.ts';
import { ingestTextPaths, type TextIngestSummary } from '../../ingest/text/index.ts';
import { isNewsDocument } from '../../ingest/text/is-news-document.ts';
import type { Store } from '../../store/contract.ts';
import { addDbOption, calendarDay, printJson, withStore } from '../shared-options.ts';

interface IngestFlags {
  db?: string;
  format?: Format | 'text';
  published?: string;
  mapping?: string;
  encoding?: string;
  rejects?: string;
  strict?: boolean;
  json?: boolean;
}

function parseFormat(value: string): Format | 'text' {
  if (value === 'text') return value;
  if (!(FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${[...FORMATS, 'text'].join(', ')}`);
  }
  return value as Format;
}

export function registerIngest(program: Command): void {
  addDbOption(
    program
      .command('ingest')
      .description(
        'Load ACLED, GTD (CSV or GeoJSON), UCDP GED or mapped CSV files (or directories of them) into the store. ' +
          'Each file is one all-or-nothing batch; re-ingesting adds nothing, a corrected file updates by source id. ' +
          'News documents (.txt, .html, .md, or any file with --format text) are stored with the events extracted from them.',
      )
      .argument('<paths...>', 'files or directories')
      .option(
        '--format <format>',
        `read every file as ${[...FORMATS, 'text'].join('|')} (default: detect from the header; text = news documents)`,
        parseFormat,
      )
      .option(
        '--published <date>',
        'for news documents: publication date for documents that carry none (YYYY-MM-DD); ingesting a document again with another day re-dates its events',
        calendarDay,
      )
      .option(
        '--encoding <name>',
        "character set of the files, e.g. latin1 (default: utf-8, or the mapping's)",
      )
      .option('--mapping <file>', 'JSON mapping from CSV columns to event fields (implies --format csv)')
      .option('--rejects <path>', 'also write every rejected row as "file:line: field: reason" to this file')
      .option('--strict', 'stop at the first bad row and store nothing from that file')
      .option('--json', 'print the report as JSON (see docs/ingest.md)'),
  ).action(async (paths: string[], flags: IngestFlags) => {
    if (flags.format === 'text') {
      const summary = await withStore(flags.db, (store) =>
        ingestDocuments(store, paths, flags.published, !flags.json),
      );
      if (flags.json) printJson(summary);
      else process.stdout.write(`${formatDocumentSummary(summary)}\n`);
      return;
    }
    // Without --format, an article saved as .txt or .html is a news document, not a data set.
    const documents: string[] = [];
    const dataSets: string[] = [];
    for (const path of paths) {
      const isDocument = !flags.format && !flags.mapping && (await isNewsDocument(path));
      (isDocument ? documents : dataSets).push(path);
    }
    const { report, documentSummary } = await withStore(flags.db, async (store) => ({
      documentSummary: documents.length
        ? await ingestDocuments(store, documents, flags.published, !flags.json)
        : null,
      report: dataSets.length ? await ingestDataSets(store, dataSets, flags) : null,
    }));
    if (flags.json) {
      const dataReport = report ?? { files: [], skipped: [], placesLearned: 0 };
      printJson({
        ...dataReport,
        totals: ingestTotals(dataReport),
        ...(documentSummary ? { documents: documentSummary } : {}),
      });
      return;
    }
    if (documentSummary) process.stdout.write(`${formatDocumentSummary(documentSummary)}\n`);
    if (report) process.stdout.write(`${formatIngestReport(report)}\n`);
  });
}

/** News documents: stored with the events extracted from them (src/ingest/text, docs/extraction.md). */
async function ingestDocuments(
  store: Store,
  paths: readonly string[],
  published: string | undefined,
  progress: boolean,
): Promise<TextIngestSummary> {
  const { Gazetteer } = await import('../../extract/places/gazetteer.ts');
  const { ActorRegistry } = await import('../../resolve/actor-registry.ts');
  return ingestTextPaths(store, paths, {
    gazetteer: await Gazetteer.fromStore(store),
    actors: await ActorRegistry.fromStore(store),
    ...(published ? { published } : {}),
    progress,
  });
}

function formatDocumentSummary(summary: TextIngestSummary): string {
  const split = summary.split.map((s) => `${s.file} as ${s.parts} parts`).join(', ');
  return `${summary.documents} document${summary.documents === 1 ? '' : 's'}${split ? ` (${split})` : ''}: ${summary.stored - summary.updated} new, ${summary.updated} updated, ${summary.unchanged} unchanged; ${summary.events} event${summary.events === 1 ? '' : 's'} from the documents written${summary.removed ? `, ${summary.removed} no longer given removed` : ''}${summary.empty.length ? `; left out, holding no text: ${summary.empty.join(', ')}` : ''}`;
}

function ingestDataSets(store: Store, paths: readonly string[], flags: IngestFlags): Promise<IngestReport> {
  return ingestPaths(store, paths, {
    format: flags.format as Format | undefined,
    mappingPath: flags.mapping,
    encoding: flags.encoding,
    rejectsPath: flags.rejects,
    strict: flags.strict,
    progress: !flags.json,
    // A trace for debugging and for the crash test, which kills the process mid-file.
    onStaged: process.env.SITREP_TRACE_INGEST
      ? (file, events) => process.stderr.write(`staged ${events} ${file}\n`)
      : undefined,
  }).catch((error: unknown) => {
    // Say what was committed before the file that failed: those batches stay stored.
    if (error instanceof IngestError) {
      for (const done of error.committedBefore) {
        process.stderr.write(
          `stored ${done.stored.toLocaleString('en-US')} events from ${done.file} before the error\n`,
        );
      }
    }
    throw error;
  });
}
