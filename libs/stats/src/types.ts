/**
 * Shared vocabulary of libs/stats (see docs/STATS.md). Every public function of the library
 * speaks in these types, so the CLI, the monitor and the tests agree on names and shapes.
 */

export type ColumnType = 'numeric' | 'categorical';

export const NUMERIC_METHODS = [
  'ks',
  'wasserstein',
  'psi',
  'jensenshannon',
  'hellinger',
  'kl',
  'cvm',
  'mannwhitney',
  'ttest',
  'energy',
] as const;
export type NumericMethod = (typeof NUMERIC_METHODS)[number];

export const CATEGORICAL_METHODS = [
  'chisquare',
  'gtest',
  'ztest',
  'fisher',
  'psi',
  'jensenshannon',
  'hellinger',
  'kl',
  'linf',
] as const;
export type CategoricalMethod = (typeof CATEGORICAL_METHODS)[number];

export type DriftMethod = NumericMethod | CategoricalMethod;

/** Numbers of one sample, as an array or a Float64Array (the methods read both alike). */
export type NumericSample = readonly number[] | Float64Array;

/** A value as read from a CSV cell or an event: null means missing. */
export type RawValue = number | string | boolean | null | undefined;

/** Outcome of one drift test. `pValue` is null for distance methods. */
export interface DriftTestResult {
  method: DriftMethod;
  statistic: number | null;
  pValue: number | null;
  /** p-value threshold for tests, statistic threshold for distances. */
  threshold: number;
  drifted: boolean;
}

/** One column of a drift report, exactly as the CLI prints it and the API returns it. */
export interface ColumnDrift extends DriftTestResult {
  column: string;
  type: ColumnType;
  /** Share of missing values in the current sample. */
  missingShare: number;
}

export type Correction = 'none' | 'bonferroni' | 'bh';

export interface DatasetDriftOptions {
  /** Share of drifted columns at or above which the data set drifts (default 0.5). */
  driftShare?: number;
  correction?: Correction;
}

export interface DatasetDrift {
  columns: ColumnDrift[];
  driftedColumns: number;
  totalColumns: number;
  driftShare: number;
  datasetDrift: boolean;
}

export type Task = 'binary' | 'multiclass' | 'regression';

export interface ConfusionMatrix {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface BinaryMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** Null when no score is given or only one class is present. */
  rocAuc: number | null;
  logLoss: number | null;
  brier: number | null;
  confusionMatrix: ConfusionMatrix;
}

export interface MulticlassMetrics {
  accuracy: number;
  precisionMacro: number;
  recallMacro: number;
  f1Macro: number;
  f1Weighted: number;
}

export interface RegressionMetrics {
  mae: number;
  rmse: number;
  /** Null when every target is 0. */
  mape: number | null;
  r2: number;
  meanError: number;
  medianAbsoluteError: number;
}

export type PerformanceMetrics = BinaryMetrics | MulticlassMetrics | RegressionMetrics;

export interface PerformanceReport {
  task: Task;
  metrics: PerformanceMetrics;
}
