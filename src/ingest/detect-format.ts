import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { matchesHeader as isAcled } from './acled/columns.ts';
import { acled } from './acled/to-event.ts';
import { matchesHeader as isMappedCsv, missingColumns } from './csv/columns.ts';
import { type CsvMapping, shippedMappings } from './csv/mapping.ts';
import { mappingImporter } from './csv/to-event.ts';
import { matchesHeader as isGtd } from './gtd/columns.ts';
import { gtd } from './gtd/to-event.ts';
import { type Format, type Importer, IngestError } from './importer.ts';
import { matchesHeader as isUcdp } from './ucdp/columns.ts';
import { ucdp } from './ucdp/to-event.ts';

export interface Detected {
  importer: Importer;
  /** How the file is read. */
  container: 'csv' | 'geojson';
  /** The mapping used, for the generic CSV importer. */
  mapping: string | null;
}

export interface DetectOptions {
  format?: Format | undefined;
  mapping?: CsvMapping | undefined;
}

const BUILT_IN: [Importer, (columns: readonly string[]) => boolean][] = [
  [acled, isAcled],
  [gtd, isGtd],
  [ucdp, isUcdp],
];

const HEAD_BYTES = 64 * 1024;

/**
 * Which importer reads a file, from its first bytes: GeoJSON with GTD properties is GTD; a CSV header is
 * matched against ACLED, GTD and UCDP GED columns, then against every shipped mapping. `--format` and
 * `--mapping` override the guess but are still checked against the header.
 */
export async function detectFormat(
  path: string,
  displayName: string,
  options: DetectOptions = {},
): Promise<Detected> {
  const head = await readHead(path, displayName);
  if (head.length === 0) throw new IngestError(`${displayName}: empty file`);
  if (isUtf16(head))
    throw new IngestError(
      `${displayName}: UTF-16 text; Sitrep reads UTF-8 (or --encoding latin1): convert it first, e.g. iconv -f UTF-16 -t UTF-8 ${displayName} > ${displayName.replace(/(\.\w+)?$/, '-utf8$1')}`,
    );
  if (head.subarray(0, 8192).includes(0))
    throw new IngestError(`${displayName}: a binary file, not CSV or GeoJSON`);
  const text = decodeHead(head).replace(/^\ufeff/, '');
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') return detectJson(text, displayName, options);

  const headerLine = text.split(/\r?\n/, 1)[0] ?? '';
  let header: string[];
  try {
    header = (parse(headerLine, { relax_quotes: true }) as string[][])[0]?.map((c) => c.trim()) ?? [];
  } catch (cause) {
    throw new IngestError(`${displayName}:1: malformed CSV header: ${(cause as Error).message}`, { cause });
  }
  if (header.length < 2) throw new IngestError(`${displayName}:1: not a CSV file with a header row`);

  if (options.mapping) {
    const missing = missingColumns(header, options.mapping);
    if (missing.length) {
      throw new IngestError(
        `${displayName}:1: header lacks columns the mapping ${options.mapping.name} reads: ${missing.join(', ')}`,
      );
    }
    return { importer: mappingImporter(options.mapping), container: 'csv', mapping: options.mapping.name };
  }
  if (options.format && options.format !== 'csv') {
    const entry = BUILT_IN.find(([importer]) => importer.format === options.format);
    if (entry && !entry[1](header)) {
      throw new IngestError(
        `${displayName}:1: header is not ${options.format.toUpperCase()}'s (${describeHeader(header)})`,
      );
    }
    if (entry) return { importer: entry[0], container: 'csv', mapping: null };
  }
  if (!options.format) {
    const builtIn = BUILT_IN.find(([, matches]) => matches(header));
    if (builtIn) return { importer: builtIn[0], container: 'csv', mapping: null };
  }
  const mapping = shippedMappings().find((m) => isMappedCsv(header, m));
  if (mapping) return { importer: mappingImporter(mapping), container: 'csv', mapping: mapping.name };
  throw new IngestError(
    `${displayName}: unknown format: the header (${describeHeader(header)}) is not ACLED, GTD or UCDP GED and matches no mapping in data/mappings; pass --mapping FILE (or --format text if it is a news document)`,
  );
}

function detectJson(text: string, displayName: string, options: DetectOptions): Detected {
  if (options.format && options.format !== 'gtd') {
    throw new IngestError(`${displayName}: JSON, but --format ${options.format} reads CSV`);
  }
  const isCollection = /"type"\s*:\s*"FeatureCollection"/.test(text) || /"features"\s*:/.test(text);
  const hasGtdFields = /"iyear"\s*:/.test(text) && /"gname"\s*:/.test(text);
  if (isCollection && (hasGtdFields || options.format === 'gtd'))
    return { importer: gtd, container: 'geojson', mapping: null };
  // A rail line, a mine's outline or a boundaries file: shapes rather than incidents, most often a site.
  const shapes = /"type"\s*:\s*"(?:Multi)?(?:LineString|Polygon)"/.test(text);
  throw new IngestError(
    `${displayName}: unknown format: JSON that is not a GeoJSON FeatureCollection of GTD incidents (iyear, gname, …)${
      shapes
        ? '; it holds lines or polygons, not events: to measure violence near one, add it as a site with sitrep sites add NAME --geojson FILE'
        : ''
    }`,
  );
}

async function readHead(path: string, displayName: string): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw new IngestError(
      `${displayName}: cannot open: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
      {
        cause,
      },
    );
  }
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The head as text: UTF-8 when it is (so a header or an article's first line is quoted as written), else
 * Latin-1, which decodes any bytes. A character cut at the end of the head is dropped first.
 */
function decodeHead(head: Buffer): string {
  let end = head.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = head[end - back] ?? 0;
    if ((byte & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((byte & 0x80) === 0) break;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
  } catch {
    return head.toString('latin1');
  }
}

function describeHeader(header: readonly string[]): string {
  const shown = header.slice(0, 6).join(', ');
  return header.length > 6 ? `${shown}, …` : shown;
}

/** UTF-16 text (as Windows tools save "Unicode" text): a byte-order mark, or every other byte zero. */
function isUtf16(head: Buffer): boolean {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return true;
  const sample = head.subarray(0, Math.min(head.length, 512) & ~1);
  if (sample.length < 8) return false;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  const half = sample.length / 2;
  return (evenZeros > half * 0.9 && oddZeros === 0) || (oddZeros > half * 0.9 && evenZeros === 0);
}
