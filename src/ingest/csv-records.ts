/** A CSV syntax error, with the line it was found on. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(reason);
  }
}

export interface CsvRecord {
  /** Line the record starts on (1-based, counting \n). */
  line: number;
  cells: string[];
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Splits CSV text (RFC 4180: quoted cells may hold commas, quotes as "" and newlines) into records,
 * chunk by chunk: text after the last complete record is kept for the next chunk. Blank lines are
 * skipped; a quote inside an unquoted cell is kept as written. Written for speed on the ingest hot path:
 * one pass of charCodeAt, cells sliced from the chunk.
 *
 * @example
 * const split = new CsvSplitter();
 * [...split.push('a,b\n1,"x, y"\n'), ...split.end()] // [{line: 1, cells: ['a','b']}, {line: 2, cells: ['1','x, y']}]
 */
export class CsvSplitter {
  private carry = '';
  private line = 1;
  private first = true;

  /** The records completed by this chunk. */
  push(chunk: string): CsvRecord[] {
    let text = this.carry + chunk;
    if (this.first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.first = false;
    }
    return this.split(text, false);
  }

  /** The last record, when the text does not end with a newline. Throws on an unclosed quote. */
  end(): CsvRecord[] {
    const text = this.carry;
    this.carry = '';
    return this.split(text, true);
  }

  private split(text: string, final: boolean): CsvRecord[] {
    const records: CsvRecord[] = [];
    const n = text.length;
    let pos = 0;
    while (pos < n) {
      const start = pos;
      const startLine = this.line;
      let newlines = 0;
      const cells: string[] = [];
      let i = pos;
      let complete = false;
      for (;;) {
        if (i < n && text.charCodeAt(i) === QUOTE) {
          // quoted cell
          let value = '';
          let j = i + 1;
          let closed = false;
          while (j < n) {
            const k = text.indexOf('"', j);
            if (k < 0) break;
            for (let m = text.indexOf('\n', j); m >= 0 && m < k; m = text.indexOf('\n', m + 1)) newlines++;
            if (k + 1 < n && text.charCodeAt(k + 1) === QUOTE) {
              value += text.slice(j, k + 1);
              j = k + 2;
              continue;
            }
            if (k + 1 >= n && !final) break; // a "" split across chunks: wait for more
            value += text.slice(j, k);
            i = k + 1;
            closed = true;
            break;
          }
          if (!closed) {
            if (final) throw new CsvSyntaxError(startLine, 'unclosed quote');
            newlines = -1;
            break;
          }
          cells.push(value);
          const c = i < n ? text.charCodeAt(i) : -1;
          if (c === COMMA) {
            i++;
            continue;
          }
          if (c === CR && i + 1 < n && text.charCodeAt(i + 1) === LF) i++;
          if (c === LF || c === CR) {
            i++;
            complete = true;
            break;
          }
          if (c === -1) {
            if (final) complete = true;
            break;
          }
          throw new CsvSyntaxError(
            startLine + newlines,
            `unexpected ${JSON.stringify(text[i])} after a closing quote`,
          );
        }
        // unquoted cell: up to the next comma or newline
        let k = i;
        let c = -1;
        while (k < n) {
          c = text.charCodeAt(k);
          if (c === COMMA || c === LF) break;
          k++;
        }
        if (k >= n) {
          if (!final) break;
          cells.push(text.slice(i, k).replace(/\r$/, ''));
          i = k;
          complete = true;
          break;
        }
        if (c === COMMA) {
          cells.push(text.slice(i, k));
          i = k + 1;
          continue;
        }
        cells.push(k > i && text.charCodeAt(k - 1) === CR ? text.slice(i, k - 1) : text.slice(i, k));
        i = k + 1;
        complete = true;
        break;
      }
      if (!complete) {
        this.carry = text.slice(start);
        return records;
      }
      pos = i;
      this.line += 1 + newlines;
      if (cells.length === 1 && cells[0] === '') continue; // blank line
      records.push({ line: startLine, cells });
    }
    this.carry = '';
    return records;
  }
}
