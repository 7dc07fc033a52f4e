import { chiSquareCdf, hypergeometricDistribution, normalCdf } from './distributions';
import { StatsInputError } from './stats-input.error';

/** A test statistic with its p-value. `statistic` is null where it is infinite (Fisher's odds ratio). */
export interface TestOutcome {
  statistic: number | null;
  pValue: number;
}

function checkCounts(countsR: readonly number[], countsC: readonly number[]): void {
  if (countsR.length !== countsC.length || countsR.length === 0) {
    throw new StatsInputError(
      `count vectors must be non-empty and aligned (got ${countsR.length} and ${countsC.length})`,
    );
  }
  const sumR = countsR.reduce((s, x) => s + x, 0);
  const sumC = countsC.reduce((s, x) => s + x, 0);
  if (sumR <= 0 || sumC <= 0) throw new StatsInputError('each sample needs at least one count');
  for (let i = 0; i < countsR.length; i++) {
    if (countsR[i] + countsC[i] <= 0)
      throw new StatsInputError(`category ${i} has no count in either sample`);
  }
}

function chiSquareSf(x: number, dof: number): number {
  return Math.min(1, Math.max(0, 1 - chiSquareCdf(x, dof)));
}

/** Cressie–Read power divergence of the 2 x K table [countsR, countsC] against independence. */
function contingencyTest(
  countsR: readonly number[],
  countsC: readonly number[],
  term: (observed: number, expected: number) => number,
  scale: number,
): TestOutcome {
  checkCounts(countsR, countsC);
  const k = countsR.length;
  if (k === 1) return { statistic: 0, pValue: 1 };
  const rows = [countsR, countsC];
  const rowSums = rows.map((row) => row.reduce((s, x) => s + x, 0));
  const total = rowSums[0] + rowSums[1];
  let statistic = 0;
  for (let row = 0; row < 2; row++) {
    for (let j = 0; j < k; j++) {
      const expected = (rowSums[row] * (countsR[j] + countsC[j])) / total;
      statistic += term(rows[row][j], expected);
    }
  }
  statistic *= scale;
  return { statistic, pValue: chiSquareSf(statistic, k - 1) };
}

/**
 * Pearson chi-square test of the 2 x K table of counts (R row, C row), no Yates correction, as
 * `scipy.stats.chi2_contingency([countsR, countsC], correction=False)`. One category: 0 and p = 1.
 */
export function chiSquareFromCounts(countsR: readonly number[], countsC: readonly number[]): TestOutcome {
  return contingencyTest(countsR, countsC, (o, e) => ((o - e) * (o - e)) / e, 1);
}

/**
 * G-test (log-likelihood ratio) of the 2 x K table, as
 * `scipy.stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")`.
 */
export function gTestFromCounts(countsR: readonly number[], countsC: readonly number[]): TestOutcome {
  return contingencyTest(countsR, countsC, (o, e) => (o > 0 ? o * Math.log(o / e) : 0), 2);
}

/**
 * Two-proportion z-test: z = (p_R - p_C) / sqrt(p(1-p)(1/n + 1/m)) with the pooled share p,
 * two-sided p = 2 Φ(-|z|); z = 0 and p = 1 when p is 0 or 1 (STATS.md `ztest`).
 */
export function twoProportionZTest(successR: number, n: number, successC: number, m: number): TestOutcome {
  if (n <= 0 || m <= 0) throw new StatsInputError('each sample needs at least one value');
  const pooled = (successR + successC) / (n + m);
  if (pooled <= 0 || pooled >= 1) return { statistic: 0, pValue: 1 };
  const z = (successR / n - successC / m) / Math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / m));
  return { statistic: z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1)) };
}

/** Largest x in [lo, hi] with f(x) <= d for an increasing f (SciPy `_binary_search_for_binom_tst`). */
function binarySearch(f: (x: number) => number, d: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const value = f(mid);
    if (value < d) lo = mid + 1;
    else if (value > d) hi = mid - 1;
    else return mid;
  }
  return f(lo) <= d ? lo : lo - 1;
}

/**
 * Fisher's exact test on [[a, b], [c, d]], two-sided, as `scipy.stats.fisher_exact(table)`:
 * statistic is the sample odds ratio ad/(bc) (null where SciPy gives inf: b or c is 0), p sums the hypergeometric
 * probabilities of tables no more likely than the observed one (relative tolerance 1e-14).
 */
export function fisherExact(
  table: readonly [readonly [number, number], readonly [number, number]],
): TestOutcome {
  const [[a, b], [c, d]] = table;
  for (const x of [a, b, c, d]) {
    if (!Number.isInteger(x) || x < 0)
      throw new StatsInputError('Fisher table entries must be non-negative integers');
  }
  if (a + b === 0 || c + d === 0 || a + c === 0 || b + d === 0) {
    throw new StatsInputError('Fisher table needs every row and column sum positive');
  }
  const oddsRatio = c > 0 && b > 0 ? (a * d) / (c * b) : null;
  const n1 = a + b;
  const n2 = c + d;
  const n = a + c;
  const total = n1 + n2;
  const pmf = (x: number): number => hypergeometricDistribution().pmf(x, total, n1, n);
  const cdf = (x: number): number => hypergeometricDistribution().cdf(x, total, n1, n);
  const sf = (x: number): number => 1 - cdf(x);
  const mode = Math.floor(((n + 1) * (n1 + 1)) / (total + 2));
  const pExact = pmf(a);
  const pMode = pmf(mode);
  const epsilon = 1e-14;
  const gamma = 1 + epsilon;
  let pValue: number;
  if (Math.abs(pExact - pMode) / Math.max(pExact, pMode) <= epsilon) {
    pValue = 1;
  } else if (a < mode) {
    const pLower = cdf(a);
    if (pmf(n) > pExact * gamma) {
      pValue = pLower;
    } else {
      const guess = binarySearch((x) => -pmf(x), -pExact * gamma, mode, n);
      pValue = pLower + sf(guess);
    }
  } else {
    const pUpper = sf(a - 1);
    if (pmf(0) > pExact * gamma) {
      pValue = pUpper;
    } else {
      const guess = binarySearch(pmf, pExact * gamma, 0, mode);
      pValue = pUpper + cdf(guess);
    }
  }
  return { statistic: oddsRatio, pValue: Math.min(1, Math.max(0, pValue)) };
}
