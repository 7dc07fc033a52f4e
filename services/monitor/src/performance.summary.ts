import type { ModelTask } from '@driftline/contracts';
import type { BinaryMetrics, MulticlassMetrics, RegressionMetrics } from '@driftline/stats';
import type { MonitoredModel } from './monitored.model';
import {
  BinaryPerformanceSummary,
  MulticlassPerformanceSummary,
  RegressionPerformanceSummary,
  type BinaryPerformanceJSON,
  type MulticlassPerformanceJSON,
  type RegressionPerformanceJSON,
} from '@driftline/stats';

export type PerformanceSummary =
  BinaryPerformanceSummary | MulticlassPerformanceSummary | RegressionPerformanceSummary;

export type PerformanceSummaryJSON =
  BinaryPerformanceJSON | MulticlassPerformanceJSON | RegressionPerformanceJSON;

/** A prediction with its true label. */
export interface LabelledObservation {
  prediction: number | string;
  score: number | null;
  label: number | string;
}

/** The `performance` part of a window result (API shape). */
export type WindowPerformance = {
  /** Labelled predictions over predictions in the window. */
  labelledShare: number;
  metrics: BinaryMetrics | MulticlassMetrics | RegressionMetrics;
};

export function emptyPerformance(model: MonitoredModel): PerformanceSummary {
  return newSummary(model.spec.task as ModelTask, model.spec.positiveLabel);
}

function newSummary(task: ModelTask, positiveLabel: string): PerformanceSummary {
  switch (task) {
    case 'binary':
      return new BinaryPerformanceSummary({ positiveLabel });
    case 'multiclass':
      return new MulticlassPerformanceSummary();
    case 'regression':
      return new RegressionPerformanceSummary();
  }
}

export function performanceFromJSON(json: PerformanceSummaryJSON): PerformanceSummary {
  switch (json.kind) {
    case 'binary':
      return BinaryPerformanceSummary.fromJSON(json);
    case 'multiclass':
      return MulticlassPerformanceSummary.fromJSON(json);
    case 'regression':
      return RegressionPerformanceSummary.fromJSON(json);
  }
}

export function observe(summary: PerformanceSummary, observation: LabelledObservation): void {
  const { label, prediction, score } = observation;
  if (summary instanceof BinaryPerformanceSummary) summary.update({ target: label, prediction, score });
  else summary.update({ target: label, prediction });
}

/** Adds `other` into `into` (same task). */
export function mergePerformance(into: PerformanceSummary, other: PerformanceSummary): void {
  if (into instanceof BinaryPerformanceSummary && other instanceof BinaryPerformanceSummary)
    into.merge(other);
  else if (into instanceof MulticlassPerformanceSummary && other instanceof MulticlassPerformanceSummary)
    into.merge(other);
  else if (into instanceof RegressionPerformanceSummary && other instanceof RegressionPerformanceSummary)
    into.merge(other);
  else throw new Error('performance summaries of different tasks cannot be merged');
}

/** The window's performance, or null while none of its predictions is labelled. */
export function windowPerformance(
  summary: PerformanceSummary,
  labelled: number,
  eventCount: number,
): WindowPerformance | null {
  if (labelled === 0 || summary.count === 0) return null;
  return { labelledShare: eventCount > 0 ? labelled / eventCount : 0, metrics: summary.metrics() };
}
