import { DEFAULT_BINS } from './binning.kernel';
import { columnDrift, requireSamples, withColumnName, type ColumnDriftOptions } from './column.drift';
import {
  CATEGORICAL_MAX_DISTINCT,
  DEFAULT_THRESHOLDS,
  defaultMethod,
  driftVerdict,
  isCategoricalMethod,
  isNumericMethod,
} from './method.registry';
import { numericMethodOutcome } from './numeric.methods';
import { StatsInputError } from './stats-input.error';
import type { ColumnDrift } from '../types';

/** The values of a sample that are not NaN, and whether all of them are finite. */
function presentNumbers(values: Float64Array): { present: Float64Array; finite: boolean } {
  const present = new Float64Array(values.length);
  let n = 0;
  let finite = true;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x !== x) continue;
    if (x === Infinity || x === -Infinity) finite = false;
    present[n++] = x;
  }
  return { present: n === values.length ? present : present.slice(0, n), finite };
}

/** The number of distinct values over both samples, counted only up to `cap` + 1. */
function distinctUpTo(a: Float64Array, b: Float64Array, cap: number): number {
  const seen = new Set<number>();
  for (const sample of [a, b]) {
    for (let i = 0; i < sample.length && seen.size <= cap; i++) seen.add(sample[i]);
  }
  return seen.size;
}

const asCells = (values: Float64Array) => Array.from(values, (x) => (Number.isNaN(x) ? null : x));

/**
 * `columnDrift` of a column held as numbers, NaN for a missing value: the same figures and errors
 * as `columnDrift(column, cells, …)` with NaN as null, without a boxed value or a set of every
 * distinct value. A column that is categorical (declared, by its method, or 5 distinct values or
 * fewer) or holds an infinite value goes through `columnDrift`.
 */
export function numberColumnDrift(
  column: string,
  reference: Float64Array,
  current: Float64Array,
  options: ColumnDriftOptions = {},
): ColumnDrift {
  const r = presentNumbers(reference);
  const c = presentNumbers(current);
  requireSamples(column, current.length, r.present.length, c.present.length);
  const method = options.method;
  const numeric =
    options.type === 'numeric' ||
    (options.type === undefined &&
      ((method !== undefined && !isCategoricalMethod(method)) ||
        ((method === undefined || isNumericMethod(method)) &&
          distinctUpTo(r.present, c.present, CATEGORICAL_MAX_DISTINCT) > CATEGORICAL_MAX_DISTINCT)));
  if (!numeric || !r.finite || !c.finite)
    return columnDrift(column, asCells(reference), asCells(current), options);
  // the distinct count only picks among categorical methods
  const chosen = method ?? defaultMethod('numeric', r.present.length, CATEGORICAL_MAX_DISTINCT + 1);
  if (!isNumericMethod(chosen))
    throw new StatsInputError(`column "${column}": method "${chosen}" does not fit a numeric column`);
  const outcome = withColumnName(column, () =>
    numericMethodOutcome(chosen, r.present, c.present, options.bins ?? DEFAULT_BINS),
  );
  const verdict = driftVerdict(
    chosen,
    outcome.statistic,
    outcome.pValue,
    options.threshold ?? DEFAULT_THRESHOLDS[chosen],
  );
  return {
    column,
    type: 'numeric',
    ...verdict,
    missingShare: (current.length - c.present.length) / current.length,
  };
}
