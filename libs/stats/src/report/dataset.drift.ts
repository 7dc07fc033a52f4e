import { StatsInputError } from '../drift/stats-input.error';
import type { ColumnDrift, DatasetDrift, DatasetDriftOptions } from '../types';

/** Share of drifted columns at or above which the data set drifts (STATS.md "Data set drift"). */
export const DEFAULT_DATASET_DRIFT_SHARE = 0.5;

/** False discovery rate of the Benjamini–Hochberg correction. */
export const BH_LEVEL = 0.05;

/**
 * Column verdicts after the multiple-testing correction, over the k columns with a p-value:
 * `bonferroni` drifts when p < threshold / k; `bh` (Benjamini–Hochberg 1995 step-up at level 0.05)
 * drifts the columns whose p is at most p_(i*), i* the largest rank with p_(i*) <= i*·0.05/k, and
 * reports i*·0.05/k (or 0.05/k when nothing is rejected) as the threshold. Distances are unchanged.
 */
function correctedColumns(
  columns: readonly ColumnDrift[],
  correction: DatasetDriftOptions['correction'],
): ColumnDrift[] {
  const tested = columns.filter((c) => c.pValue !== null);
  const k = tested.length;
  if (correction === undefined || correction === 'none' || k === 0) return columns.map((c) => ({ ...c }));
  if (correction === 'bonferroni') {
    return columns.map((c) => {
      if (c.pValue === null) return { ...c };
      const threshold = c.threshold / k;
      return { ...c, threshold, drifted: c.pValue < threshold };
    });
  }
  const sorted = tested.map((c) => c.pValue as number).sort((a, b) => a - b);
  let rejected = 0;
  sorted.forEach((p, i) => {
    if (p <= ((i + 1) * BH_LEVEL) / k) rejected = i + 1;
  });
  const threshold = (Math.max(rejected, 1) * BH_LEVEL) / k;
  const cutoff = rejected > 0 ? sorted[rejected - 1] : -1;
  return columns.map((c) =>
    c.pValue === null ? { ...c } : { ...c, threshold, drifted: c.pValue <= cutoff },
  );
}

/**
 * Data set drift over column results (STATS.md "Data set drift"): the share of drifted columns,
 * after the optional multiple-testing correction, compared with `driftShare` (default 0.5, drifts
 * when share >= it).
 */
export function datasetDrift(
  columns: readonly ColumnDrift[],
  options: DatasetDriftOptions = {},
): DatasetDrift {
  const threshold = options.driftShare ?? DEFAULT_DATASET_DRIFT_SHARE;
  if (!(threshold >= 0 && threshold <= 1))
    throw new StatsInputError(`driftShare must lie in [0, 1], got ${threshold}`);
  const corrected = correctedColumns(columns, options.correction);
  const driftedColumns = corrected.filter((c) => c.drifted).length;
  const totalColumns = corrected.length;
  const driftShare = totalColumns === 0 ? 0 : driftedColumns / totalColumns;
  return {
    columns: corrected,
    driftedColumns,
    totalColumns,
    driftShare,
    datasetDrift: totalColumns > 0 && driftShare >= threshold,
  };
}
