import type { ServiceMetrics } from '@driftline/common';
import type { PendingEvaluation } from '@driftline/db';
import type { Logger } from '@driftline/kafka';
import type { JsonValue } from '@driftline/windowing';
import type { ModelCatalog } from '../model.catalog';
import { modelPaneFactory } from '../model.pane';
import type { MonitorUnitOfWork } from '../monitor.store';
import type { MonitoredModel } from '../monitored.model';
import type { PerformanceService } from '../performance.service';
import { evaluateWindowDrift, withPerformance, type DriftedWindow } from '../window.evaluator';
import type { ClosedWindowOutcome, WindowOutcomeWriter } from '../window-outcome.writer';
import type { WindowResultRow } from '../window.result';

/** Queued windows claimed per transaction: bounds how long one pass holds its models' locks. */
export const EVALUATION_BATCH = 32;

export type EvaluationTx = MonitorUnitOfWork;

/** What one pass did: `written` rows went to window_results, `failed` windows were dropped. */
export interface EvaluationPass {
  claimed: number;
  written: WindowResultRow[];
  failed: { entry: PendingEvaluation; error: string }[];
  /** Left queued for a later pass: re-closed meanwhile, or behind an older window of its model. */
  deferred: number;
  /** Each written row's window end and when its window was queued, for the latency metrics. */
  closes: { windowEnd: Date; closedAt: Date }[];
}

type Drift = { window: DriftedWindow; model: MonitoredModel } | { error: string };

/**
 * Evaluates queued closed windows in the caller's transaction: claims the oldest entries, evaluates
 * their drift from the stored summaries (the costly part, before any model lock, so batches of the
 * same models are not held up by it), then takes the models' locks and, model by model in the order
 * the windows closed, adds the performance of the labels joined so far, writes the pass's outcomes
 * (rows, points, monitors) through the outcome writer in one statement per table, and removes the
 * entries. Under the lock a ground-truth batch either committed before (its labels are in the
 * panes read here) or waits and then finds the row to rewrite: no label is missed. A window that
 * cannot be evaluated is dropped, then logged and counted (`report`), as a throwing evaluation
 * always was.
 */
export class PendingWindowEvaluator {
  constructor(
    private readonly catalog: ModelCatalog,
    private readonly performance: PerformanceService,
    private readonly outcomes: WindowOutcomeWriter,
    private readonly logger: Logger,
    private readonly metrics: Pick<
      ServiceMetrics,
      'windowsEvaluated' | 'windowEvaluationFailures' | 'windowCloseDelay' | 'windowEvaluationDelay'
    >,
    private readonly batchSize = EVALUATION_BATCH,
  ) {}

  async evaluate(tx: EvaluationTx): Promise<EvaluationPass> {
    const claimed = await tx.pendingEvaluations.claim(this.batchSize);
    const pass: EvaluationPass = {
      claimed: claimed.length,
      written: [],
      failed: [],
      deferred: 0,
      closes: [],
    };
    if (claimed.length === 0) return pass;
    const modelIds = [...new Set(claimed.map((c) => c.modelId))].sort();
    const models = await this.catalog.resolve(modelIds, tx.definitions);
    const drifts = new Map<string, Drift>();
    for (const entry of claimed) {
      drifts.set(entry.id, drift(models.get(entry.modelId) ?? null, entry));
      // while the consumer shares this thread, its batches wait one window's evaluation at most
      await yieldToEventLoop();
    }

    await tx.modelLocks.lock(modelIds);
    const due = await tx.pendingEvaluations.due(claimed);
    const done: string[] = [];
    const outcomes: ClosedWindowOutcome[] = [];
    for (const modelId of modelIds) {
      // claimed in id order, which is the order the model's windows closed in
      const entries = claimed.filter((c) => c.modelId === modelId);
      for (const [i, entry] of entries.entries()) {
        if (entry.stored !== null && !due.has(entry.id)) {
          pass.deferred += entries.length - i;
          break;
        }
        done.push(entry.id);
        const result = drifts.get(entry.id) as Drift;
        if ('error' in result) {
          pass.failed.push({ entry, error: result.error });
          continue;
        }
        const { window, model } = result;
        const performance = await this.performance.windowPerformance(
          tx,
          model,
          entry.windowStart.getTime(),
          entry.windowEnd.getTime(),
          window.row.eventCount,
        );
        outcomes.push(withPerformance(model, window, performance));
        pass.closes.push({ windowEnd: entry.windowEnd, closedAt: entry.closedAt });
      }
    }
    // the pass's windows in one statement per table (each model's in the order they closed)
    await this.outcomes.closed(tx, outcomes);
    pass.written.push(...outcomes.map((o) => o.row));
    await tx.pendingEvaluations.remove(done);
    return pass;
  }

  /**
   * Counts and logs a committed pass (a pass rolled back is tried again, and reported then), and
   * observes where each row's latency went: closing its window, then evaluating it until `now`.
   */
  report(pass: EvaluationPass, now: Date = new Date()): void {
    for (const row of pass.written) {
      this.metrics.windowsEvaluated.inc({ drifted: String(row.result.drift.datasetDrift) });
    }
    for (const { windowEnd, closedAt } of pass.closes) {
      // event time against the clocks of Postgres and this process: a skew below zero counts as 0
      this.metrics.windowCloseDelay.observe(Math.max(0, closedAt.getTime() - windowEnd.getTime()) / 1000);
      this.metrics.windowEvaluationDelay.observe(Math.max(0, now.getTime() - closedAt.getTime()) / 1000);
    }
    for (const { entry, error } of pass.failed) {
      this.metrics.windowEvaluationFailures.inc();
      this.logger.error(
        { modelId: entry.modelId, windowStart: entry.windowStart.toISOString(), error },
        'window evaluation failed: window skipped',
      );
    }
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The drift of a queued window, or why it cannot be evaluated. */
function drift(model: MonitoredModel | null, entry: PendingEvaluation): Drift {
  const { stored } = entry;
  if (stored === null) return { error: 'no stored summary' };
  if (stored.closed === null) return { error: 'the stored summary lacks the window counts' };
  if (model === null) return { error: 'the model is no longer monitored' };
  // the panes were built on the bins of the profile they closed with: another cannot read them
  if (model.stateKey !== stored.closed.stateKey)
    return { error: 'the model changed reference or window since the window closed' };
  try {
    const { eventCount, lateEvents, duplicateEvents } = stored.closed;
    const window = evaluateWindowDrift(model, {
      start: entry.windowStart.getTime(),
      end: entry.windowEnd.getTime(),
      eventCount,
      lateEvents,
      duplicateEvents,
      summary: modelPaneFactory(model).fromJSON(stored.summary as JsonValue),
    });
    return { window, model };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
