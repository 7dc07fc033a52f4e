import { PeriodicTask } from '@driftline/common';
import { WINDOWS_CLOSED_CHANNEL, type ChannelListener } from '@driftline/db';
import type { Logger } from '@driftline/kafka';
import type { EvaluationPass, EvaluationTx, PendingWindowEvaluator } from './pending-window.evaluator';

/** How often the queue is looked at without a notification (one missed, or left by a crash). */
export const EVALUATION_POLL_MS = 500;

/** The database as the loop sees it. */
export interface EvaluationStore {
  transaction<T>(work: (tx: EvaluationTx) => Promise<T>): Promise<T>;
  listen(channel: string, onNotify: () => void): ChannelListener;
}

/**
 * Evaluates the closed windows the batches queue, once per process and off the consumer's path:
 * woken when a transaction that queued windows commits (Postgres NOTIFY, heard from any thread or
 * instance) and every EVALUATION_POLL_MS besides, it drains the queue pass by pass, each pass one
 * transaction, `passes` passes at a time (each claims its own windows: SKIP LOCKED, as several
 * instances' loops share the queue), so that one pass's drift runs while another waits on Postgres.
 */
export class WindowEvaluationLoop {
  private readonly task: PeriodicTask;
  private listener: ChannelListener | undefined;

  constructor(
    private readonly store: EvaluationStore,
    private readonly evaluator: Pick<PendingWindowEvaluator, 'evaluate' | 'report'>,
    logger: Logger,
    pollMs = EVALUATION_POLL_MS,
    private readonly passes = 1,
  ) {
    this.task = new PeriodicTask('window evaluation', pollMs, async () => void (await this.drain()), logger);
  }

  start(): void {
    this.listener = this.store.listen(WINDOWS_CLOSED_CHANNEL, () => void this.task.runNow());
    this.task.start(true);
  }

  async stop(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    await listener?.close();
    await this.task.stop();
  }

  /**
   * Stops the loop, then evaluates what is queued (passes until one makes no progress or `withinMs`
   * has passed); returns the rows written. For a graceful stop, after the consumers stopped.
   */
  async finish(withinMs: number, now: () => number = Date.now): Promise<number> {
    await this.stop();
    return this.drain(now() + withinMs, now);
  }

  /**
   * `passes` lanes of passes, each until one of its passes makes no progress (or the deadline
   * passed); returns the rows written.
   */
  async drain(deadline = Infinity, now: () => number = Date.now): Promise<number> {
    const lanes = Array.from({ length: this.passes }, () => this.lane(deadline, now));
    return (await Promise.all(lanes)).reduce((sum, written) => sum + written, 0);
  }

  private async lane(deadline: number, now: () => number): Promise<number> {
    let written = 0;
    while (now() < deadline) {
      const pass: EvaluationPass = await this.store.transaction((tx) => this.evaluator.evaluate(tx));
      this.evaluator.report(pass);
      written += pass.written.length;
      // a pass that only deferred waits for the next wake: the windows ahead belong to another loop
      if (pass.written.length + pass.failed.length === 0) return written;
    }
    return written;
  }
}
