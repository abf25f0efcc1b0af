/**
 * Geocoding figures on the ACLED Balochistan export (../shared/data, never copied into the repo):
 * how many gold locations the gazetteer knows, admin2 accuracy after canonicalisation, median km to the
 * gold point, both for `lookup(location)` and for `findMentions(notes)` — with the base gazetteer only and,
 * 5-fold, with places learned from the other folds (learned through a real store, as `learnPlaces` does).
 *
 *   npx tsx bench/geocode.ts [path/to/acled.csv] [--json]
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import {
  canonicalAdmin2,
  Gazetteer,
  haversineKm,
  learnPlaces,
  type Place,
  type PlaceMention,
  placeKey,
} from '../src/extract/places/index.ts';
import { blankEvent, type EventRecord } from '../src/schema/index.ts';
import { openStore } from '../src/store/open-store.ts';

const FOLDS = 5;
const args = process.argv.slice(2);
const json = args.includes('--json');
const here = dirname(fileURLToPath(import.meta.url));
const file =
  args.find((a) => !a.startsWith('--')) ??
  resolve(here, '../../shared/data/acled-balochistan-2020-2024h1.csv');

interface Row {
  id: string;
  date: string;
  location: string;
  admin1: string;
  admin2: string;
  latitude: number;
  longitude: number;
  notes: string;
}

const rows: Row[] = (
  parse(readFileSync(file, 'utf8'), { columns: true }) as Array<Record<string, string>>
).map((r, i) => ({
  id: String(i),
  date: r.event_date ?? '',
  location: r.location ?? '',
  admin1: r.admin1 ?? '',
  admin2: r.admin2 ?? '',
  latitude: Number(r.latitude),
  longitude: Number(r.longitude),
  notes: r.notes ?? '',
}));

interface Tally {
  rows: number;
  found: number;
  admin2: number;
  km: number[];
  /** Rows whose place was found under the gold location's own name. */
  named: number;
}
const tally = (): Tally => ({ rows: 0, found: 0, admin2: 0, km: [], named: 0 });

function score(t: Tally, row: Row, place: Place | undefined, named = place !== undefined): void {
  t.rows++;
  if (!place) return;
  t.found++;
  if (named) t.named++;
  if (canonicalAdmin2(place.admin2, place.admin1) === canonicalAdmin2(row.admin2, row.admin1)) t.admin2++;
  t.km.push(haversineKm(place.latitude, place.longitude, row.latitude, row.longitude));
}

/** The mention naming the gold location, else the first that knows its district, else the first. */
function chooseMention(
  mentions: PlaceMention[],
  location: string,
): { place: Place | undefined; named: boolean } {
  const key = placeKey(location);
  const named = mentions.find((m) => placeKey(m.text) === key || placeKey(m.place.name) === key);
  const chosen = named ?? mentions.find((m) => m.place.admin2 !== null) ?? mentions[0];
  return { place: chosen?.place, named: named !== undefined };
}

function scoreMentions(t: Tally, row: Row, gazetteer: Gazetteer): void {
  const { place, named } = chooseMention(gazetteer.findMentions(row.notes), row.location);
  score(t, row, place, named);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function toEvent(row: Row): EventRecord {
  return blankEvent({
    id: `bench-${row.id}`,
    source: 'acled',
    sourceId: row.id,
    eventDate: '2024-01-01',
    country: 'Pakistan',
    admin1: row.admin1,
    admin2: row.admin2,
    location: row.location,
    latitude: row.latitude,
    longitude: row.longitude,
  });
}

async function learnedFrom(training: Row[]): Promise<Gazetteer> {
  const store = await openStore(':memory:');
  try {
    const writer = await store.beginImport({ file: 'bench', sha256: 'bench', format: 'acled' });
    await writer.add(training.map(toEvent));
    await writer.finish({ rowsRead: training.length, rowsRejected: 0 });
    await learnPlaces(store);
    return await Gazetteer.fromStore(store);
  } finally {
    await store.close();
  }
}

const loadStart = performance.now();
const loadCpu = process.cpuUsage();
const base = await Gazetteer.load();
const loadMs = performance.now() - loadStart;
const loadCpuUsage = process.cpuUsage(loadCpu);
const loadCpuMs = (loadCpuUsage.user + loadCpuUsage.system) / 1000;

const result = {
  file,
  rows: rows.length,
  distinctLocations: new Set(rows.map((r) => placeKey(r.location))).size,
  baseLookup: tally(),
  baseMentions: tally(),
  learnedLookup: tally(),
  learnedMentions: tally(),
  laterLookup: tally(),
  laterMentions: tally(),
};

for (const row of rows) {
  score(result.baseLookup, row, base.lookup(row.location, { country: 'Pakistan' })[0]);
  scoreMentions(result.baseMentions, row, base);
}

for (let fold = 0; fold < FOLDS; fold++) {
  const test = rows.filter((_, i) => i % FOLDS === fold);
  const training = rows.filter((_, i) => i % FOLDS !== fold);
  const gazetteer = await learnedFrom(training);
  for (const row of test) {
    score(result.learnedLookup, row, gazetteer.lookup(row.location, { country: 'Pakistan' })[0]);
    scoreMentions(result.learnedMentions, row, gazetteer);
  }
}

// Harder: learn from 2020–2022 only, score 2023 onwards (places that first appear later are unknown).
{
  const cut = '2023-01-01';
  const gazetteer = await learnedFrom(rows.filter((r) => r.date < cut));
  for (const row of rows.filter((r) => r.date >= cut)) {
    score(result.laterLookup, row, gazetteer.lookup(row.location, { country: 'Pakistan' })[0]);
    scoreMentions(result.laterMentions, row, gazetteer);
  }
}

// Throughput of findMentions alone on these notes, one core.
const timeStart = performance.now();
let passes = 0;
while (performance.now() - timeStart < 2000) {
  for (const row of rows) base.findMentions(row.notes);
  passes++;
}
const docsPerSecond = (passes * rows.length) / ((performance.now() - timeStart) / 1000);

const summarise = (t: Tally) => ({
  found: +(t.found / t.rows).toFixed(3),
  named: +(t.named / t.rows).toFixed(3),
  admin2Accuracy: +(t.admin2 / t.rows).toFixed(3),
  medianKm: median(t.km) === null ? null : +(median(t.km) as number).toFixed(1),
  within10Km: +(t.km.filter((k) => k <= 10).length / t.rows).toFixed(3),
});

const figures = {
  file: result.file,
  rows: result.rows,
  distinctLocations: result.distinctLocations,
  loadMs: Math.round(loadMs),
  loadCpuMs: Math.round(loadCpuMs),
  findMentionsDocsPerSecond: Math.round(docsPerSecond),
  base: { lookup: summarise(result.baseLookup), mentions: summarise(result.baseMentions) },
  learnedBefore2023ScoredAfter: {
    rows: result.laterLookup.rows,
    lookup: summarise(result.laterLookup),
    mentions: summarise(result.laterMentions),
  },
  learnedOtherFolds: {
    folds: FOLDS,
    lookup: summarise(result.learnedLookup),
    mentions: summarise(result.learnedMentions),
  },
};

if (json) {
  console.log(JSON.stringify(figures, null, 2));
} else {
  console.log(`geocode bench: ${figures.rows} ACLED rows, ${figures.distinctLocations} distinct locations`);
  console.log(
    `gazetteer load ${figures.loadMs} ms; findMentions ${figures.findMentionsDocsPerSecond} docs/s (one core)`,
  );
  console.log('                         found  named  admin2  median km  ≤10 km');
  const line = (label: string, s: ReturnType<typeof summarise>) =>
    console.log(
      `${label.padEnd(24)} ${s.found.toFixed(3)}  ${s.named.toFixed(3)}  ${s.admin2Accuracy.toFixed(3)}  ${String(s.medianKm).padStart(9)}  ${s.within10Km.toFixed(3)}`,
    );
  line('base lookup(location)', figures.base.lookup);
  line('base findMentions(notes)', figures.base.mentions);
  line(`learned ${FOLDS}-fold lookup`, figures.learnedOtherFolds.lookup);
  line(`learned ${FOLDS}-fold mentions`, figures.learnedOtherFolds.mentions);
  line('learned <2023, lookup', figures.learnedBefore2023ScoredAfter.lookup);
  line('learned <2023, mentions', figures.learnedBefore2023ScoredAfter.mentions);
  console.log(
    'found = share of rows given a place; named = found under the gold location name; admin2 = canonical',
  );
  console.log('district equals gold, over all rows;');
  console.log('km over rows with a place. Learned: places from the other 4 folds only.');
  console.log(
    `<2023: learned from 2020-2022 rows, scored on the ${figures.learnedBefore2023ScoredAfter.rows} rows from 2023 on.`,
  );
}
