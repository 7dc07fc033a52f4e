import { studentTCdf } from './distributions';
import { StatsInputError } from './stats-input.error';
import type { TestOutcome } from './contingency.kernel';
import type { NumericSample } from '../types';

/** Mergeable first two moments: count, mean and m2 = sum (x - mean)^2 (Welford / Chan et al.). */
export interface SampleMoments {
  count: number;
  mean: number;
  m2: number;
}

/** Moments of a sample, two-pass (the same figures as `np.mean` and `np.var(ddof=0) * n`). */
export function momentsOf(values: NumericSample): SampleMoments {
  const count = values.length;
  if (count === 0) return { count: 0, mean: 0, m2: 0 };
  let sum = 0;
  for (const x of values) sum += x;
  const mean = sum / count;
  let m2 = 0;
  for (const x of values) m2 += (x - mean) * (x - mean);
  return { count, mean, m2 };
}

/** Combines the moments of two disjoint samples (Chan, Golub & LeVeque 1979). */
export function mergeMoments(a: SampleMoments, b: SampleMoments): SampleMoments {
  if (a.count === 0) return { ...b };
  if (b.count === 0) return { ...a };
  const count = a.count + b.count;
  const delta = b.mean - a.mean;
  return {
    count,
    mean: a.mean + (delta * b.count) / count,
    m2: a.m2 + b.m2 + (delta * delta * a.count * b.count) / count,
  };
}

/**
 * Welch's unequal-variance t-test from moments: t = (mean R - mean C) / sqrt(vR/n + vC/m) with
 * ddof-1 variances and Welch–Satterthwaite degrees of freedom, two-sided p, as
 * `scipy.stats.ttest_ind(R, C, equal_var=False)`. Both variances 0: t = 0 and p = 1 when the
 * means agree; otherwise t is infinite (statistic null) and p = 0.
 */
export function welchTTestFromMoments(r: SampleMoments, c: SampleMoments): TestOutcome {
  if (r.count < 2 || c.count < 2)
    throw new StatsInputError('Welch t-test needs at least 2 values in each sample');
  const vn1 = r.m2 / (r.count - 1) / r.count;
  const vn2 = c.m2 / (c.count - 1) / c.count;
  const diff = r.mean - c.mean;
  const denominator = Math.sqrt(vn1 + vn2);
  if (denominator === 0) return diff === 0 ? { statistic: 0, pValue: 1 } : { statistic: null, pValue: 0 };
  const df = (vn1 + vn2) ** 2 / ((vn1 * vn1) / (r.count - 1) + (vn2 * vn2) / (c.count - 1));
  const statistic = diff / denominator;
  return { statistic, pValue: Math.min(1, 2 * studentTCdf(-Math.abs(statistic), df)) };
}
