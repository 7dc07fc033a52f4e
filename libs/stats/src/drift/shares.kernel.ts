import { StatsInputError } from './stats-input.error';
import { withEpsilon } from './binning.kernel';

function checkAligned(r: readonly number[], c: readonly number[]): void {
  if (r.length !== c.length || r.length === 0) {
    throw new StatsInputError(
      `share vectors must be non-empty and aligned (got ${r.length} and ${c.length})`,
    );
  }
}

/** Population stability index sum (c_i - r_i) ln(c_i / r_i), zero shares replaced by 1e-4 (STATS.md `psi`). */
export function psiFromShares(r: readonly number[], c: readonly number[]): number {
  checkAligned(r, c);
  const re = withEpsilon(r);
  const ce = withEpsilon(c);
  let sum = 0;
  for (let i = 0; i < re.length; i++) sum += (ce[i] - re[i]) * Math.log(ce[i] / re[i]);
  return sum;
}

/** Kullback–Leibler divergence KL(r ‖ c) = sum r_i ln(r_i / c_i), zero shares replaced by 1e-4 (STATS.md `kl`). */
export function klFromShares(r: readonly number[], c: readonly number[]): number {
  checkAligned(r, c);
  const re = withEpsilon(r);
  const ce = withEpsilon(c);
  let sum = 0;
  for (let i = 0; i < re.length; i++) sum += re[i] * Math.log(re[i] / ce[i]);
  return sum;
}

function relativeEntropy(x: number, y: number): number {
  return x > 0 && y > 0 ? x * Math.log(x / y) : 0;
}

/**
 * Jensen–Shannon distance (square root of the divergence, natural log, no eps), as
 * `scipy.spatial.distance.jensenshannon(r, c)`, which first normalises each vector to sum 1.
 */
export function jensenShannonFromShares(r: readonly number[], c: readonly number[]): number {
  checkAligned(r, c);
  const sr = r.reduce((s, x) => s + x, 0);
  const sc = c.reduce((s, x) => s + x, 0);
  let left = 0;
  let right = 0;
  for (let i = 0; i < r.length; i++) {
    const p = r[i] / sr;
    const q = c[i] / sc;
    const m = (p + q) / 2;
    left += relativeEntropy(p, m);
    right += relativeEntropy(q, m);
  }
  return Math.sqrt(Math.max(0, (left + right) / 2));
}

/** Hellinger distance sqrt(sum (sqrt r_i - sqrt c_i)^2) / sqrt 2 (STATS.md `hellinger`). */
export function hellingerFromShares(r: readonly number[], c: readonly number[]): number {
  checkAligned(r, c);
  let sum = 0;
  for (let i = 0; i < r.length; i++) sum += (Math.sqrt(r[i]) - Math.sqrt(c[i])) ** 2;
  return Math.sqrt(sum) / Math.SQRT2;
}

/** Largest absolute share difference max_i |r_i - c_i| (STATS.md `linf`). */
export function linfFromShares(r: readonly number[], c: readonly number[]): number {
  checkAligned(r, c);
  let max = 0;
  for (let i = 0; i < r.length; i++) max = Math.max(max, Math.abs(r[i] - c[i]));
  return max;
}

/** The share-based distances by method name. */
export const SHARE_DISTANCES = {
  psi: psiFromShares,
  jensenshannon: jensenShannonFromShares,
  hellinger: hellingerFromShares,
  kl: klFromShares,
  linf: linfFromShares,
} as const satisfies Record<string, (r: readonly number[], c: readonly number[]) => number>;
