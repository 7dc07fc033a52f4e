import type { ServiceMetrics } from '@driftline/common';
import type { Logger } from '@driftline/kafka';
import type { ClosedWindow } from '@driftline/windowing';
import type { ModelPane } from './model.pane';
import type { ModelRuntime } from './model-runtime.registry';
import type { MonitorUnitOfWork } from './monitor.store';
import type { PerformanceService } from './performance.service';
import type { RuleTx } from './rules/rule.evaluator';
import { evaluateWindow } from './window.evaluator';
import type { ClosedWindowOutcome, WindowOutcomeWriter } from './window-outcome.writer';
import type { WindowResultRow } from './window.result';

type Tx = Pick<
  MonitorUnitOfWork,
  'windows' | 'metrics' | 'predictionLog' | 'performancePanes' | 'windowSummaries'
> &
  RuleTx;

/**
 * Evaluates closed windows and hands their window_results rows, metric_points and merged pane
 * summaries (window_summaries: what a later pin of the window as the reference reads) to the
 * outcome writer. A window whose
 * evaluation throws is logged and skipped: rethrowing would make every later record of the
 * partition fail with it, and the consumer would dead-letter them all.
 */
export class WindowService {
  constructor(
    private readonly performance: PerformanceService,
    private readonly outcomes: WindowOutcomeWriter,
    private readonly logger: Logger,
    private readonly metrics: Pick<ServiceMetrics, 'windowsEvaluated'>,
  ) {}

  async write(tx: Tx, runtime: ModelRuntime, closed: ClosedWindow<ModelPane>[]): Promise<WindowResultRow[]> {
    if (closed.length === 0) return [];
    const evaluated: ClosedWindowOutcome[] = [];
    for (const window of closed) {
      const performance = await this.performance.windowPerformance(
        tx,
        runtime.model,
        window.start,
        window.end,
        window.eventCount,
      );
      try {
        const { row, points } = evaluateWindow(runtime.model, window, performance);
        const { modelId, windowStart, windowEnd } = row;
        evaluated.push({
          row,
          points,
          summary: { modelId, windowStart, windowEnd, summary: window.summary.toJSON() },
        });
      } catch (error) {
        this.logger.error(
          { modelId: runtime.model.modelId, windowStart: window.start, error: (error as Error).message },
          'window evaluation failed: window skipped',
        );
      }
    }
    await this.outcomes.closed(tx, runtime.model.modelId, evaluated);
    for (const { row } of evaluated) {
      this.metrics.windowsEvaluated.inc({ drifted: String(row.result.drift.datasetDrift) });
    }
    return evaluated.map((w) => w.row);
  }
}
