/**
 * Every figure Driftline computes for a window, by one snake_case name: what metric_points rows,
 * the API's `?metric=`, monitors, alerts and the dashboard call it. Names from before the catalogue
 * (the performance metrics' camelCase) are aliases, accepted for one release.
 */
export type MetricScope = 'model' | 'feature';
export type MetricFamily =
  'counts' | 'drift' | 'prediction_drift' | 'performance' | 'estimated' | 'multivariate';

export interface MetricDefinition {
  name: string;
  /** feature: one value per column (a monitor names the feature, or "*" for each). */
  scope: MetricScope;
  family: MetricFamily;
  description: string;
  /** Older names that still resolve to this one. */
  aliases?: readonly string[];
}

/**
 * "No feature", said once: model-level figures have feature null in the API, in monitors and in
 * alerts; only the metric_points key column stores it as ''.
 */
export const NO_FEATURE = null;
/** The key-column form of a feature (`''` for none). */
export const featureKey = (feature: string | null | undefined): string => feature ?? '';
/** The API form of a key-column feature. */
export const featureOf = (key: string): string | null => (key === '' ? NO_FEATURE : key);
/** A monitor's feature that means each feature of the window, one alert per feature. */
export const EACH_FEATURE = '*';

const m = (
  name: string,
  scope: MetricScope,
  family: MetricFamily,
  description: string,
  aliases?: readonly string[],
): MetricDefinition => ({ name, scope, family, description, ...(aliases ? { aliases } : {}) });

export const METRIC_CATALOGUE: readonly MetricDefinition[] = [
  m('event_count', 'model', 'counts', 'events in the window'),
  m('late_events', 'model', 'counts', 'events that arrived after the window closed, left out'),
  m('duplicate_events', 'model', 'counts', 'events whose eventId was already counted, left out'),
  m('drift_share', 'model', 'drift', 'share of features that drifted'),
  m('dataset_drift', 'model', 'drift', '1 when drift_share reached the model driftShare, else 0'),
  m('drift_statistic', 'feature', 'drift', "a feature's drift statistic (the method's)"),
  m('drift_p_value', 'feature', 'drift', "a feature's drift p-value (tests only)"),
  m('drifted', 'feature', 'drift', '1 when the feature drifted, else 0'),
  m('missing_share', 'feature', 'drift', 'share of null values of a feature'),
  m('prediction_drift', 'model', 'prediction_drift', '1 when the prediction or the score drifted, else 0'),
  m('pca_reconstruction_error', 'model', 'multivariate', 'mean PCA reconstruction error of the window'),
  m('labelled_share', 'model', 'performance', 'share of the window that has ground truth'),
  m('accuracy', 'model', 'performance', 'accuracy'),
  m('precision', 'model', 'performance', 'precision of the positive label (binary)'),
  m('recall', 'model', 'performance', 'recall of the positive label (binary)'),
  m('f1', 'model', 'performance', 'F1 of the positive label (binary)'),
  m('roc_auc', 'model', 'performance', 'ROC AUC (binary, with scores)', ['rocAuc']),
  m('log_loss', 'model', 'performance', 'log loss (binary, with scores)', ['logLoss']),
  m('brier', 'model', 'performance', 'Brier score (binary, with scores)'),
  m('precision_macro', 'model', 'performance', 'macro precision (multiclass)', ['precisionMacro']),
  m('recall_macro', 'model', 'performance', 'macro recall (multiclass)', ['recallMacro']),
  m('f1_macro', 'model', 'performance', 'macro F1 (multiclass)', ['f1Macro']),
  m('f1_weighted', 'model', 'performance', 'support-weighted F1 (multiclass)', ['f1Weighted']),
  m('mae', 'model', 'performance', 'mean absolute error (regression)'),
  m('rmse', 'model', 'performance', 'root mean squared error (regression)'),
  m('mape', 'model', 'performance', 'mean absolute percentage error (regression)'),
  m('r2', 'model', 'performance', 'coefficient of determination (regression)'),
  m('mean_error', 'model', 'performance', 'mean error (regression)', ['meanError']),
  m('median_absolute_error', 'model', 'performance', 'median absolute error (regression)', [
    'medianAbsoluteError',
  ]),
  m('estimated_accuracy', 'model', 'estimated', 'CBPE estimate of accuracy, without labels'),
  m('estimated_precision', 'model', 'estimated', 'CBPE estimate of precision'),
  m('estimated_recall', 'model', 'estimated', 'CBPE estimate of recall'),
  m('estimated_f1', 'model', 'estimated', 'CBPE estimate of F1'),
];

const BY_NAME = new Map<string, MetricDefinition>();
for (const metric of METRIC_CATALOGUE) {
  BY_NAME.set(metric.name, metric);
  for (const alias of metric.aliases ?? []) BY_NAME.set(alias, metric);
}

/** The catalogue entry of a name or an alias; undefined when Driftline computes no such figure. */
export function findMetric(name: string): MetricDefinition | undefined {
  return BY_NAME.get(name);
}

/** The catalogue name of a performance summary's key (`rocAuc` → `roc_auc`); unknown keys as they are. */
export function canonicalMetricName(name: string): string {
  return BY_NAME.get(name)?.name ?? name;
}

export const METRIC_NAMES: readonly string[] = METRIC_CATALOGUE.map((metric) => metric.name);
