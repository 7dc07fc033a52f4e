import type { Model, Monitor, WindowResult } from './api.types';

/** The performance metric the model page plots: the one a monitor watches, else the task's usual one. */
export function performanceMetric(model: Model, monitors: readonly Monitor[]): string {
  const watched = monitors
    .map((m) => m.metric.replace(/^estimated_/, ''))
    .find((m) =>
      ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'mae', 'rmse', 'r2', 'f1_macro'].includes(m),
    );
  return watched ?? (model.task === 'regression' ? 'rmse' : 'accuracy');
}

/** A catalogue name as the window result's performance summary keys it (rocAuc, f1Macro, ...). */
const summaryKey = (metric: string) => metric.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function realValue(w: WindowResult, metric: string): number | null {
  return finite((w.performance?.metrics as Record<string, unknown> | undefined)?.[summaryKey(metric)]);
}

/** CBPE's estimate of the metric (binary: accuracy, precision, recall, f1), or null. */
export function estimatedValue(w: WindowResult, metric: string): number | null {
  return finite((w.estimated as unknown as Record<string, unknown> | undefined)?.[metric]);
}

/** The thresholds monitors hold the metric (or its estimate) to. */
export function thresholdsOf(monitors: readonly Monitor[], metrics: readonly string[]): Monitor[] {
  return monitors.filter((m) => metrics.includes(m.metric) && (m.feature === undefined || m.feature === ''));
}
