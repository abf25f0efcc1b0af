import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { IngestError } from '../importer.ts';

/** Where a model field's value comes from: a column, several joined, or a constant. */
const FieldSource = z.union([
  z.object({
    column: z.string().min(1),
    /** Date pattern(s) for date fields (see compileDateFormat); ISO is always accepted. */
    format: z.union([z.string(), z.array(z.string())]).optional(),
  }),
  z.object({
    columns: z.array(z.string().min(1)).min(1),
    /** Placed between the non-empty cells; with labels each cell reads `Column: value`. */
    join: z.string().default('; '),
    labels: z.boolean().default(false),
  }),
  z.object({ value: z.union([z.string(), z.number(), z.boolean(), z.null()]) }),
]);
export type FieldSource = z.infer<typeof FieldSource>;

/** A count given as min/max columns (or one figure): low, best and high, `best` possibly taken from low or high. */
const CountSource = z.object({
  low: z.string().optional(),
  high: z.string().optional(),
  /** A column, or "low"/"high": the best estimate is that bound (falling back to the other when empty). */
  best: z.string().optional(),
});
export type CountSource = z.infer<typeof CountSource>;

const RejectRule = z.object({
  column: z.string().min(1),
  /** The row is rejected when this column is empty (e.g. a totals row with no date). */
  empty: z.literal(true),
  reason: z.string().min(1),
});

export const CsvMapping = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    /** `events.source` for the rows; also the id prefix. */
    source: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and -'),
    encoding: z.string().default('utf-8'),
    /** Columns whose presence identifies the file (auto-detection). */
    header: z.array(z.string().min(1)).min(1),
    /** The source's own id column, or the columns whose content identifies a row. */
    id: z.union([
      z.object({ column: z.string().min(1) }),
      z.object({ hash: z.array(z.string().min(1)).min(1) }),
    ]),
    /** Cell values that mean "not known" (besides empty). */
    missing: z.array(z.string()).default([]),
    fields: z.record(z.string(), FieldSource).default({}),
    counts: z
      .object({
        fatalities: CountSource.optional(),
        injured: CountSource.optional(),
        held: CountSource.optional(),
      })
      .default({}),
    rejectIf: z.array(RejectRule).default([]),
  })
  .strict();
export type CsvMapping = z.infer<typeof CsvMapping>;

/** The mapping files shipped with Sitrep (data/mappings), used for auto-detection. */
export const MAPPINGS_DIR = fileURLToPath(new URL('../../../data/mappings/', import.meta.url));

/** Reads and validates a mapping file; errors name the file and the field. */
export function loadMapping(path: string): CsvMapping {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new IngestError(`${path}: cannot read mapping: ${(cause as Error).message}`, { cause });
  }
  const parsed = CsvMapping.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new IngestError(`${path}: ${issue?.path.join('.') || 'mapping'}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Every mapping shipped in data/mappings. */
export function shippedMappings(): CsvMapping[] {
  return readdirSync(MAPPINGS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => loadMapping(join(MAPPINGS_DIR, f)));
}
