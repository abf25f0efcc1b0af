import { z } from 'zod';

/**
 * Multinomial naive Bayes over word unigrams and bigrams: small, fast, trainable in a second, and
 * its serialised form holds only token counts per label — never any of the training text.
 */
export const NaiveBayesModel = z.object({
  labels: z.array(z.string()),
  /** documents per label */
  docs: z.array(z.number()),
  /** per label, feature → count */
  counts: z.array(z.record(z.string(), z.number())),
  totals: z.array(z.number()),
  vocabulary: z.number(),
});
export type NaiveBayesModel = z.infer<typeof NaiveBayesModel>;

const STOP = new Set([
  'the',
  'a',
  'an',
  'of',
  'in',
  'on',
  'at',
  'and',
  'to',
  'was',
  'were',
  'is',
  'are',
  'by',
  'for',
  'with',
  'from',
  'that',
  'this',
  'it',
  'as',
  'be',
  'been',
  'has',
  'have',
  'had',
  'its',
  'their',
  'his',
  'her',
]);

/** Lower-cased word features: unigrams (without stop words) and adjacent bigrams; digits become '#'. */
export function features(text: string): string[] {
  const words = text
    .toLowerCase()
    .replace(/\d+/g, '#')
    .split(/[^a-z#]+/)
    .filter((w) => w.length > 0);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!STOP.has(w) && w.length < 25) out.push(w);
    const next = words[i + 1];
    if (next !== undefined && w.length + next.length < 30) out.push(`${w} ${next}`);
  }
  return out;
}

export function trainNaiveBayes(
  examples: ReadonlyArray<{ text: string; label: string }>,
  minCount = 1,
): NaiveBayesModel {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const docs = labels.map(() => 0);
  const counts: Array<Map<string, number>> = labels.map(() => new Map());
  const overall = new Map<string, number>();
  for (const { text, label } of examples) {
    const i = index.get(label)!;
    docs[i]!++;
    for (const f of new Set(features(text))) {
      counts[i]!.set(f, (counts[i]!.get(f) ?? 0) + 1);
      overall.set(f, (overall.get(f) ?? 0) + 1);
    }
  }
  const keep = (f: string) => (overall.get(f) ?? 0) > minCount;
  const pruned = counts.map((m) =>
    Object.fromEntries([...m].filter(([f]) => keep(f)).sort(([a], [b]) => (a < b ? -1 : 1))),
  );
  return {
    labels,
    docs,
    counts: pruned,
    totals: pruned.map((m) => Object.values(m).reduce((s, n) => s + n, 0)),
    vocabulary: [...overall.keys()].filter(keep).length,
  };
}

export interface Prediction {
  label: string;
  probability: number;
}

/** Scores labels for a text; returns them best first with normalised probabilities. */
export function predictNaiveBayes(
  model: NaiveBayesModel,
  text: string,
  extra: readonly string[] = [],
): Prediction[] {
  const fs = [...new Set([...features(text), ...extra])];
  const totalDocs = model.docs.reduce((s, n) => s + n, 0);
  const scores = model.labels.map((_, i) => {
    const counts = model.counts[i]!;
    const denominator = Math.log(model.totals[i]! + model.vocabulary + 1);
    let score = Math.log((model.docs[i]! + 1) / (totalDocs + model.labels.length));
    for (const f of fs) {
      const c = counts[f];
      if (c === undefined && !isKnown(model, f)) continue;
      score += Math.log((c ?? 0) + 1) - denominator;
    }
    return score;
  });
  const max = Math.max(...scores);
  const exp = scores.map((s) => Math.exp(s - max));
  const sum = exp.reduce((s, n) => s + n, 0);
  return model.labels
    .map((label, i) => ({ label, probability: exp[i]! / sum }))
    .sort((a, b) => b.probability - a.probability);
}

const knownCache = new WeakMap<NaiveBayesModel, Set<string>>();
function isKnown(model: NaiveBayesModel, feature: string): boolean {
  let known = knownCache.get(model);
  if (!known) {
    known = new Set(model.counts.flatMap((m) => Object.keys(m)));
    knownCache.set(model, known);
  }
  return known.has(feature);
}
