import type { LabelledPrediction, PerformancePane, PredictionLabel } from '@driftline/db';
import { paneStart } from '@driftline/windowing';
import type { MonitoredModel } from './monitored.model';
import type { MonitorUnitOfWork } from './monitor.store';
import {
  emptyPerformance,
  mergePerformance,
  observe,
  performanceFromJSON,
  windowPerformance,
  type PerformanceSummary,
  type PerformanceSummaryJSON,
  type WindowPerformance,
} from './performance.summary';
import type { RuleTx } from './rules/rule.evaluator';
import type { RelabelledWindowOutcome, WindowOutcomeWriter } from './window-outcome.writer';

type Tx = Pick<
  MonitorUnitOfWork,
  'predictionLog' | 'performancePanes' | 'windows' | 'metrics' | 'windowSummaries'
> &
  RuleTx;

interface LoadedPane {
  start: number;
  labelled: number;
  summary: PerformanceSummary;
}

/**
 * Performance with delayed ground truth. Labels are joined to the prediction log; each label adds
 * to the performance summary of the pane of its prediction's event time (performance_panes), and
 * every stored window holding that pane gets its performance rewritten with the new labelled share.
 * Runs in the batch transaction with the model's lock held.
 */
export class PerformanceService {
  constructor(private readonly outcomes: WindowOutcomeWriter) {}

  /** Applies the labels; returns those whose prediction is not in the log. */
  async applyLabels(tx: Tx, model: MonitoredModel, labels: PredictionLabel[]): Promise<PredictionLabel[]> {
    if (labels.length === 0) return [];
    const outcome = await tx.predictionLog.label(labels);
    const { unmatched } = outcome;
    if (outcome.labelled.length === 0) return unmatched;
    // In arrival order, so that floating-point sums do not depend on how batches were cut.
    const arrival = new Map(labels.map((l, i) => [l.predictionId, i]));
    const labelled = [...outcome.labelled].sort(
      (a, b) => (arrival.get(a.predictionId) ?? 0) - (arrival.get(b.predictionId) ?? 0),
    );
    const { step } = model.window;
    const starts = labelled.map((p) => paneStart(p.eventTime.getTime(), step));
    const first = Math.min(...starts);
    const last = Math.max(...starts) + step;
    const windows = await tx.windows.overlapping(
      model.modelId,
      new Date(first),
      new Date(last),
      model.window.size,
    );
    const from = Math.min(first, ...windows.map((w) => w.windowStart.getTime()));
    const to = Math.max(last, ...windows.map((w) => w.windowEnd.getTime()));
    const panes = await this.load(tx, model, from, to);

    const changed = new Set<number>();
    for (const prediction of labelled) {
      const start = paneStart(prediction.eventTime.getTime(), step);
      let pane = panes.get(start);
      if (pane === undefined) {
        pane = { start, labelled: 0, summary: emptyPerformance(model) };
        panes.set(start, pane);
      }
      observe(pane.summary, observation(prediction));
      pane.labelled += 1;
      changed.add(start);
    }
    await tx.performancePanes.save(
      [...changed]
        .sort((a, b) => a - b)
        .map((start) => {
          const pane = panes.get(start) as LoadedPane;
          return {
            modelId: model.modelId,
            paneStart: new Date(start),
            labelled: pane.labelled,
            summary: pane.summary.toJSON(),
          };
        }),
    );
    const relabelled: RelabelledWindowOutcome[] = [];
    for (const window of windows) {
      const performance = this.merge(
        model,
        panes,
        window.windowStart.getTime(),
        window.windowEnd.getTime(),
        window.eventCount,
      );
      if (performance !== null) relabelled.push({ row: window, performance });
    }
    await this.outcomes.relabelled(tx, model.modelId, relabelled);
    return unmatched;
  }

  /** The performance of the window [start, end) from the stored panes, null while nothing is labelled. */
  async windowPerformance(
    tx: Tx,
    model: MonitoredModel,
    start: number,
    end: number,
    eventCount: number,
  ): Promise<WindowPerformance | null> {
    if (model.spec.task === undefined) return null;
    const panes = await this.load(tx, model, start, end);
    return this.merge(model, panes, start, end, eventCount);
  }

  private async load(
    tx: Tx,
    model: MonitoredModel,
    from: number,
    to: number,
  ): Promise<Map<number, LoadedPane>> {
    const stored: PerformancePane[] = await tx.performancePanes.range(
      model.modelId,
      new Date(from),
      new Date(to),
    );
    return new Map(
      stored.map((p) => [
        p.paneStart.getTime(),
        {
          start: p.paneStart.getTime(),
          labelled: p.labelled,
          summary: performanceFromJSON(p.summary as PerformanceSummaryJSON),
        },
      ]),
    );
  }

  private merge(
    model: MonitoredModel,
    panes: Map<number, LoadedPane>,
    start: number,
    end: number,
    eventCount: number,
  ): WindowPerformance | null {
    const summary = emptyPerformance(model);
    let labelled = 0;
    for (const pane of [...panes.values()].sort((a, b) => a.start - b.start)) {
      if (pane.start < start || pane.start >= end) continue;
      mergePerformance(summary, pane.summary);
      labelled += pane.labelled;
    }
    return windowPerformance(summary, labelled, eventCount);
  }
}

function observation(prediction: LabelledPrediction) {
  return { prediction: prediction.prediction, score: prediction.score, label: prediction.label };
}
