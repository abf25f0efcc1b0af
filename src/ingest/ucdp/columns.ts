/** Columns of UCDP GED (codebook) that identify its CSV export. */
export const REQUIRED = ['id', 'date_start', 'side_a', 'side_b', 'best', 'type_of_violence'];

/** Read when present. */
export const OPTIONAL = [
  'date_end',
  'low',
  'high',
  'where_prec',
  'date_prec',
  'country',
  'adm_1',
  'adm_2',
  'where_coordinates',
  'latitude',
  'longitude',
  'source_article',
  'source_headline',
  'deaths_civilians',
];

/** True when a CSV header is a UCDP GED export's. */
export function matchesHeader(columns: readonly string[]): boolean {
  const have = new Set(columns.map((c) => c.trim().toLowerCase()));
  return REQUIRED.every((c) => have.has(c));
}
