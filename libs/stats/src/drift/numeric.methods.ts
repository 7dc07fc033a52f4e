import { binEdges, binShares, DEFAULT_BINS } from './binning.kernel';
import type { TestOutcome } from './contingency.kernel';
import { cvmTwoSampleAsymptoticPValue } from './cramer-von-mises.distribution';
import { normalCdf } from './distributions';
import { sortedFloat64 } from './float64.sort';
import { kolmogorovSf, ksExactPValue } from './kolmogorov.distribution';
import { momentsOf, welchTTestFromMoments } from './moments.kernel';
import { averageRanks } from './ranks.kernel';
import { SHARE_DISTANCES } from './shares.kernel';
import { StatsInputError } from './stats-input.error';
import type { NumericMethod, NumericSample } from '../types';

/** Largest n·m for which the KS p-value is exact (STATS.md `ks`). */
export const KS_EXACT_MAX_PRODUCT = 1_000_000;

function sortedCopy(values: NumericSample, label: string): Float64Array {
  if (values.length === 0) throw new StatsInputError(`${label} sample is empty`);
  for (const x of values) {
    if (!Number.isFinite(x)) throw new StatsInputError(`${label} sample holds a non-finite value (${x})`);
  }
  return sortedFloat64(values instanceof Float64Array ? values : Float64Array.from(values));
}

/**
 * Walks the pooled sorted values and calls `visit(v, i, j)` at each distinct value v, with i and j
 * the numbers of R and C values <= v (the right-continuous ECDFs times n and m).
 */
function walkEcdfs(r: Float64Array, c: Float64Array, visit: (v: number, i: number, j: number) => void): void {
  let i = 0;
  let j = 0;
  while (i < r.length || j < c.length) {
    const v = j >= c.length || (i < r.length && r[i] <= c[j]) ? r[i] : c[j];
    while (i < r.length && r[i] === v) i++;
    while (j < c.length && c[j] === v) j++;
    visit(v, i, j);
  }
}

/**
 * Two-sample Kolmogorov–Smirnov test. D = sup |F_R - F_C|; two-sided p exact when n·m <= 1e6, as
 * `scipy.stats.ks_2samp(R, C, method="exact")` (D then reported as SciPy rounds it, h / lcm(n, m)),
 * else `scipy.stats.kstwobign.sf(sqrt(n·m/(n+m)) · D)`.
 */
export function ksTest(reference: NumericSample, current: NumericSample): TestOutcome {
  const r = sortedCopy(reference, 'reference');
  const c = sortedCopy(current, 'current');
  const n = r.length;
  const m = c.length;
  let d = 0;
  walkEcdfs(r, c, (_v, i, j) => {
    d = Math.max(d, Math.abs(i / n - j / m));
  });
  if (n * m <= KS_EXACT_MAX_PRODUCT) return ksExactPValue(n, m, d);
  return { statistic: d, pValue: kolmogorovSf(Math.sqrt((n * m) / (n + m)) * d) };
}

/** Integral of |F_R - F_C|^p over the line, p = 1 or 2 (SciPy `_cdf_distance`, before the p-th root). */
function ecdfDistanceIntegral(r: Float64Array, c: Float64Array, p: 1 | 2): number {
  const n = r.length;
  const m = c.length;
  let sum = 0;
  let previous: number | null = null;
  let gap = 0;
  walkEcdfs(r, c, (v, i, j) => {
    if (previous !== null) sum += (p === 1 ? Math.abs(gap) : gap * gap) * (v - previous);
    previous = v;
    gap = i / n - j / m;
  });
  return sum;
}

function populationStd(values: Float64Array): number {
  const { count, m2 } = momentsOf(values);
  return Math.sqrt(m2 / count);
}

/**
 * First Wasserstein distance divided by the reference's standard deviation (ddof 0, floor 0.001):
 * `scipy.stats.wasserstein_distance(R, C) / max(np.std(R), 0.001)`.
 */
export function wassersteinNormalised(reference: NumericSample, current: NumericSample): number {
  const r = sortedCopy(reference, 'reference');
  const c = sortedCopy(current, 'current');
  return ecdfDistanceIntegral(r, c, 1) / Math.max(populationStd(r), 0.001);
}

/** Energy distance sqrt(2 ∫ (F_R - F_C)²), as `scipy.stats.energy_distance(R, C)`. */
export function energyDistance(reference: NumericSample, current: NumericSample): number {
  const r = sortedCopy(reference, 'reference');
  const c = sortedCopy(current, 'current');
  return Math.SQRT2 * Math.sqrt(ecdfDistanceIntegral(r, c, 2));
}

/**
 * Two-sample Cramér–von Mises T (Anderson 1962, midranks for ties) with its asymptotic p-value, as
 * `scipy.stats.cramervonmises_2samp(R, C, method="asymptotic")`.
 */
export function cramerVonMisesTest(reference: NumericSample, current: NumericSample): TestOutcome {
  const r = sortedCopy(reference, 'reference');
  const c = sortedCopy(current, 'current');
  const n = r.length;
  const m = c.length;
  if (n < 2 || m < 2) {
    // as scipy.stats.cramervonmises_2samp: the standardised statistic is undefined below 2
    throw new StatsInputError('cvm needs at least two values in the reference and in the current sample');
  }
  const { ranks } = averageRanks([...r, ...c]);
  let sumR = 0;
  for (let i = 0; i < n; i++) sumR += (ranks[i] - (i + 1)) ** 2;
  let sumC = 0;
  for (let j = 0; j < m; j++) sumC += (ranks[n + j] - (j + 1)) ** 2;
  const u = n * sumR + m * sumC;
  const k = n * m;
  const total = n + m;
  const statistic = u / (k * total) - (4 * k - 1) / (6 * total);
  return { statistic, pValue: cvmTwoSampleAsymptoticPValue(statistic, n, m) };
}

/**
 * Mann–Whitney U of R (R first), two-sided, continuity correction, tie-corrected normal
 * approximation, as `scipy.stats.mannwhitneyu(R, C, method="asymptotic")`.
 */
export function mannWhitneyTest(reference: NumericSample, current: NumericSample): TestOutcome {
  sortedCopy(reference, 'reference');
  sortedCopy(current, 'current');
  const n = reference.length;
  const m = current.length;
  const { ranks, tieSizes } = averageRanks([...reference, ...current]);
  let rankSumR = 0;
  for (let i = 0; i < n; i++) rankSumR += ranks[i];
  const u1 = rankSumR - (n * (n + 1)) / 2;
  const u = Math.max(u1, n * m - u1);
  const total = n + m;
  const tieTerm = tieSizes.reduce((s, t) => s + (t * t * t - t), 0);
  const sigma = Math.sqrt(((n * m) / 12) * (total + 1 - tieTerm / (total * (total - 1))));
  if (!(sigma > 0)) return { statistic: u1, pValue: 1 };
  const z = (u - (n * m) / 2 - 0.5) / sigma;
  return { statistic: u1, pValue: Math.min(1, Math.max(0, 2 * normalCdf(-z, 0, 1))) };
}

/** Welch's t-test on two samples, as `scipy.stats.ttest_ind(R, C, equal_var=False)`. */
export function welchTTest(reference: NumericSample, current: NumericSample): TestOutcome {
  sortedCopy(reference, 'reference');
  sortedCopy(current, 'current');
  return welchTTestFromMoments(momentsOf(reference), momentsOf(current));
}

/** Shares of R and C in the bins fixed by the reference quantiles (STATS.md "Binning"). */
export function binnedShares(
  reference: NumericSample,
  current: NumericSample,
  bins: number = DEFAULT_BINS,
): { edges: number[]; reference: number[]; current: number[] } {
  sortedCopy(reference, 'reference');
  sortedCopy(current, 'current');
  const r = Array.from(reference);
  const edges = binEdges(r, bins);
  return { edges, reference: binShares(r, edges), current: binShares(Array.from(current), edges) };
}

/** Statistic and p-value (null for distances) of one numeric method on two clean samples. */
export function numericMethodOutcome(
  method: NumericMethod,
  reference: NumericSample,
  current: NumericSample,
  bins: number = DEFAULT_BINS,
): { statistic: number | null; pValue: number | null } {
  const distance = (statistic: number) => ({ statistic, pValue: null });
  switch (method) {
    case 'ks':
      return ksTest(reference, current);
    case 'wasserstein':
      return distance(wassersteinNormalised(reference, current));
    case 'cvm':
      return cramerVonMisesTest(reference, current);
    case 'mannwhitney':
      return mannWhitneyTest(reference, current);
    case 'ttest':
      return welchTTest(reference, current);
    case 'energy':
      return distance(energyDistance(reference, current));
    case 'psi':
    case 'jensenshannon':
    case 'hellinger':
    case 'kl': {
      const shares = binnedShares(reference, current, bins);
      return distance(SHARE_DISTANCES[method](shares.reference, shares.current));
    }
  }
}
