import type {
  BinaryMetrics,
  ColumnDrift,
  ConfusionMatrix,
  DatasetDrift,
  MulticlassMetrics,
  PerformanceReport,
  RegressionMetrics,
} from '@driftline/stats';

/** What `driftline report` prints: drift when a reference was given, performance when a task was. */
export interface Report {
  drift?: DatasetDrift;
  performance?: PerformanceReport;
}

const COLUMN_KEYS: readonly (keyof ColumnDrift)[] = [
  'column',
  'type',
  'method',
  'statistic',
  'pValue',
  'threshold',
  'drifted',
  'missingShare',
];
const DRIFT_KEYS: readonly (keyof DatasetDrift)[] = [
  'columns',
  'driftedColumns',
  'totalColumns',
  'driftShare',
  'datasetDrift',
];
const CONFUSION_KEYS: readonly (keyof ConfusionMatrix)[] = ['tp', 'fp', 'fn', 'tn'];
const BINARY_KEYS: readonly (keyof BinaryMetrics)[] = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'rocAuc',
  'logLoss',
  'brier',
  'confusionMatrix',
];
const MULTICLASS_KEYS: readonly (keyof MulticlassMetrics)[] = [
  'accuracy',
  'precisionMacro',
  'recallMacro',
  'f1Macro',
  'f1Weighted',
];
const REGRESSION_KEYS: readonly (keyof RegressionMetrics)[] = [
  'mae',
  'rmse',
  'mape',
  'r2',
  'meanError',
  'medianAbsoluteError',
];

/** A copy of `source` with exactly `keys`, in that order. */
function ordered<T extends object>(source: T, keys: readonly (keyof T)[]): T {
  return Object.fromEntries(keys.map((k) => [k, source[k]])) as T;
}

function metrics(p: PerformanceReport): PerformanceReport['metrics'] {
  if (p.task === 'binary') {
    const m = p.metrics as BinaryMetrics;
    return { ...ordered(m, BINARY_KEYS), confusionMatrix: ordered(m.confusionMatrix, CONFUSION_KEYS) };
  }
  if (p.task === 'multiclass') return ordered(p.metrics as MulticlassMetrics, MULTICLASS_KEYS);
  return ordered(p.metrics as RegressionMetrics, REGRESSION_KEYS);
}

/** The report as JSON, its keys always in the documented order, whatever order the statistics built them in. */
export function reportJson(report: Report): string {
  const out: Report = {};
  if (report.drift !== undefined) {
    const columns = report.drift.columns.map((c) => ordered(c, COLUMN_KEYS));
    out.drift = { ...ordered(report.drift, DRIFT_KEYS), columns };
  }
  if (report.performance !== undefined)
    out.performance = { task: report.performance.task, metrics: metrics(report.performance) };
  return `${JSON.stringify(out, null, 2)}\n`;
}
