import { seededRandom } from './seeded-random.ts';

/**
 * Gradient-boosted regression trees for counts with a Poisson (or Tweedie) objective:
 * log E[y] = offset + Σ η·tree(x). Second-order boosting (the XGBoost recipe): each tree is grown on the
 * gradient g and hessian h of the deviance (Poisson: g = μ − y, h = μ), a split's gain is G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) and a
 * leaf's value −G/(H+λ). Features are cut into at most `bins` quantile bins once, so a split search is
 * a pass over histograms. Plain TypeScript: a few thousand rows train in well under a second.
 */
export interface BoostingOptions {
  /**
   * Variance power p of the Tweedie deviance (Var ∝ μ^p): 1 is Poisson; 1 < p < 2 weighs the large
   * counts of a busy month less, for heavy-tailed targets such as fatalities.
   */
  power: number;
  /** Number of trees. */
  rounds: number;
  /** Shrinkage η applied to every leaf value. */
  learningRate: number;
  maxDepth: number;
  /** L2 penalty λ on leaf values (in hessian units: roughly "pseudo-events" pulling a leaf to 0). */
  lambda: number;
  /** Least hessian (≈ expected count) a leaf must hold. */
  minChildWeight: number;
  /** Quantile bins per feature. */
  bins: number;
  /** Share of rows each tree sees (stochastic boosting); 1 uses them all. */
  subsample: number;
  seed: number;
}

export const DEFAULT_BOOSTING: BoostingOptions = {
  power: 1,
  rounds: 200,
  learningRate: 0.05,
  maxDepth: 3,
  lambda: 10,
  minChildWeight: 5,
  bins: 32,
  subsample: 0.8,
  seed: 1,
};

interface Split {
  feature: number;
  /** Rows with bin ≤ threshold go left. */
  threshold: number;
  left: TreeNode;
  right: TreeNode;
}
type TreeNode = { value: number } | Split;

export interface BoostedTrees {
  /** Upper edges of each feature's bins (a value v falls in the first bin whose edge ≥ v). */
  edges: number[][];
  /** Constant added to every row's log-mean before the trees (the fitted intercept). */
  base: number;
  trees: TreeNode[];
  learningRate: number;
}

/** Bin upper edges at the feature's distinct quantiles (fewer when values repeat). */
function binEdges(values: Float64Array, bins: number): number[] {
  const sorted = Float64Array.from(values).sort();
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / bins))]!;
    if (edges.length === 0 || v > edges[edges.length - 1]!) edges.push(v);
  }
  const top = sorted[sorted.length - 1] ?? 0;
  if (edges.length === 0 || top > edges[edges.length - 1]!) edges.push(top);
  return edges;
}

function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length - 1;
  if (v > edges[hi]!) return hi;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! >= v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Fits the trees to feature rows `x`, counts `y` and per-row log offsets (e.g. the log of a baseline
 * forecast, so the trees learn corrections to it; 0 without).
 *
 * @example const model = fitBoostedTrees(x, y, offsets); predictBoosted(model, x[0]!, offsets[0]!)
 */
export function fitBoostedTrees(
  x: readonly (readonly number[])[],
  y: readonly number[],
  offsets: readonly number[] = [],
  options: Partial<BoostingOptions> = {},
): BoostedTrees {
  const o = { ...DEFAULT_BOOSTING, ...options };
  const n = y.length;
  if (n === 0) throw new Error('cannot fit boosted trees to no rows');
  const p = x[0]!.length;
  const edges: number[][] = [];
  const binned: Uint8Array[] = [];
  for (let j = 0; j < p; j++) {
    const column = Float64Array.from(x, (row) => row[j]!);
    const e = binEdges(column, Math.min(o.bins, 255));
    edges.push(e);
    binned.push(Uint8Array.from(column, (v) => binOf(e, v)));
  }
  const offset = (i: number) => offsets[i] ?? 0;
  // Intercept: the Poisson MLE of a constant on top of the offsets.
  let sumY = 0;
  let sumExp = 0;
  for (let i = 0; i < n; i++) {
    sumY += y[i]!;
    sumExp += Math.exp(offset(i));
  }
  const base = Math.log((sumY + 0.1) / (sumExp + 0.1));
  const eta = Float64Array.from({ length: n }, (_, i) => offset(i) + base);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const random = seededRandom(o.seed);
  const trees: TreeNode[] = [];
  const histG = edges.map((e) => new Float64Array(e.length));
  const histH = edges.map((e) => new Float64Array(e.length));

  const leaf = (g: number, h: number) => ({ value: (-g / (h + o.lambda)) * o.learningRate });
  const grow = (rows: Int32Array, depth: number): TreeNode => {
    let g = 0;
    let h = 0;
    for (const i of rows) {
      g += grad[i]!;
      h += hess[i]!;
    }
    if (depth >= o.maxDepth || h < 2 * o.minChildWeight) return leaf(g, h);
    const parent = (g * g) / (h + o.lambda);
    let best = { gain: 1e-9, feature: -1, threshold: -1 };
    for (let j = 0; j < p; j++) {
      const hg = histG[j]!;
      const hh = histH[j]!;
      hg.fill(0);
      hh.fill(0);
      const bj = binned[j]!;
      for (const i of rows) {
        hg[bj[i]!]! += grad[i]!;
        hh[bj[i]!]! += hess[i]!;
      }
      let gl = 0;
      let hl = 0;
      for (let b = 0; b < hg.length - 1; b++) {
        gl += hg[b]!;
        hl += hh[b]!;
        const hr = h - hl;
        if (hl < o.minChildWeight || hr < o.minChildWeight) continue;
        const gr = g - gl;
        const gain = (gl * gl) / (hl + o.lambda) + (gr * gr) / (hr + o.lambda) - parent;
        if (gain > best.gain) best = { gain, feature: j, threshold: b };
      }
    }
    if (best.feature < 0) return leaf(g, h);
    const bj = binned[best.feature]!;
    const left = rows.filter((i) => bj[i]! <= best.threshold);
    const right = rows.filter((i) => bj[i]! > best.threshold);
    return {
      feature: best.feature,
      threshold: best.threshold,
      left: grow(left, depth + 1),
      right: grow(right, depth + 1),
    };
  };
  const evaluate = (node: TreeNode, i: number): number => {
    let at = node;
    while (!('value' in at)) at = binned[at.feature]![i]! <= at.threshold ? at.left : at.right;
    return at.value;
  };

  for (let round = 0; round < o.rounds; round++) {
    for (let i = 0; i < n; i++) {
      // Tweedie deviance with log link: g = −y·e^{(1−p)η} + e^{(2−p)η}; p = 1 gives μ − y and μ.
      const e = Math.min(eta[i]!, 20);
      const a = Math.exp((1 - o.power) * e);
      const b = Math.exp((2 - o.power) * e);
      grad[i] = b - y[i]! * a;
      hess[i] = Math.max((2 - o.power) * b - (1 - o.power) * y[i]! * a, 1e-9);
    }
    const sample: number[] = [];
    for (let i = 0; i < n; i++) if (o.subsample >= 1 || random() < o.subsample) sample.push(i);
    const tree = grow(Int32Array.from(sample), 0);
    trees.push(tree);
    for (let i = 0; i < n; i++) eta[i]! += evaluate(tree, i);
  }
  return { edges, base, trees, learningRate: o.learningRate };
}

/**
 * Expected count of one feature row (with the same kind of offset the model was fitted with), from the
 * first `rounds` trees (all by default: fewer is what an early-stopping check needs).
 */
export function predictBoosted(
  model: BoostedTrees,
  x: readonly number[],
  offset = 0,
  rounds = model.trees.length,
): number {
  let eta = offset + model.base;
  for (let k = 0; k < Math.min(rounds, model.trees.length); k++) {
    const tree = model.trees[k]!;
    let at = tree;
    while (!('value' in at))
      at = binOf(model.edges[at.feature]!, x[at.feature]!) <= at.threshold ? at.left : at.right;
    eta += at.value;
  }
  return Math.exp(Math.min(eta, 20));
}
