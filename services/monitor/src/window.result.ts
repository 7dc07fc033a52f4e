import {
  canonicalMetricName,
  PREDICTION_COLUMN,
  SCORE_COLUMN,
  type ColumnDriftResult,
  type WindowPerformanceResult,
  type WindowResult as ContractsWindowResult,
} from '@driftline/contracts';
import type { MetricPoint } from '@driftline/db';

export const PREDICTION_FEATURE = PREDICTION_COLUMN;
export const SCORE_FEATURE = SCORE_COLUMN;

/** The `result` of a window_results row: exactly what the API returns for a window (libs/contracts). */
export type WindowResult = ContractsWindowResult;

/** A window_results row. */
export interface WindowResultRow {
  modelId: string;
  windowStart: Date;
  windowEnd: Date;
  eventCount: number;
  result: WindowResult;
}

export interface WindowKey {
  modelId: string;
  windowStart: Date;
  windowEnd: Date;
}

/** The metric_points of a window's performance: labelled_share and every numeric metric by its name. */
export function performancePoints(window: WindowKey, performance: WindowPerformanceResult): MetricPoint[] {
  const points: MetricPoint[] = [
    { ...window, feature: '', metric: 'labelled_share', value: performance.labelledShare },
  ];
  for (const [name, value] of Object.entries(performance.metrics)) {
    // the summaries' camelCase keys stored under their catalogue names (rocAuc as roc_auc)
    if (typeof value === 'number')
      points.push({ ...window, feature: '', metric: canonicalMetricName(name), value });
  }
  return points;
}

/** Every figure of a window result as metric_points (feature '' for model-level figures). */
export function windowPoints(row: WindowResultRow, missingShares: Record<string, number>): MetricPoint[] {
  const window: WindowKey = { modelId: row.modelId, windowStart: row.windowStart, windowEnd: row.windowEnd };
  const { result } = row;
  const model = (metric: string, value: number): MetricPoint => ({ ...window, feature: '', metric, value });
  const points: MetricPoint[] = [
    model('event_count', result.eventCount),
    model('late_events', result.lateEvents),
    model('duplicate_events', result.duplicateEvents),
    model('drift_share', result.drift.driftShare),
    model('dataset_drift', result.drift.datasetDrift ? 1 : 0),
  ];
  for (const [feature, value] of Object.entries(missingShares)) {
    points.push({ ...window, feature, metric: 'missing_share', value });
  }
  const columnPoints = (feature: string, column: ColumnDriftResult) => {
    const detail = { method: column.method, threshold: column.threshold };
    if (column.statistic !== null)
      points.push({ ...window, feature, metric: 'drift_statistic', value: column.statistic, detail });
    if (column.pValue !== null)
      points.push({ ...window, feature, metric: 'drift_p_value', value: column.pValue, detail });
    points.push({ ...window, feature, metric: 'drifted', value: column.drifted ? 1 : 0, detail });
  };
  for (const column of [...result.drift.columns, ...(result.drift.predictionDrift ?? [])]) {
    columnPoints(column.column, column);
  }
  if (result.drift.multivariate && result.drift.multivariate.value !== null) {
    points.push(model('pca_reconstruction_error', result.drift.multivariate.value));
  }
  if (result.estimated) {
    for (const metric of ['accuracy', 'precision', 'recall', 'f1'] as const) {
      points.push(model(`estimated_${metric}`, result.estimated[metric]));
    }
  }
  if (result.performance) points.push(...performancePoints(window, result.performance));
  return points;
}
