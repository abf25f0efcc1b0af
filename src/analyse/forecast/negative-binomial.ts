/**
 * The negative binomial distribution (NB2: mean μ, variance μ + αμ²), the predictive distribution of
 * the forecast model. α → 0 is the Poisson limit.
 */

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7; ~15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = 0.99999999999980993;
  for (let i = 0; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i + 1);
  const t = z + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Smallest dispersion used: below it the distribution is Poisson to numerical precision. */
export const MIN_ALPHA = 1e-6;

/** log P(Y = y) under NB(μ, α). */
export function nbLogPmf(y: number, mu: number, alpha: number): number {
  const m = Math.max(mu, 1e-12);
  if (alpha <= MIN_ALPHA) return y * Math.log(m) - m - logGamma(y + 1);
  const r = 1 / alpha;
  return (
    logGamma(y + r) - logGamma(r) - logGamma(y + 1) + r * Math.log(r / (r + m)) + y * Math.log(m / (r + m))
  );
}

/**
 * P(Y = 0), P(Y = 1), … until the cumulative mass reaches `1 − tail` and the list covers `atLeast`.
 * The recursion p(k+1) = p(k)·(k + r)/(k + 1)·μ/(r + μ) keeps it exact and fast.
 */
export function nbPmfTable(mu: number, alpha: number, tail = 1e-9, atLeast = 0): number[] {
  const m = Math.max(mu, 1e-12);
  const probs: number[] = [];
  let p = Math.exp(nbLogPmf(0, m, alpha));
  let cumulative = 0;
  const poisson = alpha <= MIN_ALPHA;
  const r = poisson ? 0 : 1 / alpha;
  const ratio = poisson ? 0 : m / (r + m);
  for (let k = 0; k < 1_000_000; k++) {
    probs.push(p);
    cumulative += p;
    if (cumulative >= 1 - tail && k >= atLeast && k >= m) break;
    p = poisson ? (p * m) / (k + 1) : (p * (k + r) * ratio) / (k + 1);
    if (p === 0 && k >= atLeast && k >= m) break;
  }
  return probs;
}

/** The p-quantile: the smallest count k with P(Y ≤ k) ≥ p. */
export function nbQuantile(p: number, mu: number, alpha: number): number {
  const probs = nbPmfTable(mu, alpha, Math.min(1e-9, (1 - p) / 10));
  let cumulative = 0;
  for (let k = 0; k < probs.length; k++) {
    cumulative += probs[k]!;
    if (cumulative >= p - 1e-12) return k;
  }
  return probs.length - 1;
}
