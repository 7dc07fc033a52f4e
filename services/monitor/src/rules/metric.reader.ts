import { EACH_FEATURE, findMetric, type MonitorSpec } from '@driftline/contracts';
import type { ColumnDriftResult as ColumnDrift } from '@driftline/contracts';
import type { WindowResult } from '../window.result';

/** One value a rule compares: null when the window has no such figure (nothing to judge). */
export interface Measurement {
  /** Null for a model-level metric. */
  feature: string | null;
  value: number | null;
  /** Labels behind a performance figure, for minSamples. */
  labelled?: number;
}

const ESTIMATED = {
  estimated_accuracy: 'accuracy',
  estimated_precision: 'precision',
  estimated_recall: 'recall',
  estimated_f1: 'f1',
} as const;

const COLUMN_FIGURES: Record<string, (c: ColumnDrift) => number | null> = {
  drift_statistic: (c) => c.statistic,
  drift_p_value: (c) => c.pValue,
  drifted: (c) => (c.drifted ? 1 : 0),
  missing_share: (c) => c.missingShare,
};

function performanceValue(result: WindowResult, metric: string): number | null {
  const performance = result.performance;
  if (performance === undefined) return null;
  if (metric === 'labelled_share') return performance.labelledShare;
  const metrics = performance.metrics as unknown as Record<string, unknown>;
  const definition = findMetric(metric);
  for (const name of [metric, ...(definition?.aliases ?? [])]) {
    const value = metrics[name];
    if (typeof value === 'number') return value;
  }
  return null;
}

/**
 * What a monitor's metric is in a window result: one measurement for a model-level metric or a named
 * feature, one per compared feature for "*". Performance figures carry their label count.
 */
export function measure(
  result: WindowResult,
  monitor: Pick<MonitorSpec, 'metric' | 'feature'>,
): Measurement[] {
  const definition = findMetric(monitor.metric);
  if (definition === undefined) return [];
  const figure = COLUMN_FIGURES[definition.name];
  if (figure !== undefined) {
    const columns = [...result.drift.columns, ...(result.drift.predictionDrift ?? [])];
    const chosen =
      monitor.feature === EACH_FEATURE
        ? result.drift.columns
        : columns.filter((c) => c.column === monitor.feature);
    if (chosen.length === 0 && monitor.feature !== EACH_FEATURE) {
      return [{ feature: monitor.feature ?? null, value: null }];
    }
    return chosen.map((c) => ({ feature: c.column, value: figure(c) }));
  }
  const model = (value: number | null | undefined, labelled?: number): Measurement[] => [
    { feature: null, value: value ?? null, ...(labelled === undefined ? {} : { labelled }) },
  ];
  switch (definition.family) {
    case 'performance': {
      const labelled =
        result.performance === undefined
          ? 0
          : Math.round(result.performance.labelledShare * result.eventCount);
      return model(performanceValue(result, definition.name), labelled);
    }
    case 'estimated': {
      const key = ESTIMATED[definition.name as keyof typeof ESTIMATED];
      return model(result.estimated?.[key]);
    }
    case 'multivariate':
      return model(result.drift.multivariate?.value);
    case 'prediction_drift': {
      const columns = result.drift.predictionDrift;
      return model(
        columns === undefined || columns.length === 0 ? null : columns.some((c) => c.drifted) ? 1 : 0,
      );
    }
    default:
      break;
  }
  switch (definition.name) {
    case 'drift_share':
      return model(result.drift.driftShare);
    case 'dataset_drift':
      return model(result.drift.datasetDrift ? 1 : 0);
    case 'event_count':
      return model(result.eventCount);
    case 'late_events':
      return model(result.lateEvents);
    case 'duplicate_events':
      return model(result.duplicateEvents ?? 0);
    default:
      return model(null);
  }
}

/** The strongest drifted columns of a window, for an alert's evidence: tests by p-value, distances by statistic / threshold. */
export function topDriftedFeatures(result: WindowResult, limit = 5): ColumnDrift[] {
  const strength = (c: ColumnDrift) =>
    c.pValue !== null
      ? 1 - c.pValue
      : c.statistic !== null && c.threshold > 0
        ? c.statistic / c.threshold
        : 0;
  return result.drift.columns
    .filter((c) => c.drifted)
    .sort((a, b) => strength(b) - strength(a) || (a.column < b.column ? -1 : 1))
    .slice(0, limit);
}
