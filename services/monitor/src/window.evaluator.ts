import type { MetricPoint } from '@driftline/db';
import { datasetDrift, StatsInputError, type ColumnDrift } from '@driftline/stats';
import type { ClosedWindow } from '@driftline/windowing';
import type { ModelPane } from './model.pane';
import type { MonitoredModel } from './monitored.model';
import type { WindowPerformance } from './performance.summary';
import { evaluateDrift, type StreamedDriftOptions, type WindowSummary } from '@driftline/stats';
import {
  PREDICTION_FEATURE,
  SCORE_FEATURE,
  windowPoints,
  type WindowResult,
  type WindowResultRow,
} from './window.result';

const key = ({ modelId, windowStart, windowEnd }: WindowResultRow) => ({ modelId, windowStart, windowEnd });

export interface EvaluatedWindow {
  row: WindowResultRow;
  points: MetricPoint[];
}

type Skipped = { column: string; reason: string };

function driftOptions(model: MonitoredModel): StreamedDriftOptions {
  const { methods, thresholds } = model.spec;
  const { '*': threshold, ...perColumn } = thresholds ?? {};
  return { methods, thresholds: perColumn, threshold };
}

/** Drift of each column against the reference; a column that cannot be compared is reported as skipped. */
function compareColumns(
  model: MonitoredModel,
  summaries: Record<string, WindowSummary>,
  names: { column: string; as: string }[],
  skipped: Skipped[],
): ColumnDrift[] {
  const options = driftOptions(model);
  return names.flatMap(({ column, as }) => {
    const summary = summaries[column];
    if (summary.count === 0) {
      skipped.push({ column: as, reason: 'no value in the window' });
      return [];
    }
    try {
      const [drift] = evaluateDrift(model.profile, { [column]: summary }, options);
      return [{ ...drift, column: as }];
    } catch (error) {
      if (!(error instanceof StatsInputError)) throw error;
      skipped.push({ column: as, reason: error.message });
      return [];
    }
  });
}

/** What the evaluation reads of a closed window. */
export type WindowToEvaluate = Pick<
  ClosedWindow<ModelPane>,
  'start' | 'end' | 'eventCount' | 'lateEvents' | 'duplicateEvents' | 'summary'
>;

/** A window evaluated but for its performance, which depends on the labels joined so far. */
export interface DriftedWindow {
  row: WindowResultRow;
  missingShares: Record<string, number>;
}

/**
 * Evaluates a closed window against the model's reference: feature drift (with the model's
 * methods, thresholds, drift share and multiple-testing correction), prediction and score drift,
 * PCA reconstruction error against its band, and the CBPE estimate. The costly part of an
 * evaluation; `withPerformance` completes it.
 */
export function evaluateWindowDrift(model: MonitoredModel, window: WindowToEvaluate): DriftedWindow {
  const { columns } = window.summary;
  const skipped: Skipped[] = [];
  const features = compareColumns(
    model,
    columns,
    model.features.map((f) => ({ column: f, as: f })),
    skipped,
  );
  const dataset = datasetDrift(features, {
    driftShare: model.spec.driftShare,
    correction: model.spec.correction,
  });
  const predictionColumns = [
    ...(model.predictionColumn === null ? [] : [{ column: model.predictionColumn, as: PREDICTION_FEATURE }]),
    ...(model.scoreColumn === null ? [] : [{ column: model.scoreColumn, as: SCORE_FEATURE }]),
  ];
  const predictionDrift = compareColumns(model, columns, predictionColumns, skipped);

  const result: WindowResult = {
    windowStart: new Date(window.start).toISOString(),
    windowEnd: new Date(window.end).toISOString(),
    eventCount: window.eventCount,
    lateEvents: window.lateEvents,
    duplicateEvents: window.duplicateEvents,
    drift: {
      columns: dataset.columns,
      driftShare: dataset.driftShare,
      datasetDrift: dataset.datasetDrift,
      ...(predictionColumns.length > 0 ? { predictionDrift } : {}),
      ...(model.pca !== null && window.summary.pca !== null
        ? { multivariate: model.pca.evaluate(window.summary.pca) }
        : {}),
      ...(skipped.length > 0 ? { skipped } : {}),
    },
    ...(window.summary.cbpe !== null && window.summary.cbpe.n > 0
      ? { estimated: window.summary.cbpe.value() }
      : {}),
  };
  const row: WindowResultRow = {
    modelId: model.modelId,
    windowStart: new Date(window.start),
    windowEnd: new Date(window.end),
    eventCount: window.eventCount,
    result,
  };
  const missingShares: Record<string, number> = {};
  for (const f of model.features) {
    const summary = columns[f];
    missingShares[f] = summary.total > 0 ? summary.missing / summary.total : 0;
  }
  return { row, missingShares };
}

/** The window's row and metric points with the performance known so far (null: nothing labelled). */
export function withPerformance(
  model: MonitoredModel,
  { row: drifted, missingShares }: DriftedWindow,
  performance: WindowPerformance | null,
): EvaluatedWindow {
  const { estimated, ...figures } = drifted.result;
  const result: WindowResult = {
    ...figures,
    ...(performance !== null ? { performance } : {}),
    ...(estimated !== undefined ? { estimated } : {}),
  };
  const row: WindowResultRow = { ...drifted, result };
  const points = windowPoints(row, missingShares);
  if (model.spec.task !== undefined && performance === null) {
    points.push({ ...key(row), feature: '', metric: 'labelled_share', value: 0 });
  }
  return { row, points };
}

/** The whole evaluation of a closed window: drift, estimates, and the performance known so far. */
export function evaluateWindow(
  model: MonitoredModel,
  window: WindowToEvaluate,
  performance: WindowPerformance | null,
): EvaluatedWindow {
  return withPerformance(model, evaluateWindowDrift(model, window), performance);
}
