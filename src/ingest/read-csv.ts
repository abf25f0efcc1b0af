import { CsvSplitter, CsvSyntaxError } from './csv-records.ts';
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
  const splitter = new CsvSplitter();
  let header: string[] | null = null;
  let makeRow: (cells: readonly string[]) => SourceRow = () => ({});
  try {
    const chunks = decodeFile(path, displayName, encoding, onBytes);
    for (let next = await chunks.next(); ; next = await chunks.next()) {
      const records = next.done ? splitter.end() : splitter.push(next.value);
      for (const { line, cells } of records) {
        if (header === null) {
          header = cells.map((c) => c.trim());
          makeRow = rowFactory(header);
          continue;
        }
        const row = makeRow(cells);
        const shapeError =
          cells.length === header.length ||
          (cells.length > header.length && cells.slice(header.length).every((c) => c === ''))
            ? null
            : `row has ${cells.length} fields, the header ${header.length}`;
        yield { line, row, shapeError };
      }
      if (next.done) break;
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new IngestError(`${displayName}:${error.line}: malformed CSV: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  if (header === null) throw new IngestError(`${displayName}: empty file (no header)`);
}

/**
 * A function that turns a record's cells into an object keyed by the header. It is generated as one
 * object literal so that V8 gives every row the same fast shape: adding 30-odd keys one by one makes
 * dictionary-mode objects, which doubled the garbage collector's work on large files. Keys are
 * JSON-quoted; a header that names `__proto__` takes the plain loop instead.
 */
export function rowFactory(header: readonly string[]): (cells: readonly string[]) => SourceRow {
  if (header.includes('__proto__') || new Set(header).size !== header.length) {
    return (cells) => {
      const row: SourceRow = {};
      for (let i = 0; i < header.length; i++) row[header[i] as string] = cells[i] ?? '';
      return row;
    };
  }
  const body = header.map((name, i) => `${JSON.stringify(name)}: c[${i}] ?? ''`).join(', ');
  return new Function('c', `return { ${body} };`) as (cells: readonly string[]) => SourceRow;
}
