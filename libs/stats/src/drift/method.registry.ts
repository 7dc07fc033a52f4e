import {
  CATEGORICAL_METHODS,
  NUMERIC_METHODS,
  type CategoricalMethod,
  type ColumnType,
  type DriftMethod,
  type DriftTestResult,
  type NumericMethod,
} from '../types';

/** Methods whose verdict is p < threshold; every other method is a distance, stat >= threshold. */
const P_VALUE_METHODS: ReadonlySet<DriftMethod> = new Set<DriftMethod>([
  'ks',
  'cvm',
  'mannwhitney',
  'ttest',
  'chisquare',
  'gtest',
  'ztest',
  'fisher',
]);

/** Default thresholds of STATS.md: 0.05 on p for tests, 0.1 on the statistic for distances, 0.3 for linf. */
export const DEFAULT_THRESHOLDS: Readonly<Record<DriftMethod, number>> = {
  ks: 0.05,
  wasserstein: 0.1,
  psi: 0.1,
  jensenshannon: 0.1,
  hellinger: 0.1,
  kl: 0.1,
  cvm: 0.05,
  mannwhitney: 0.05,
  ttest: 0.05,
  energy: 0.1,
  chisquare: 0.05,
  gtest: 0.05,
  ztest: 0.05,
  fisher: 0.05,
  linf: 0.3,
};

/** Reference size up to which the default method is a test rather than a distance (STATS.md "Default method"). */
export const DEFAULT_METHOD_TEST_MAX_REFERENCE = 1000;

/** Numeric columns with at most this many distinct values are categorical unless declared numeric. */
export const CATEGORICAL_MAX_DISTINCT = 5;

export function isPValueMethod(method: DriftMethod): boolean {
  return P_VALUE_METHODS.has(method);
}

export function isDriftMethod(name: string): name is DriftMethod {
  return Object.prototype.hasOwnProperty.call(DEFAULT_THRESHOLDS, name);
}

export function isNumericMethod(method: DriftMethod): method is NumericMethod {
  return (NUMERIC_METHODS as readonly string[]).includes(method);
}

export function isCategoricalMethod(method: DriftMethod): method is CategoricalMethod {
  return (CATEGORICAL_METHODS as readonly string[]).includes(method);
}

/** Whether `method` is defined for a column of `type` (STATS.md method tables). */
export function methodFits(method: DriftMethod, type: ColumnType): boolean {
  return type === 'numeric' ? isNumericMethod(method) : isCategoricalMethod(method);
}

/**
 * The method STATS.md "Default method" picks: numeric columns `ks` up to 1000 reference values,
 * else `wasserstein`; categorical columns `ztest` (at most 2 categories) or `chisquare` up to 1000,
 * else `jensenshannon`. `distinctValues` counts over R and C together.
 */
export function defaultMethod(type: ColumnType, referenceSize: number, distinctValues: number): DriftMethod {
  const small = referenceSize <= DEFAULT_METHOD_TEST_MAX_REFERENCE;
  if (type === 'numeric') return small ? 'ks' : 'wasserstein';
  if (!small) return 'jensenshannon';
  return distinctValues <= 2 ? 'ztest' : 'chisquare';
}

/** The verdict of STATS.md for one outcome: p < threshold for tests, statistic >= threshold for distances. */
export function driftVerdict(
  method: DriftMethod,
  statistic: number | null,
  pValue: number | null,
  threshold: number = DEFAULT_THRESHOLDS[method],
): DriftTestResult {
  const drifted = isPValueMethod(method)
    ? pValue !== null && pValue < threshold
    : statistic !== null && statistic >= threshold;
  return { method, statistic, pValue: isPValueMethod(method) ? pValue : null, threshold, drifted };
}
