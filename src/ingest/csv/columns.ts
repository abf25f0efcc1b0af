import type { CsvMapping } from './mapping.ts';

/** True when a CSV header has every column a mapping lists under `header`. */
export function matchesHeader(columns: readonly string[], mapping: CsvMapping): boolean {
  const have = new Set(columns.map((c) => c.trim()));
  return mapping.header.every((c) => have.has(c));
}

/** The columns a mapping reads that a header lacks (so a wrong mapping fails with a clear message). */
export function missingColumns(columns: readonly string[], mapping: CsvMapping): string[] {
  const have = new Set(columns.map((c) => c.trim()));
  const used = new Set<string>(mapping.header);
  if ('column' in mapping.id) used.add(mapping.id.column);
  else for (const c of mapping.id.hash) used.add(c);
  for (const source of Object.values(mapping.fields)) {
    if ('column' in source) used.add(source.column);
    if ('columns' in source) for (const c of source.columns) used.add(c);
  }
  for (const count of Object.values(mapping.counts)) {
    for (const c of [count?.low, count?.high, count?.best]) if (c && c !== 'low' && c !== 'high') used.add(c);
  }
  return [...used].filter((c) => !have.has(c));
}
