/**
 * Extraction throughput on one core for ACLED-length texts (goal ≥ 1,000 documents/s).
 *
 *   npx tsx bench/extract.ts [N]
 *
 * Uses the ACLED notes in ../shared/data when present (read, never copied), else hand-written reports of
 * the same length. Prints documents/s with and without the gazetteer.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readGold } from '../src/extract/evaluate.ts';
import { extractDocument } from '../src/extract/extract-document.ts';
import { Gazetteer } from '../src/extract/places/gazetteer.ts';
import { ActorRegistry } from '../src/resolve/actor-registry.ts';
import { exitWithUsageIfAsked } from './usage.ts';

exitWithUsageIfAsked(import.meta.url);

const n = Number(process.argv[2] ?? 5000);
const acled = resolve('../shared/data/acled-balochistan-2020-2024h1.csv');
const FALLBACK = [
  'On 4 March 2024, BLA militants attacked a Frontier Corps post in Turbat (Kech, Balochistan) with rockets and automatic weapons. Two soldiers were killed and three others injured.',
  'On 9 April 2023, unidentified gunmen opened fire on labourers at a construction site near Gwadar (Gwadar, Balochistan), killing one and injuring two.',
  'On 12 June 2022, an IED planted by militants exploded near a Levies vehicle in Kohlu district (Balochistan). There were no casualties.',
];
const texts = existsSync(acled)
  ? readGold(acled, 'acled').map((r) => ({ text: r.text, date: r.date }))
  : FALLBACK.map((text) => ({ text, date: '2024-03-05' }));
const avg = texts.reduce((s, t) => s + t.text.length, 0) / texts.length;
const actors = ActorRegistry.seeded();
const gazetteer = await Gazetteer.load();

function run(label: string, withGazetteer: boolean): void {
  for (let i = 0; i < 1500; i++) {
    const t = texts[i % texts.length]!;
    extractDocument(t.text, { published: t.date, actors, ...(withGazetteer ? { gazetteer } : {}) });
  }
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t = texts[i % texts.length]!;
    extractDocument(t.text, { published: t.date, actors, ...(withGazetteer ? { gazetteer } : {}) });
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  // wall-clock rate, and the rate per second of CPU the process got (what one core does when others are busy)
  process.stdout.write(
    `${label.padEnd(20)} ${(n / seconds).toFixed(0).padStart(6)} docs/s wall  ${(n / cpuSeconds).toFixed(0).padStart(6)} docs per CPU-second  (${n} docs, mean ${avg.toFixed(0)} chars)\n`,
  );
}

process.stdout.write(`extraction, one core, ${existsSync(acled) ? 'ACLED notes' : 'built-in reports'}\n`);
run('without gazetteer', false);
run('with gazetteer', true);
