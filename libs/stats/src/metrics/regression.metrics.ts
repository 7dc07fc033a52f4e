import { StatsInputError } from '../drift/stats-input.error';
import type { RegressionMetrics } from '../types';
import { checkRows } from './metrics.rows';

function median(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Regression metrics (STATS.md): mae, rmse, mape (mean |ŷ - y| / |y| over rows with y != 0, a
 * fraction; null when every y is 0), r2 (1 - SS_res / SS_tot; with constant y, 1 when the fit is
 * perfect else 0, as `sklearn.metrics.r2_score`), meanError (mean ŷ - y), medianAbsoluteError.
 */
export function regressionMetrics(
  target: readonly number[],
  prediction: readonly number[],
): RegressionMetrics {
  const n = target.length;
  checkRows('regression', target, { prediction });
  const bad = [...target, ...prediction].find((x) => !Number.isFinite(x));
  if (bad !== undefined) throw new StatsInputError(`regression metrics need finite numbers, got ${bad}`);
  const errors = target.map((y, i) => prediction[i] - y);
  const absolute = errors.map(Math.abs);
  const meanTarget = target.reduce((s, y) => s + y, 0) / n;
  const ssRes = errors.reduce((s, e) => s + e * e, 0);
  const ssTot = target.reduce((s, y) => s + (y - meanTarget) ** 2, 0);
  const nonZero = target.map((y, i) => [y, absolute[i]] as const).filter(([y]) => y !== 0);
  return {
    mae: absolute.reduce((s, e) => s + e, 0) / n,
    rmse: Math.sqrt(ssRes / n),
    mape:
      nonZero.length === 0 ? null : nonZero.reduce((s, [y, e]) => s + e / Math.abs(y), 0) / nonZero.length,
    r2: ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot,
    meanError: errors.reduce((s, e) => s + e, 0) / n,
    medianAbsoluteError: median(absolute),
  };
}
