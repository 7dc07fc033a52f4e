/**
 * A window's figures, exactly as window_results.result stores them and GET /v1/models/:id/windows
 * returns them: what the monitor writes, the API serves, monitors judge and the dashboard draws.
 */

/** One column compared with the reference (STATS.md), as libs/stats reports it. */
export interface ColumnDriftResult {
  column: string;
  type: 'numeric' | 'categorical';
  method: string;
  statistic: number | null;
  pValue: number | null;
  /** p-value threshold for tests, statistic threshold for distances. */
  threshold: number;
  drifted: boolean;
  missingShare: number;
  /** From sketches: the statistic's error bound (and a p-value range for tests). */
  bound?: number;
  pValueRange?: { lo: number; hi: number } | null;
}

/** PCA reconstruction error of the window against the reference's band. */
export interface MultivariateResult {
  value: number | null;
  count: number;
  lower: number;
  upper: number;
  alert: boolean;
}

export interface ConfusionCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** CBPE estimates of a binary model's performance, before any label. */
export interface EstimatedPerformance {
  count: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  confusionMatrix: ConfusionCounts;
}

/** Performance from the labels that arrived so far, rewritten as more arrive. */
export interface WindowPerformanceResult {
  labelledShare: number;
  /** By the summaries' keys (accuracy, rocAuc, ...; metric_points stores catalogue names). */
  metrics: object;
}

/** Prediction and score drift are columns with these names. */
export const PREDICTION_COLUMN = '__prediction__';
export const SCORE_COLUMN = '__score__';

export interface WindowResult {
  windowStart: string;
  windowEnd: string;
  eventCount: number;
  lateEvents: number;
  duplicateEvents: number;
  drift: {
    columns: ColumnDriftResult[];
    driftShare: number;
    datasetDrift: boolean;
    /** Drift of the prediction and the score, as columns `__prediction__` and `__score__`. */
    predictionDrift?: ColumnDriftResult[];
    multivariate?: MultivariateResult;
    /** Columns that could not be compared (all values missing, or a method that does not fit). */
    skipped?: { column: string; reason: string }[];
  };
  performance?: WindowPerformanceResult;
  estimated?: EstimatedPerformance;
}
