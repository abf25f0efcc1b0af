/**
 * Geocoding figures on the real dev data in ../shared/data (read there, never copied into the repo):
 * the ACLED Balochistan export (gold location, admin1, admin2, point, `notes` text) and GTD Pakistan 2008
 * (gold city, provstate, point, `summary` text; its admin2 is the polygon of the gold point, rows with
 * specificity ≤ 2). For each: how many gold locations the gazetteer knows, admin accuracy after
 * canonicalisation, median km to the gold point — for `lookup(location)` and for `findMentions(text)` —
 * with the base gazetteer only, 5-fold with places learned from the other folds (through a real store and
 * `learnPlaces`), and learned from earlier months only. Nothing here is tuned on the scored rows.
 *
 *   npx tsx bench/geocode.ts [--json]
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import {
  canonicalAdmin1,
  canonicalAdmin2,
  Gazetteer,
  haversineKm,
  learnPlaces,
  type Place,
  placeKey,
} from '../src/extract/places/index.ts';
import { blankEvent, type EventRecord } from '../src/schema/index.ts';
import { openStore } from '../src/store/open-store.ts';
import { exitWithUsageIfAsked } from './usage.ts';

exitWithUsageIfAsked(import.meta.url);

const FOLDS = 5;
const json = process.argv.includes('--json');
const shared =
  process.env.SITREP_SHARED_DATA ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data');

/** One gold record: where the coder put it and the text it came from. */
interface GoldRow {
  id: string;
  date: string;
  location: string;
  admin1: string | null;
  /** null when the source does not say (GTD) and the point is too vague to derive it. */
  admin2: string | null;
  latitude: number;
  longitude: number;
  /** ACLED-style: 1 the place itself … ; null when the source does not say. */
  precision: number | null;
  text: string;
}

function readAcled(): GoldRow[] {
  const rows = parse(readFileSync(`${shared}/acled-balochistan-2020-2024h1.csv`, 'utf8'), {
    columns: true,
  }) as Array<Record<string, string>>;
  return rows.map((r, i) => ({
    id: `acled-${i}`,
    date: r.event_date ?? '',
    location: r.location ?? '',
    admin1: r.admin1 || null,
    admin2: r.admin2 || null,
    latitude: Number(r.latitude),
    longitude: Number(r.longitude),
    precision: null,
    text: r.notes ?? '',
  }));
}

function readGtd(base: Gazetteer): GoldRow[] {
  const doc = JSON.parse(readFileSync(`${shared}/gtd-pakistan-2008.geojson`, 'utf8')) as {
    features: Array<{ properties: Record<string, string | number | null> }>;
  };
  const rows: GoldRow[] = [];
  doc.features.forEach((f, i) => {
    const p = f.properties;
    const latitude = Number(p.latitude);
    const longitude = Number(p.longitude);
    const city = String(p.city ?? '');
    if (!city || city === 'Unknown' || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return;
    const specificity = Number(p.specificity);
    rows.push({
      id: `gtd-${i}`,
      // GTD codes an unknown day or month as 0.
      date: `${p.iyear}-${String(Number(p.imonth) || 1).padStart(2, '0')}-${String(Number(p.iday) || 1).padStart(2, '0')}`,
      location: city,
      admin1: String(p.provstate ?? '') || null,
      admin2: specificity <= 2 ? base.locate(latitude, longitude).admin2 : null,
      latitude,
      longitude,
      precision: specificity,
      text: String(p.summary ?? ''),
    });
  });
  return rows;
}

interface Tally {
  rows: number;
  found: number;
  /** Found under the gold location's own name (for mentions: a mention named like it). */
  named: number;
  admin1: number;
  admin2Rows: number;
  admin2: number;
  km: number[];
}
const tally = (): Tally => ({ rows: 0, found: 0, named: 0, admin1: 0, admin2Rows: 0, admin2: 0, km: [] });

function score(t: Tally, row: GoldRow, place: Place | undefined, named = place !== undefined): void {
  t.rows++;
  if (row.admin2 !== null) t.admin2Rows++;
  if (!place) return;
  t.found++;
  if (named) t.named++;
  if (canonicalAdmin1(place.admin1) === canonicalAdmin1(row.admin1)) t.admin1++;
  if (
    row.admin2 !== null &&
    canonicalAdmin2(place.admin2, place.admin1) === canonicalAdmin2(row.admin2, row.admin1)
  )
    t.admin2++;
  // Distances only where the gold point is the place itself, not a district centroid.
  if (row.precision === null || row.precision <= 1)
    t.km.push(haversineKm(place.latitude, place.longitude, row.latitude, row.longitude));
}

/** The mention named like the gold location, else the first that knows its district, else the first. */
function scoreMentions(t: Tally, row: GoldRow, gazetteer: Gazetteer): void {
  const mentions = gazetteer.findMentions(row.text);
  const key = placeKey(row.location);
  const bare = placeKey(row.location.replace(/\s+district$/i, ''));
  const named = mentions.find(
    (m) => [key, bare].includes(placeKey(m.text)) || [key, bare].includes(placeKey(m.place.name)),
  );
  const chosen = named ?? mentions.find((m) => m.place.admin2 !== null) ?? mentions[0];
  score(t, row, chosen?.place, named !== undefined);
}

function scoreLookup(t: Tally, row: GoldRow, gazetteer: Gazetteer): void {
  score(t, row, gazetteer.lookup(row.location, { country: 'Pakistan' })[0]);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function toEvent(row: GoldRow): EventRecord {
  return blankEvent({
    id: row.id,
    source: 'bench',
    sourceId: row.id,
    eventDate: row.date,
    country: 'Pakistan',
    admin1: row.admin1,
    admin2: row.admin2,
    location: row.location,
    latitude: row.latitude,
    longitude: row.longitude,
    geoPrecision: row.precision,
  });
}

/** A gazetteer that learned from these rows through a throwaway DuckDB store, as `sitrep places learn` does. */
async function learnedFrom(training: GoldRow[]): Promise<Gazetteer> {
  const store = await openStore(':memory:');
  try {
    const writer = await store.beginImport({ file: 'bench', sha256: 'bench', format: 'bench' });
    await writer.add(training.map(toEvent));
    await writer.finish({ rowsRead: training.length, rowsRejected: 0 });
    await learnPlaces(store);
    return await Gazetteer.fromStore(store);
  } finally {
    await store.close();
  }
}

const summarise = (t: Tally) => ({
  rows: t.rows,
  found: +(t.found / t.rows).toFixed(3),
  named: +(t.named / t.rows).toFixed(3),
  admin1Accuracy: +(t.admin1 / t.rows).toFixed(3),
  admin2Accuracy: t.admin2Rows ? +(t.admin2 / t.admin2Rows).toFixed(3) : null,
  medianKm: median(t.km) === null ? null : +(median(t.km) as number).toFixed(1),
  within10Km: t.km.length ? +(t.km.filter((k) => k <= 10).length / t.km.length).toFixed(3) : null,
});
type Summary = ReturnType<typeof summarise>;

async function evaluate(rows: GoldRow[], base: Gazetteer, cut: string) {
  const baseLookup = tally();
  const baseMentions = tally();
  for (const row of rows) {
    scoreLookup(baseLookup, row, base);
    scoreMentions(baseMentions, row, base);
  }
  const foldLookup = tally();
  const foldMentions = tally();
  for (let fold = 0; fold < FOLDS; fold++) {
    const gazetteer = await learnedFrom(rows.filter((_, i) => i % FOLDS !== fold));
    for (const row of rows.filter((_, i) => i % FOLDS === fold)) {
      scoreLookup(foldLookup, row, gazetteer);
      scoreMentions(foldMentions, row, gazetteer);
    }
  }
  const laterLookup = tally();
  const laterMentions = tally();
  const earlier = await learnedFrom(rows.filter((r) => r.date < cut));
  for (const row of rows.filter((r) => r.date >= cut)) {
    scoreLookup(laterLookup, row, earlier);
    scoreMentions(laterMentions, row, earlier);
  }
  return {
    rows: rows.length,
    distinctLocations: new Set(rows.map((r) => placeKey(r.location))).size,
    'base, lookup(location)': summarise(baseLookup),
    'base, findMentions(text)': summarise(baseMentions),
    [`learned ${FOLDS}-fold, lookup`]: summarise(foldLookup),
    [`learned ${FOLDS}-fold, findMentions`]: summarise(foldMentions),
    [`learned <${cut}, lookup`]: summarise(laterLookup),
    [`learned <${cut}, findMentions`]: summarise(laterMentions),
  };
}

const loadStart = performance.now();
const loadCpu = process.cpuUsage();
const base = await Gazetteer.load();
const loadMs = performance.now() - loadStart;
const cpu = process.cpuUsage(loadCpu);

const acled = readAcled();
const gtd = readGtd(base);

// Throughput in CPU time, so that other work on a shared machine does not count against it.
const timeStart = performance.now();
const cpuStart = process.cpuUsage();
let docs = 0;
while (performance.now() - timeStart < 2000) {
  for (const row of acled) base.findMentions(row.text);
  docs += acled.length;
}
const cpuUsed = process.cpuUsage(cpuStart);
const docsPerSecond = docs / ((cpuUsed.user + cpuUsed.system) / 1e6);

const figures = {
  loadMs: Math.round(loadMs),
  loadCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  findMentionsDocsPerSecond: Math.round(docsPerSecond),
  acled: await evaluate(acled, base, '2023-01-01'),
  gtd: await evaluate(gtd, base, '2008-09-01'),
};

if (json) {
  console.log(JSON.stringify(figures, null, 2));
} else {
  console.log(
    `gazetteer load ${figures.loadMs} ms wall, ${figures.loadCpuMs} ms CPU; findMentions ${figures.findMentionsDocsPerSecond} ACLED notes per CPU-second`,
  );
  const fmt = (v: number | null, digits = 3) => (v === null ? '—' : v.toFixed(digits));
  for (const [name, result] of [
    ['ACLED Balochistan 2020–2024H1 (notes)', figures.acled],
    ['GTD Pakistan 2008 (summary)', figures.gtd],
  ] as const) {
    console.log(`\n${name}: ${result.rows} rows, ${result.distinctLocations} distinct locations`);
    console.log('                                  rows  found  named  admin1  admin2  median km  ≤10 km');
    for (const [label, s] of Object.entries(result)) {
      if (typeof s !== 'object') continue;
      const summary = s as Summary;
      console.log(
        `${label.padEnd(32)} ${String(summary.rows).padStart(5)}  ${fmt(summary.found)}  ${fmt(summary.named)}  ${fmt(summary.admin1Accuracy)}   ${fmt(summary.admin2Accuracy)}  ${fmt(summary.medianKm, 1).padStart(9)}  ${fmt(summary.within10Km)}`,
      );
    }
  }
  console.log(`
found: rows given a place; named: found under the gold location's own name; admin1/admin2: canonical name
equals gold (admin2 over rows that have one; GTD: polygon of the gold point, specificity ≤ 2); km: median over
rows with an exact gold point (ACLED all, GTD specificity 1). Learned: places from the other ${FOLDS - 1} folds only,
or from rows before the cut date only, scored on the rest.`);
}
