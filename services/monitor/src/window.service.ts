import type { ClosedWindow } from '@driftline/windowing';
import type { ModelPane } from './model.pane';
import type { ModelRuntime } from './model-runtime.registry';
import type { MonitorUnitOfWork } from './monitor.store';

type Tx = Pick<MonitorUnitOfWork, 'windowSummaries' | 'pendingEvaluations'>;

/**
 * Closed windows, inside the batch transaction: each one's merged pane summary with its counts
 * (window_summaries: what its evaluation reads, and what a later pin of the window as the reference
 * reads) and an entry in the evaluation queue. The evaluation runs off the consumer's path
 * (WindowEvaluationLoop), so a batch that closes many windows costs the batch no evaluation; a
 * window that closes again before it was evaluated keeps one entry, evaluated from the newest summary.
 */
export class WindowService {
  write(tx: Tx, runtime: ModelRuntime, closed: ClosedWindow<ModelPane>[]): Promise<void> {
    return this.writeAll(tx, [{ runtime, closed }]);
  }

  /** write for several models, in one statement per table. */
  async writeAll(
    tx: Tx,
    models: readonly { runtime: ModelRuntime; closed: ClosedWindow<ModelPane>[] }[],
  ): Promise<void> {
    const windows = models.flatMap(({ runtime, closed }) =>
      closed.map((w) => ({
        key: { modelId: runtime.model.modelId, windowStart: new Date(w.start), windowEnd: new Date(w.end) },
        window: w,
        stateKey: runtime.model.stateKey,
      })),
    );
    if (windows.length === 0) return;
    await tx.windowSummaries.save(
      windows.map(({ key, window: w, stateKey }) => ({
        ...key,
        summary: w.summary.toJSON(),
        closed: {
          eventCount: w.eventCount,
          lateEvents: w.lateEvents,
          duplicateEvents: w.duplicateEvents,
          stateKey,
        },
      })),
    );
    await tx.pendingEvaluations.add(windows.map((w) => w.key));
  }
}
