/** One row of `placeCsv`: where a record says it happened. */
export interface PlaceRow {
  country: string;
  admin1: string;
  admin2: string;
  latitude?: number;
  longitude?: number;
  geoPrecision?: number;
}

/**
 * A small ACLED-shaped CSV whose rows differ only in place (ids PAK0, PAK1, …, one day apart in May 2023):
 * for tests of how ingest stores provinces, districts and points.
 */
export function placeCsv(rows: readonly PlaceRow[]): string {
  const header =
    'event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,country,admin1,admin2,location,latitude,longitude,geo_precision,fatalities';
  const lines = rows.map((r, i) =>
    [
      `PAK${i}`,
      `2023-05-${String(i + 1).padStart(2, '0')}`,
      'Battles',
      'Armed clash',
      'BLA',
      '',
      r.country,
      r.admin1,
      r.admin2,
      'Town',
      String(r.latitude ?? 29.1),
      String(r.longitude ?? 66.1),
      String(r.geoPrecision ?? 1),
      '2',
    ].join(','),
  );
  return [header, ...lines].join('\n');
}
