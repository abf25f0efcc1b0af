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

interface Compiled {
  prior: Float64Array;
  /** feature → log P(feature | label) for every label */
  weights: Map<string, Float64Array>;
}

const compiledCache = new WeakMap<NaiveBayesModel, Compiled>();

/** Log-probabilities precomputed once per model, so scoring a text is one vector add per feature. */
function compile(model: NaiveBayesModel): Compiled {
  const cached = compiledCache.get(model);
  if (cached) return cached;
  const k = model.labels.length;
  const totalDocs = model.docs.reduce((s, n) => s + n, 0);
  const prior = new Float64Array(k);
  const denominators = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    prior[i] = Math.log((model.docs[i]! + 1) / (totalDocs + k));
    denominators[i] = Math.log(model.totals[i]! + model.vocabulary + 1);
  }
  const weights = new Map<string, Float64Array>();
  for (let i = 0; i < k; i++) {
    for (const f of Object.keys(model.counts[i]!)) {
      if (weights.has(f)) continue;
      const w = new Float64Array(k);
      for (let j = 0; j < k; j++) w[j] = Math.log((model.counts[j]![f] ?? 0) + 1) - denominators[j]!;
      weights.set(f, w);
    }
  }
  const compiled = { prior, weights };
  compiledCache.set(model, compiled);
  return compiled;
}

/** Scores labels for a text; returns them best first with normalised probabilities. */
export function predictNaiveBayes(
  model: NaiveBayesModel,
  text: string,
  extra: readonly string[] = [],
): Prediction[] {
  return predictFromFeatures(model, new Set([...features(text), ...extra]));
}

/** As `predictNaiveBayes`, for features already computed (several heads scoring one text). */
export function predictFromFeatures(model: NaiveBayesModel, featureSet: ReadonlySet<string>): Prediction[] {
  const { prior, weights } = compile(model);
  const scores = Float64Array.from(prior);
  for (const f of featureSet) {
    const w = weights.get(f);
    if (!w) continue;
    for (let i = 0; i < scores.length; i++) scores[i]! += w[i]!;
  }
  return ranked(model.labels, scores);
}

/** Labels best first, with log-scores turned into probabilities (softmax). */
export function ranked(labels: readonly string[], scores: Float64Array): Prediction[] {
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scores) max = Math.max(max, s);
  let sum = 0;
  const exp = Array.from(scores, (s) => {
    const e = Math.exp(s - max);
    sum += e;
    return e;
  });
  return labels
    .map((label, i) => ({ label, probability: exp[i]! / sum }))
    .sort((a, b) => b.probability - a.probability);
}
