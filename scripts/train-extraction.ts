/**
 * Trains the statistical parts of extraction and writes data/models/extraction.json.
 *
 *   npx tsx scripts/train-extraction.ts [--acled FILE] [--gtd FILE] [--out FILE]
 *
 * Inputs default to the reference exports in ../shared/data (ACLED Balochistan 2020–2024H1 notes, GTD
 * Pakistan 2008 summaries). The artefact holds only per-label token counts (unigrams and bigrams), never
 * the text: the script refuses to write it if any 58-character run of a training text appears in it.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type GoldRecord, readGold, trainModels } from '../src/extract/evaluate.ts';
import type { ExtractionModels } from '../src/extract/models.ts';
import { ActorRegistry } from '../src/resolve/actor-registry.ts';

const { values } = parseArgs({
  options: {
    acled: { type: 'string', default: '../shared/data/acled-balochistan-2020-2024h1.csv' },
    gtd: { type: 'string', default: '../shared/data/gtd-pakistan-2008.geojson' },
    out: { type: 'string', default: 'data/models/extraction.json' },
  },
});

const registry = ActorRegistry.seeded();
const acled = existsSync(values.acled) ? readGold(values.acled, 'acled') : [];
const gtd = existsSync(values.gtd) ? readGold(values.gtd, 'gtd') : [];
if (acled.length === 0 && gtd.length === 0) throw new Error(`no training data at ${values.acled} or ${values.gtd}`);

const fromAcled = acled.length ? trainModels(acled, 'acled', registry) : {};
const fromGtd = gtd.length ? trainModels(gtd, 'gtd', registry) : {};
const models: ExtractionModels = {
  provenance: `scripts/train-extraction.ts on ${new Date().toISOString().slice(0, 10)}: ACLED sub-event types and actor fallback from ${acled.length} ACLED notes (${values.acled}); GTD attack types from ${gtd.length} GTD summaries (${values.gtd}). Token counts only; no source text.`,
  ...(fromAcled.acledSubType ? { acledSubType: fromAcled.acledSubType } : {}),
  ...(fromGtd.gtdAttackType ? { gtdAttackType: fromGtd.gtdAttackType } : {}),
  // ACLED's actor conventions are the output convention, so the fallback and actor map come from ACLED
  ...(fromAcled.actorFallback ? { actorFallback: fromAcled.actorFallback } : {}),
  ...(fromAcled.actorFallbackAdmin1 ? { actorFallbackAdmin1: fromAcled.actorFallbackAdmin1 } : {}),
  ...(fromAcled.actorMap ? { actorMap: fromAcled.actorMap } : {}),
};

const serialised = JSON.stringify(models);
assertNoTextLeak(serialised, [...acled, ...gtd]);
writeFileSync(resolve(values.out), `${serialised}\n`);
process.stdout.write(`wrote ${values.out}: ${(serialised.length / 1024).toFixed(0)} KiB\n`);

/** Fails if any 58-character run of any training text appears verbatim in the artefact. */
function assertNoTextLeak(artefact: string, records: readonly GoldRecord[]): void {
  // every string in the artefact but the provenance note is a feature of at most a few words
  const strings = artefact.match(/"(?:[^"\\]|\\.)*"/g) ?? [];
  const long = strings.find((s) => s.length >= 58 && !s.startsWith('"scripts/train-extraction.ts'));
  if (long) throw new Error(`unexpectedly long string in the model: ${long.slice(0, 40)}…`);
  const haystack = artefact.toLowerCase();
  for (const r of records) {
    const text = r.text.toLowerCase();
    for (let i = 0; i + 58 <= text.length; i += 8) {
      if (haystack.includes(text.slice(i, i + 58))) throw new Error(`training text leaked into the model (record ${r.id})`);
    }
  }
}
