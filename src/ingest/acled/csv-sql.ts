import type { Store } from '../../store/contract.ts';
import { type RawHeader, rawHeader, SAME_AS_COLUMN } from '../../store/raw-record.ts';
import { DERIVED, PARSED, TEXT_COLUMNS } from './to-event-sql.ts';

/** The characters JavaScript's `String.prototype.trim` removes, so SQL trims cells as `text()` does. */
const JS_WHITESPACE =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** An ACLED CSV file as SQL over DuckDB's `read_csv` of it, every cell as text. */
export interface AcledCsvSql {
  /** The parameters of every statement below: $1 the file, $2 the whitespace `trim` removes. */
  params: string[];
  /**
   * The rows in layers (cells trimmed once as `t_<column>`, parsed once as `p_<name>`: PARSED, then DERIVED, see
   * `acled/to-event-sql.ts`), plus `seq`, the record's position in the file, when asked for: numbering
   * rows is a streaming window that runs on one thread, so only the scans that need it ask.
   */
  layered(withSeq: boolean): string;
  /**
   * Only `columns`, untrimmed as `r_<column>` (NULL when absent), with `seq`: for a scan that numbers rows
   * (one thread) and can trim after it has cut the rows down (see `trimmedCell`).
   */
  numberedCells(columns: readonly string[]): string;
  /** `r_<column>` trimmed as `t_<column>` is in `layered`. */
  trimmedCell(column: string): string;
  /**
   * `raw` as `encodeRaw` writes the row object (header order, cells untrimmed, '' for empty), in the tabular
   * shape of `store/raw-record.ts`; `columns` are the SQL of the event's columns, which cells equal to
   * them are left out for.
   */
  rawJson(columns: Readonly<Record<string, string>>): string;
  /** The header `rawJson` names, which the import saves. */
  rawHeader: RawHeader;
  /** The row's cells as a JSON array (header order, untrimmed, '' for empty). */
  cellsJson: string;
  has(column: string): boolean;
}

export function acledCsvSql(path: string, header: readonly string[]): AcledCsvSql {
  const csvColumns = header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
  const source = `read_csv($1, header = false, skip = 1, auto_detect = false, delim = ',', quote = '"',
    escape = '"', columns = {${csvColumns}}, strict_mode = true)`;
  const index = new Map(header.map((name, i) => [name, i]));
  // trim() with a character list is slow (~1 µs a cell): only cells that start or end with something
  // other than printable ASCII take it. substr(c, -1) is the last code point; right(c, 1) cost 2× more.
  const trim = (c: string) =>
    `CASE WHEN ascii(${c}) BETWEEN 33 AND 126 AND ascii(substr(${c}, -1)) BETWEEN 33 AND 126 THEN ${c} ELSE NULLIF(trim(${c}, $2), '') END`;
  const trimmed = TEXT_COLUMNS.map((column) => {
    const i = index.get(column);
    return `${i === undefined ? 'CAST(NULL AS VARCHAR)' : trim(`s.c${i}`)} AS t_${column}`;
  });
  const parsed = Object.entries(PARSED).map(([name, expr]) => `${expr} AS ${name}`);
  const derived = Object.entries(DERIVED).map(([name, expr]) => `${expr} AS ${name}`);
  return {
    params: [path, JS_WHITESPACE],
    layered: (withSeq) =>
      `(SELECT *, ${derived.join(', ')} FROM (SELECT *, ${parsed.join(', ')} FROM (SELECT s.*, ${withSeq ? 'row_number() OVER () - 1 AS seq, ' : ''}${trimmed.join(', ')}
        FROM ${source} s) l1) l2) l3`,
    numberedCells: (columns) =>
      `(SELECT ${columns.map((c) => `${index.has(c) ? `s.c${index.get(c)}` : 'CAST(NULL AS VARCHAR)'} AS r_${c}`).join(', ')},
               row_number() OVER () - 1 AS seq
        FROM ${source} s) n`,
    trimmedCell: (column) => trim(`r_${column}`),
    rawJson: (columns) =>
      `to_json(list_value('${rawHeader(header).id}', ${header
        .map((name, i) => {
          const same = SAME_AS_COLUMN[name];
          const expr = same === undefined ? undefined : columns[same];
          return expr === undefined
            ? `COALESCE(c${i}, '')`
            : `CASE WHEN c${i} = (${expr}) THEN NULL ELSE COALESCE(c${i}, '') END`;
        })
        .join(', ')}))`,
    rawHeader: rawHeader(header),
    cellsJson: `to_json(list_value(${header.map((_, i) => `COALESCE(c${i}, '')`).join(', ')}))`,
    has: (column) => index.has(column),
  };
}

/** A name in the actor columns, with the kinds of the first row that names it. */
export interface ActorMention {
  name: string;
  /** 0: actor1, 1: actor2 (in that first row). */
  slot: number;
  inter1: string | null;
  inter2: string | null;
  interaction: string | null;
}

export interface CsvSurvey {
  rowsRead: number;
  /**
   * Distinct coordinates (as the SQL parses them) when the file has no `country` column; rows the SQL
   * does not map are not told apart here (that would take the mapping's whole test, row by row).
   */
  unplaced: { lat: number; lon: number }[];
  /** Distinct actor names, in the order the JavaScript path meets them. */
  actors: ActorMention[];
}

/** The cells the actor scan reads. */
const ACTOR_CELLS = ['actor1', 'actor2', 'inter1', 'inter2', 'interaction'];

/**
 * The file's rows counted and its actors listed, in one scan; and, when the file has no `country` column,
 * a second scan at the same time (on the store's own connections) that lists the coordinates the
 * gazetteer must place. (With the column, a row that leaves it blank but has coordinates is left to
 * `toEvent`: see `cleanSql` in stage-csv-sql.ts.) Null when DuckDB cannot read the file as plain CSV (a
 * short or long row, a stray quote).
 */
export async function surveyCsv(store: Store, csv: AcledCsvSql): Promise<CsvSurvey | null> {
  const [placed, listed] = await Promise.allSettled([
    csv.has('country')
      ? Promise.resolve([])
      : store.query<{ lat: number | null; lon: number | null }>(
          `SELECT DISTINCT p_latitude AS lat, p_longitude AS lon FROM ${csv.layered(false)}
           WHERE p_latitude IS NOT NULL AND p_longitude IS NOT NULL`,
          csv.params,
        ),
    // Numbering rows runs on one thread, so the rows are first cut down to their distinct combinations
    // of actors and kinds, each with its first row and its count: a name's first row is the first among
    // its combinations. The cells are trimmed after that cut, not on the one thread (combinations that
    // trim alike meet again in the outer GROUP BY, which keeps the first). The last row (name NULL) holds
    // the number of rows.
    store.query<{
      name: string | null;
      slot: number | null;
      inter1: string | null;
      inter2: string | null;
      interaction: string | null;
      ord: number | null;
      rows_read: number | null;
    }>(
      `WITH combinations AS MATERIALIZED (
         SELECT ${ACTOR_CELLS.map((c) => `${csv.trimmedCell(c)} AS t_${c}`).join(', ')}, first, n
         FROM (SELECT ${ACTOR_CELLS.map((c) => `r_${c}`).join(', ')}, MIN(seq) AS first, COUNT(*) AS n
               FROM ${csv.numberedCells(ACTOR_CELLS)} GROUP BY ALL) raw)
       SELECT name, arg_min(slot, ord) AS slot, arg_min(t_inter1, ord) AS inter1, arg_min(t_inter2, ord) AS inter2,
              arg_min(t_interaction, ord) AS interaction, MIN(ord) AS ord, CAST(NULL AS BIGINT) AS rows_read
       FROM (SELECT unnest([t_actor1, t_actor2]) AS name, unnest([0, 1]) AS slot, unnest([first * 2, first * 2 + 1]) AS ord,
                    t_inter1, t_inter2, t_interaction
             FROM combinations) x
       WHERE name IS NOT NULL GROUP BY name
       UNION ALL
       SELECT NULL, NULL, NULL, NULL, NULL, NULL, (SELECT COALESCE(SUM(n), 0) FROM combinations)`,
      csv.params,
    ),
  ]);
  if (placed.status === 'rejected' || listed.status === 'rejected') return null;
  const total = listed.value.find((a) => a.name === null);
  return {
    rowsRead: Number(total?.rows_read ?? 0),
    unplaced: placed.value.map((c) => ({ lat: Number(c.lat), lon: Number(c.lon) })),
    actors: listed.value
      .flatMap((a) =>
        a.name === null
          ? []
          : [
              {
                name: a.name,
                slot: Number(a.slot),
                inter1: a.inter1,
                inter2: a.inter2,
                interaction: a.interaction,
                ord: Number(a.ord),
              },
            ],
      )
      .sort((a, b) => a.ord - b.ord)
      .map(({ ord: _ord, ...mention }) => mention),
  };
}
