import { z } from 'zod';
import { features, type Prediction, ranked } from './naive-bayes.ts';

/**
 * Multinomial logistic regression over the same word features as naive Bayes (binary unigrams and
 * bigrams, plus rule-cue tokens), trained with AdaGrad and L2. Serialised as one weight vector per
 * feature — no text survives in it.
 */
export const LinearModel = z.object({
  kind: z.literal('logistic'),
  labels: z.array(z.string()),
  bias: z.array(z.number()),
  weights: z.record(z.string(), z.array(z.number())),
});
export type LinearModel = z.infer<typeof LinearModel>;

export function trainLinearModel(
  examples: ReadonlyArray<{ text: string; label: string }>,
  options: { epochs?: number; rate?: number; l2?: number; minCount?: number } = {},
): LinearModel {
  const { epochs = 20, rate = 0.05, l2 = 1e-4, minCount = 2 } = options;
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const k = labels.length;
  const index = new Map(labels.map((l, i) => [l, i]));
  const docs = examples.map((e) => ({ fs: [...new Set(features(e.text))], y: index.get(e.label)! }));
  const df = new Map<string, number>();
  for (const d of docs) for (const f of d.fs) df.set(f, (df.get(f) ?? 0) + 1);
  const vocab = new Map<string, number>();
  for (const [f, n] of df) if (n >= minCount) vocab.set(f, vocab.size);
  const W = new Float64Array(vocab.size * k);
  const G = new Float64Array(vocab.size * k).fill(1e-8);
  const b = new Float64Array(k);
  const gb = new Float64Array(k).fill(1e-8);
  const encoded = docs.map((d) => ({
    ids: d.fs.map((f) => vocab.get(f)).filter((i): i is number => i !== undefined),
    y: d.y,
  }));
  // deterministic shuffle so training is reproducible
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const p = new Float64Array(k);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = encoded.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const n of order) {
      const { ids, y } = encoded[n]!;
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        let s = b[c]!;
        for (const id of ids) s += W[id * k + c]!;
        p[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < k; c++) {
        p[c] = Math.exp(p[c]! - max);
        sum += p[c]!;
      }
      for (let c = 0; c < k; c++) {
        const g = p[c]! / sum - (c === y ? 1 : 0);
        gb[c]! += g * g;
        b[c]! -= (rate * g) / Math.sqrt(gb[c]!);
        for (const id of ids) {
          const at = id * k + c;
          const gw = g + l2 * W[at]!;
          G[at]! += gw * gw;
          W[at]! -= (rate * gw) / Math.sqrt(G[at]!);
        }
      }
    }
  }
  const weights: Record<string, number[]> = {};
  for (const [f, id] of [...vocab].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const row = Array.from(W.subarray(id * k, id * k + k), (v) => Math.round(v * 1000) / 1000);
    if (row.some((v) => v !== 0)) weights[f] = row;
  }
  return { kind: 'logistic', labels, bias: Array.from(b, (v) => Math.round(v * 1000) / 1000), weights };
}

const compiledCache = new WeakMap<LinearModel, Map<string, Float64Array>>();

/** Weights as a Map of typed rows, built once per model: lookups stay fast with tens of thousands of features. */
function compiled(model: LinearModel): Map<string, Float64Array> {
  let rows = compiledCache.get(model);
  if (!rows) {
    rows = new Map(Object.entries(model.weights).map(([f, w]) => [f, Float64Array.from(w)]));
    compiledCache.set(model, rows);
  }
  return rows;
}

export function predictLinear(model: LinearModel, featureSet: ReadonlySet<string>): Prediction[] {
  const rows = compiled(model);
  const k = model.labels.length;
  const scores = Float64Array.from(model.bias);
  for (const f of featureSet) {
    const w = rows.get(f);
    if (!w) continue;
    for (let c = 0; c < k; c++) scores[c]! += w[c]!;
  }
  return ranked(model.labels, scores);
}
