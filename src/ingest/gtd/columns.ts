/** Columns of the GTD codebook every GTD export carries (CSV or GeoJSON properties). */
export const REQUIRED = ['iyear', 'imonth', 'iday', 'attacktype1_txt', 'gname'];

/** Read when present. `eventid` is missing from some published subsets. */
export const OPTIONAL = [
  'eventid',
  'approxdate',
  'extended',
  'resolution',
  'country_txt',
  'provstate',
  'city',
  'latitude',
  'longitude',
  'specificity',
  'summary',
  'suicide',
  'claimed',
  'targtype1_txt',
  'weaptype1_txt',
  'gname2',
  'gname3',
  'nkill',
  'nwound',
  'nhostkid',
  'scite1',
  'scite2',
  'scite3',
];

/** True when a CSV header (or a feature's property names) is a GTD export's. */
export function matchesHeader(columns: readonly string[]): boolean {
  const have = new Set(columns.map((c) => c.trim().toLowerCase()));
  return REQUIRED.every((c) => have.has(c));
}
