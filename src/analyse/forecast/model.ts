import { logGamma, MIN_ALPHA } from './negative-binomial.ts';

/**
 * Negative binomial (NB2) regression: log E[y] = x·β, Var[y] = μ + αμ². β by iteratively reweighted
 * least squares with a small ridge penalty (features standardised; the intercept is not penalised),
 * α by maximum likelihood (golden-section search on log α), alternating until both settle.
 */
export interface NegBinModel {
  coefficients: number[];
  alpha: number;
  center: number[];
  scale: number[];
  iterations: number;
}

export interface FitOptions {
  /** Ridge penalty on standardised coefficients. */
  ridge?: number;
  /** Penalise the intercept too, shrinking the fit towards the offset itself (the naive forecast). */
  penaliseIntercept?: boolean;
  maxIterations?: number;
  /** A previous fit on similar data (e.g. the last origin's) to start from: fewer iterations, same optimum. */
  start?: Pick<NegBinModel, 'coefficients' | 'alpha'>;
}

/** Solves the symmetric positive-definite system A x = b by Cholesky decomposition. */
export function solveSpd(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      if (i === j) l[i]![i] = Math.sqrt(Math.max(s, 1e-12));
      else l[i]![j] = s / l[j]![j]!;
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * z[k]!;
    z[i] = s / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
}

/** NB log-likelihood up to terms free of α and μ; Γ(y + r)/Γ(r) as a product for the small counts seen here. */
function logLikelihood(y: readonly number[], mu: readonly number[], alpha: number): number {
  let total = 0;
  if (alpha <= MIN_ALPHA) {
    for (let i = 0; i < y.length; i++) total += y[i]! * Math.log(Math.max(mu[i]!, 1e-12)) - mu[i]!;
    return total;
  }
  const r = 1 / alpha;
  const lgr = logGamma(r);
  for (let i = 0; i < y.length; i++) {
    const yi = y[i]!;
    const m = Math.max(mu[i]!, 1e-12);
    let ratio = 0;
    if (yi <= 200) for (let k = 0; k < yi; k++) ratio += Math.log(r + k);
    else ratio = logGamma(yi + r) - lgr;
    total += ratio + r * Math.log(r / (r + m)) + yi * Math.log(m / (r + m));
  }
  return total;
}

/** The α in [MIN_ALPHA, 100] that maximises the likelihood for fixed means. */
export function estimateAlpha(y: readonly number[], mu: readonly number[]): number {
  let lo = Math.log(1e-4);
  let hi = Math.log(100);
  const golden = (Math.sqrt(5) - 1) / 2;
  let c = hi - golden * (hi - lo);
  let d = lo + golden * (hi - lo);
  let fc = logLikelihood(y, mu, Math.exp(c));
  let fd = logLikelihood(y, mu, Math.exp(d));
  for (let i = 0; i < 40; i++) {
    if (fc > fd) {
      hi = d;
      d = c;
      fd = fc;
      c = hi - golden * (hi - lo);
      fc = logLikelihood(y, mu, Math.exp(c));
    } else {
      lo = c;
      c = d;
      fc = fd;
      d = lo + golden * (hi - lo);
      fd = logLikelihood(y, mu, Math.exp(d));
    }
  }
  const alpha = Math.exp((lo + hi) / 2);
  // The Poisson limit wins when extra dispersion does not raise the likelihood.
  return logLikelihood(y, mu, MIN_ALPHA) >= logLikelihood(y, mu, alpha) ? MIN_ALPHA : alpha;
}

const MAX_ETA = 12;

function linear(
  model: Pick<NegBinModel, 'coefficients' | 'center' | 'scale'>,
  x: readonly number[],
  offset: number,
): number {
  let eta = offset + model.coefficients[0]!;
  for (let j = 0; j < x.length; j++)
    eta += model.coefficients[j + 1]! * ((x[j]! - model.center[j]!) / model.scale[j]!);
  return Math.min(eta, MAX_ETA);
}

/** Expected count for one feature vector (and its offset, if the model was fitted with offsets). */
export function predictMean(model: NegBinModel, x: readonly number[], offset = 0): number {
  return Math.exp(linear(model, x, offset));
}

/**
 * Fits the model to rows `x` (without intercept column) and counts `y`.
 *
 * @example const model = fitNegativeBinomial([[0], [1], [2]], [1, 3, 7]); predictMean(model, [1])
 */
export function fitNegativeBinomial(
  x: readonly number[][],
  y: readonly number[],
  options: FitOptions = {},
  offsets?: readonly number[],
): NegBinModel {
  const ridge = options.ridge ?? 1;
  const penaliseIntercept = options.penaliseIntercept ?? false;
  const maxIterations = options.maxIterations ?? 30;
  const n = y.length;
  if (n === 0) throw new Error('cannot fit a count model to no rows');
  const p = x[0]?.length ?? 0;
  const center = new Array<number>(p).fill(0);
  const scale = new Array<number>(p).fill(1);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (const row of x) s += row[j]!;
    center[j] = s / n;
    let v = 0;
    for (const row of x) v += (row[j]! - center[j]!) ** 2;
    const sd = Math.sqrt(v / n);
    scale[j] = sd > 1e-9 ? sd : 1;
  }
  const z = x.map((row) => Float64Array.from([1, ...row.map((v, j) => (v - center[j]!) / scale[j]!)]));
  const offset = (i: number) => offsets?.[i] ?? 0;
  let ratio = 0;
  for (let i = 0; i < n; i++) ratio += y[i]! / n / Math.exp(offset(i));
  const model: NegBinModel = {
    coefficients:
      options.start?.coefficients.length === p + 1
        ? [...options.start.coefficients]
        : [penaliseIntercept ? 0 : Math.log(ratio + 0.05), ...new Array<number>(p).fill(0)],
    alpha: options.start?.alpha ?? 1,
    center,
    scale,
    iterations: 0,
  };
  const mu = new Array<number>(n);
  const refreshMu = () => {
    for (let i = 0; i < n; i++) {
      let eta = offset(i);
      for (let j = 0; j <= p; j++) eta += model.coefficients[j]! * z[i]![j]!;
      mu[i] = Math.exp(Math.min(eta, MAX_ETA));
    }
  };
  refreshMu();
  for (let round = 0; round < 3; round++) {
    for (let iteration = 0; iteration < maxIterations; iteration++) {
      model.iterations++;
      const xtwx = Array.from({ length: p + 1 }, () => new Array<number>(p + 1).fill(0));
      const xtwz = new Array<number>(p + 1).fill(0);
      for (let i = 0; i < n; i++) {
        const m = mu[i]!;
        const w = m / (1 + model.alpha * m);
        const row = z[i]!;
        // Working response without the offset: the offset is a known part of the linear predictor.
        let eta = 0;
        for (let j = 0; j <= p; j++) eta += model.coefficients[j]! * row[j]!;
        const working = eta + (y[i]! - m) / m;
        for (let j = 0; j <= p; j++) {
          const wj = w * row[j]!;
          xtwz[j]! += wj * working;
          for (let k = 0; k <= j; k++) xtwx[j]![k]! += wj * row[k]!;
        }
      }
      for (let j = 0; j <= p; j++) for (let k = 0; k < j; k++) xtwx[k]![j] = xtwx[j]![k]!;
      for (let j = penaliseIntercept ? 0 : 1; j <= p; j++) xtwx[j]![j]! += ridge;
      const next = solveSpd(xtwx, xtwz);
      const change = Math.max(...next.map((b, j) => Math.abs(b - model.coefficients[j]!)));
      model.coefficients = next;
      refreshMu();
      if (change < 1e-5) break;
    }
    const alpha = estimateAlpha(y, mu);
    const settled = Math.abs(Math.log(alpha) - Math.log(model.alpha)) < 1e-3;
    model.alpha = alpha;
    if (settled) break;
  }
  return model;
}
