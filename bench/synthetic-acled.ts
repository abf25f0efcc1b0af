import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** Synthetic ACLED-shaped rows for the ingest benchmark and the crash test (no real ACLED text). */
const HEADER = [
  'event_id_cnty',
  'event_date',
  'year',
  'time_precision',
  'disorder_type',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'interaction',
  'civilian_targeting',
  'iso',
  'region',
  'country',
  'admin1',
  'admin2',
  'admin3',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'source_scale',
  'notes',
  'fatalities',
  'tags',
  'timestamp',
];

const TYPES: [string, string][] = [
  ['Battles', 'Armed clash'],
  ['Explosions/Remote violence', 'Remote explosive/landmine/IED'],
  ['Violence against civilians', 'Attack'],
  ['Explosions/Remote violence', 'Suicide bomb'],
  ['Strategic developments', 'Arrests'],
];
const ACTORS = [
  'BLA: Baloch Liberation Army',
  'BLF: Baloch Liberation Front',
  'Military Forces of Pakistan (2022-)',
  'Police Forces of Pakistan (2022-) Frontier Corps',
  'Unidentified Armed Group (Pakistan)',
  'TTP: Tehreek-e-Taliban Pakistan',
];
const DISTRICTS = [
  'Kech',
  'Quetta',
  'Panjgur',
  'Gwadar',
  'Kalat',
  'Mastung',
  'Kachhi',
  'Turbat',
  'Zhob',
  'Awaran',
];

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A deterministic pseudo-random row: the same N always gives the same file. */
function syntheticRow(i: number): string {
  const day = new Date(Date.UTC(2015, 0, 1) + (i % 3650) * 86_400_000).toISOString().slice(0, 10);
  const [type, sub] = TYPES[i % TYPES.length] as [string, string];
  const a1 = ACTORS[i % ACTORS.length] as string;
  const a2 = i % 3 ? (ACTORS[(i * 7 + 1) % ACTORS.length] as string) : 'Civilians (Pakistan)';
  const district = DISTRICTS[i % DISTRICTS.length] as string;
  const cells = [
    `PAK${i + 1}`,
    day,
    day.slice(0, 4),
    String((i % 3) + 1),
    'Political violence',
    type,
    sub,
    a1,
    '',
    '2',
    a2,
    '',
    '1',
    'State forces-Rebel group',
    i % 4 === 0 ? 'Civilian targeting' : '',
    '586',
    'Southern Asia',
    'Pakistan',
    'Balochistan',
    district,
    `${district} Tehsil`,
    `${district} village ${i % 997}`,
    (25 + (i % 500) / 100).toFixed(4),
    (62 + (i % 700) / 100).toFixed(4),
    String((i % 3) + 1),
    'Dawn; The Balochistan Post',
    'National',
    `On ${day}, synthetic event ${i}: militants attacked a checkpost near ${district}, "reports" said; ${i % 5} killed.`,
    String(i % 5),
    i % 10 === 0 ? 'crowd size=no report' : '',
    '1718000000',
  ];
  return cells.map(csvCell).join(',');
}

/** Writes `rows` synthetic rows with the official ACLED export columns (deterministic: same N, same file). */
export async function writeSyntheticAcled(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${HEADER.join(',')}\n`);
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    buffer += `${syntheticRow(i)}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}
