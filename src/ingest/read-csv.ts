import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { type DecodeProgress, decodeFile } from './decode.ts';
import { IngestError, type SourceRow } from './importer.ts';

export interface CsvRow {
  /** Line the record starts on (1 = the header). */
  line: number;
  row: SourceRow;
  /** Set when the record's field count differs from the header's. */
  shapeError: string | null;
}

/**
 * The records of a CSV file as objects keyed by the header, streamed: memory stays flat whatever
 * the file's size. A malformed file (an unclosed quote, …) throws an IngestError with file and line.
 */
export async function* readCsv(
  path: string,
  displayName: string,
  encoding: string,
  onBytes?: DecodeProgress,
): AsyncGenerator<CsvRow, void, undefined> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  // pipeline hands a read or decode error to the parser, so the loop below throws it.
  pipeline(Readable.from(decodeFile(path, displayName, encoding, onBytes)), parser, () => undefined);
  let header: string[] | null = null;
  try {
    // Lines as editors count them (\n): csv-parse also counts a lone \r inside a quoted cell as a line.
    let linesBefore = 0;
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { empty_lines: number } }>) {
      const { record, info } = item;
      const line = linesBefore + info.empty_lines + 1;
      linesBefore += 1 + countNewlines(record);
      if (header === null) {
        header = record.map((c) => c.trim());
        continue;
      }
      const row: SourceRow = {};
      for (let i = 0; i < header.length; i++) row[header[i] as string] = record[i] ?? '';
      const shapeError =
        record.length === header.length ||
        (record.length > header.length && record.slice(header.length).every((c) => c === ''))
          ? null
          : `row has ${record.length} fields, the header ${header.length}`;
      yield { line, row, shapeError };
    }
  } catch (error) {
    if (error instanceof IngestError) throw error;
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new IngestError(`${displayName}:${line ?? '?'}: malformed CSV: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  if (header === null) throw new IngestError(`${displayName}: empty file (no header)`);
}

function countNewlines(record: readonly string[]): number {
  let n = 0;
  for (const cell of record) {
    for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) n++;
  }
  return n;
}
