import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DRIFTLINE_CONFIG, type DriftlineConfig } from '@driftline/config';
import { LOGGER, METRICS, type Logger, type MetricsSnapshot, type ServiceMetrics } from '@driftline/common';
import { workerResourceLimits } from './worker.limits';
import { WorkerThread, type WorkerDeath } from './worker.thread';

/** A question a worker must answer within this, or it counts as not ready (its last series stand). */
export const ASK_TIMEOUT_MS = 2_000;
/** A graceful stop of the workers (open commit intervals committed) within Kubernetes' 30 s grace. */
export const STOP_TIMEOUT_MS = 20_000;

const ENTRY = join(__dirname, 'worker.main.js');

/**
 * The MONITOR_WORKERS worker threads of a monitor process (MONITOR_WORKERS >= 2), each a member of
 * the monitor's consumer group with its own partitions. Started at bootstrap, before the HTTP server
 * listens; asked on every scrape for their series and on every probe for their readiness; stopped
 * before shutdown, each committing its open intervals. A worker that ends on its own ends the
 * process (exit 1) after stopping the others: a process serving part of its partitions would look
 * alive, and the orchestrator's restart (with its backoff, visible to the operator) is the one place
 * restarts happen, as after any crash; the stored offsets make it safe.
 */
@Injectable()
export class WorkerPool implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly threads: WorkerThread[] = [];
  private readonly series = new Map<WorkerThread, MetricsSnapshot>();
  private lastProblems: string[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    @Inject(DRIFTLINE_CONFIG) private readonly config: DriftlineConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: ServiceMetrics,
  ) {
    metrics.addSource(() => this.metrics());
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: worker threads run the build`);
    const count = this.config.monitor.workers;
    const limits = workerResourceLimits();
    for (let id = 0; id < count; id++) {
      const data = { identity: { id, count }, config: this.config };
      this.threads.push(new WorkerThread(ENTRY, data, limits, (death) => void this.died(death)));
    }
    await Promise.all(this.threads.map((t) => t.started));
    this.logger.info({ workers: count, resourceLimits: limits ?? null }, 'monitor workers started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Ready when every worker's consumer is (in its group, no partition held back). */
  async isReady(): Promise<boolean> {
    const answers = await Promise.all(
      this.threads.map((t, id) =>
        t.ask('readiness', ASK_TIMEOUT_MS).catch((error: Error) => ({
          ready: false,
          problems: [`monitor worker ${id} does not answer: ${error.message}`],
        })),
      ),
    );
    this.lastProblems = answers.flatMap((a) => a.problems);
    return this.threads.length > 0 && answers.every((a) => a.ready);
  }

  /** What holds the workers back, as of the last isReady. */
  problems(): string[] {
    return this.lastProblems;
  }

  /** Every worker's series; a worker that does not answer in time contributes its last ones. */
  private async metrics(): Promise<MetricsSnapshot[]> {
    return Promise.all(
      this.threads.map(async (thread) => {
        try {
          const series = await thread.ask('metrics', ASK_TIMEOUT_MS);
          this.series.set(thread, series);
          return series;
        } catch {
          return this.series.get(thread) ?? [];
        }
      }),
    );
  }

  private stop(): Promise<void> {
    this.stopping ??= Promise.all(this.threads.map((t) => t.stop(STOP_TIMEOUT_MS))).then(() => undefined);
    return this.stopping;
  }

  private async died({ identity, exitCode, error }: WorkerDeath): Promise<void> {
    if (this.stopping !== undefined) return;
    this.logger.fatal(
      { worker: identity.id, exitCode, error },
      'a monitor worker died: the other workers stop and the process exits for its orchestrator to restart it',
    );
    await this.stop();
    process.exit(1);
  }
}
