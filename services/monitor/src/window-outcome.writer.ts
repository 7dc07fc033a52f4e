import type { MetricPoint } from '@driftline/db';
import type { MonitorUnitOfWork } from './monitor.store';
import type { WindowPerformance } from './performance.summary';
import type { RuleEvaluator, RuleTx } from './rules/rule.evaluator';
import { performancePoints, type WindowResultRow } from './window.result';

/** A closed window evaluated: its row and its metric points. */
export interface ClosedWindowOutcome {
  row: WindowResultRow;
  points: MetricPoint[];
}

/** A stored window whose performance late labels rewrote. */
export interface RelabelledWindowOutcome {
  row: WindowResultRow;
  performance: WindowPerformance;
}

type Tx = Pick<MonitorUnitOfWork, 'windows' | 'metrics'> & RuleTx;

/**
 * The one place where window results become final, whichever path got there (the evaluation loop
 * evaluating closed windows, a ground-truth batch rewriting their performance): the only writer of
 * window_results and of the window metric_points, and where monitors are evaluated, in the same
 * transaction, with the models' locks held.
 */
export class WindowOutcomeWriter {
  constructor(private readonly rules: RuleEvaluator) {}

  /** Closed windows of one model or several (an evaluation pass): one statement per table for all. */
  async closed(tx: Tx, windows: ClosedWindowOutcome[]): Promise<void> {
    if (windows.length === 0) return;
    await tx.windows.upsert(windows.map((w) => w.row));
    await tx.metrics.upsert(windows.flatMap((w) => w.points));
    await this.rules.evaluate(
      tx,
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
      windows.map(({ row, performance }) => ({
        kind: 'relabelled',
        row: { ...row, result: { ...row.result, performance } },
      })),
    );
  }
}
