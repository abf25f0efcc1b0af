import type { QueuedDocument } from './document.ts';

/**
 * Made-up but realistic wire-style reports for load tests and benchmarks: varied places, actors,
 * event types, counts and phrasing, deterministic for a seed. Invented text only — never copied
 * from any data set.
 */

const PLACES = [
  ['Quetta', 'Quetta'],
  ['Turbat', 'Kech'],
  ['Gwadar', 'Gwadar'],
  ['Panjgur', 'Panjgur'],
  ['Khuzdar', 'Khuzdar'],
  ['Mastung', 'Mastung'],
  ['Kalat', 'Kalat'],
  ['Noshki', 'Noshki'],
  ['Sibi', 'Sibi'],
  ['Dera Bugti', 'Dera Bugti'],
  ['Kohlu', 'Kohlu'],
  ['Zhob', 'Zhob'],
  ['Pasni', 'Gwadar'],
  ['Hub', 'Lasbela'],
  ['Bannu', 'Bannu'],
  ['Lakki Marwat', 'Lakki Marwat'],
  ['Dera Ismail Khan', 'Dera Ismail Khan'],
  ['Peshawar', 'Peshawar'],
] as const;

const ATTACKERS = [
  'the Balochistan Liberation Army',
  'the Balochistan Liberation Front',
  'Tehreek-e-Taliban Pakistan',
  'unidentified gunmen',
  'armed militants',
  'insurgents',
];
const FORCES = ['security forces', 'the Frontier Corps', 'police', 'Levies personnel', 'the army'];
const TARGETS = [
  'a checkpoint',
  'a police station',
  'a convoy',
  'a passenger bus',
  'a gas pipeline',
  'a railway track',
  'a mobile phone tower',
  'a construction camp',
  'a market',
];
const VICTIMS = [
  'soldiers',
  'policemen',
  'labourers',
  'passengers',
  'civilians',
  'Levies personnel',
  'workers',
];
const DAYS = [
  'on Monday',
  'on Tuesday',
  'on Wednesday',
  'on Thursday',
  'on Friday',
  'on Saturday',
  'on Sunday',
];
const NUMBERS = ['two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
const SOURCES = [
  'officials said',
  'a police spokesman said',
  'local residents said',
  'the district administration said',
];
const FILLER = [
  'The area was cordoned off and a search operation was launched.',
  'No group immediately claimed responsibility.',
  'The injured were shifted to a nearby hospital, where some were said to be in critical condition.',
  'Traffic on the highway remained suspended for several hours.',
  'The provincial government condemned the incident and ordered an inquiry.',
  'Mobile internet service was suspended in parts of the district.',
  'Schools and markets remained closed the following day.',
];

/** A small fast seeded PRNG (mulberry32), so a seed always gives the same documents. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function sentence(pick: <T>(list: readonly T[]) => T): string {
  const [town, district] = pick(PLACES);
  const n = pick(NUMBERS);
  const m = pick(NUMBERS);
  const day = pick(DAYS);
  const said = pick(SOURCES);
  const templates = [
    () =>
      `${cap(n)} ${pick(VICTIMS)} were killed and ${m} injured when ${pick(ATTACKERS)} attacked ${pick(TARGETS)} in ${town}, ${district} district, ${day}, ${said}.`,
    () =>
      `A roadside bomb targeting ${pick(FORCES)} exploded near ${town} ${day}, killing ${n} people and wounding ${m}, ${said}.`,
    () =>
      `${cap(pick(ATTACKERS))} abducted ${n} ${pick(VICTIMS)} from a highway near ${town} ${day}, ${said}.`,
    () =>
      `${cap(pick(FORCES))} killed ${n} militants in an exchange of fire in the ${district} district ${day}, ${said}.`,
    () =>
      `Hundreds of people protested in ${town} ${day} against enforced disappearances, blocking the main road for hours.`,
    () => `${cap(pick(FORCES))} arrested ${n} suspects during a raid in ${town} ${day}, ${said}.`,
    () => `A grenade was hurled at ${pick(TARGETS)} in ${town} ${day}, injuring ${n} people, ${said}.`,
    () =>
      `${cap(pick(ATTACKERS))} claimed responsibility for an attack on ${pick(TARGETS)} in ${district} ${day} that left ${n} ${pick(VICTIMS)} dead.`,
  ];
  return pick(templates)();
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * `count` distinct documents. Each carries a reference number so no two share a content hash.
 *
 * @example syntheticNews(3, { seed: 1 }).length === 3
 */
export function syntheticNews(
  count: number,
  options: { seed?: number; start?: string } = {},
): QueuedDocument[] {
  const rand = random(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const start = Date.parse(options.start ?? '2025-01-01T00:00:00Z');
  const documents: QueuedDocument[] = [];
  for (let i = 0; i < count; i++) {
    const parts = [sentence(pick)];
    if (rand() < 0.6) parts.push(pick(FILLER));
    if (rand() < 0.3) parts.push(sentence(pick));
    parts.push(`(Report ${options.seed ?? 1}-${i + 1})`);
    const published = new Date(start + Math.floor(rand() * 365) * 86_400_000).toISOString().slice(0, 10);
    documents.push({
      id: `synthetic-${options.seed ?? 1}-${i + 1}`,
      text: parts.join(' '),
      published,
      source: 'synthetic',
    });
  }
  return documents;
}
