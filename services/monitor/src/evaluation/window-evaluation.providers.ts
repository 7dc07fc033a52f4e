import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { BeforeDatabaseClose, DATABASE, LOGGER, METRICS, type ServiceMetrics } from '@driftline/common';
import { DRIFTLINE_CONFIG, type DriftlineConfig } from '@driftline/config';
import type { Database } from '@driftline/db';
import type { Logger } from '@driftline/kafka';
import { preloadDistributions } from '@driftline/stats';
import { ModelCatalog } from '../model.catalog';
import { monitorUnitOfWork } from '../monitor.unit-of-work';
import { PerformanceService } from '../performance.service';
import { WindowOutcomeWriter } from '../window-outcome.writer';
import { PendingWindowEvaluator } from './pending-window.evaluator';
import { EVALUATION_POLL_MS, WindowEvaluationLoop } from './window-evaluation.loop';

/** How long a stopping process goes on evaluating queued windows; what is left waits for the next loop. */
export const FINAL_DRAIN_MS = 10_000;

/**
 * The process's evaluation loop: started at bootstrap; at shutdown, once the consumers stopped, it
 * evaluates the windows still queued (up to FINAL_DRAIN_MS), then the database closes.
 */
@Injectable()
export class WindowEvaluationRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly loop: WindowEvaluationLoop;

  constructor(
    @Inject(DATABASE) database: Database,
    catalog: ModelCatalog,
    performance: PerformanceService,
    outcomes: WindowOutcomeWriter,
    @Inject(METRICS) metrics: ServiceMetrics,
    @Inject(LOGGER) logger: Logger,
    beforeClose: BeforeDatabaseClose,
    @Inject(DRIFTLINE_CONFIG) config: DriftlineConfig,
  ) {
    const evaluator = new PendingWindowEvaluator(catalog, performance, outcomes, logger, metrics);
    this.loop = new WindowEvaluationLoop(
      {
        transaction: (work) => database.transaction((tx) => work(monitorUnitOfWork(tx))),
        listen: (channel, onNotify) => database.listen(channel, onNotify),
      },
      evaluator,
      logger,
      EVALUATION_POLL_MS,
      config.monitor.evaluationPasses,
    );
    metrics.countPendingEvaluations(() => database.pendingEvaluations.count());
    // the consumers have stopped by then: what their last commits queued is evaluated before the close
    beforeClose.add('final window evaluation', () => this.loop.finish(FINAL_DRAIN_MS));
  }

  onApplicationBootstrap(): void {
    // the p-value cdfs load on first use: at boot, not in the first window evaluation's latency
    preloadDistributions();
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}

/** List once in the module that owns the loop (it needs ModelCatalog, PerformanceService, WindowOutcomeWriter). */
export function windowEvaluationProviders(): Provider[] {
  return [WindowEvaluationRunner];
}
