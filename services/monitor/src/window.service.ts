import type { MetricPoint, StoredWindowSummary } from '@driftline/db';
import type { Logger } from '@driftline/kafka';
import type { ClosedWindow } from '@driftline/windowing';
import type { ModelPane } from './model.pane';
import type { ModelRuntime } from './model-runtime.registry';
import type { MonitorUnitOfWork } from './monitor.store';
import type { PerformanceService } from './performance.service';
import { evaluateWindow } from './window.evaluator';
import type { WindowResultRow } from './window.result';

type Tx = Pick<
  MonitorUnitOfWork,
  'windows' | 'metrics' | 'predictionLog' | 'performancePanes' | 'windowSummaries'
>;

/**
 * Evaluates closed windows and writes their window_results rows, metric_points and merged pane
 * summaries (window_summaries: what a later pin of the window as the reference reads). A window whose
 * evaluation throws is logged and skipped: rethrowing would make every later record of the
 * partition fail with it, and the consumer would dead-letter them all.
 */
export class WindowService {
  constructor(
    private readonly performance: PerformanceService,
    private readonly logger: Logger,
  ) {}

  async write(tx: Tx, runtime: ModelRuntime, closed: ClosedWindow<ModelPane>[]): Promise<WindowResultRow[]> {
    if (closed.length === 0) return [];
    const rows: WindowResultRow[] = [];
    const points: MetricPoint[] = [];
    const summaries: StoredWindowSummary[] = [];
    for (const window of closed) {
      const performance = await this.performance.windowPerformance(
        tx,
        runtime.model,
        window.start,
        window.end,
        window.eventCount,
      );
      try {
        const evaluated = evaluateWindow(runtime.model, window, performance);
        rows.push(evaluated.row);
        points.push(...evaluated.points);
        const { modelId, windowStart, windowEnd } = evaluated.row;
        summaries.push({ modelId, windowStart, windowEnd, summary: window.summary.toJSON() });
      } catch (error) {
        this.logger.error(
          { modelId: runtime.model.modelId, windowStart: window.start, error: (error as Error).message },
          'window evaluation failed: window skipped',
        );
      }
    }
    if (rows.length === 0) return [];
    await tx.windows.upsert(rows);
    await tx.metrics.upsert(points);
    await tx.windowSummaries.save(summaries);
    return rows;
  }
}
