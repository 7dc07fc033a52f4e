import type { MetricPoint, StoredWindowSummary } from '@driftline/db';
import type { MonitorUnitOfWork } from './monitor.store';
import type { WindowPerformance } from './performance.summary';
import type { RuleEvaluator, RuleTx } from './rules/rule.evaluator';
import { performancePoints, type WindowResultRow } from './window.result';

/** A window evaluated as it closed: its row, its metric points and its merged pane summary. */
export interface ClosedWindowOutcome {
  row: WindowResultRow;
  points: MetricPoint[];
  summary: StoredWindowSummary;
}

/** A stored window whose performance late labels rewrote. */
export interface RelabelledWindowOutcome {
  row: WindowResultRow;
  performance: WindowPerformance;
}

type Tx = Pick<MonitorUnitOfWork, 'windows' | 'metrics' | 'windowSummaries'> & RuleTx;

/**
 * The one place where window results become final, whichever path got there (a prediction batch
 * closing windows, a ground-truth batch rewriting their performance, an idle tick): the only writer
 * of window_results and of the window metric_points, and where monitors are evaluated, in the same
 * transaction.
 */
export class WindowOutcomeWriter {
  constructor(private readonly rules: RuleEvaluator) {}

  async closed(tx: Tx, modelId: string, windows: ClosedWindowOutcome[]): Promise<void> {
    if (windows.length === 0) return;
    await tx.windows.upsert(windows.map((w) => w.row));
    await tx.metrics.upsert(windows.flatMap((w) => w.points));
    await tx.windowSummaries.save(windows.map((w) => w.summary));
    await this.rules.evaluate(
      tx,
      modelId,
      windows.map((w) => ({ kind: 'closed', row: w.row })),
    );
  }

  async relabelled(tx: Tx, modelId: string, windows: RelabelledWindowOutcome[]): Promise<void> {
    if (windows.length === 0) return;
    for (const { row, performance } of windows) {
      const { windowStart, windowEnd } = row;
      await tx.windows.patchPerformance(modelId, windowStart, windowEnd, performance);
      await tx.metrics.upsert(performancePoints({ modelId, windowStart, windowEnd }, performance));
    }
    await this.rules.evaluate(
      tx,
      modelId,
      windows.map(({ row, performance }) => ({
        kind: 'relabelled',
        row: { ...row, result: { ...row.result, performance } },
      })),
    );
  }
}
