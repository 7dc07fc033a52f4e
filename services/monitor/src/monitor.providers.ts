import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { DRIFTLINE_CONFIG, type DriftlineConfig } from '@driftline/config';
import type { Database } from '@driftline/db';
import type { EventPublisher, Logger } from '@driftline/kafka';
import {
  ConsumerInfrastructure,
  DATABASE,
  KAFKA_PUBLISHER,
  LOGGER,
  PeriodicTask,
  METRICS,
  type ServiceMetrics,
} from '@driftline/common';
import { EventCountService } from './event-count.service';
import { EventDedupService } from './event-dedup.service';
import { GroundTruthPipeline } from './ground-truth.pipeline';
import { CLOCK, type Clock } from './monitor.clock';
import { ModelCatalog } from './model.catalog';
import { ModelRuntimes } from './model-runtime.registry';
import { MonitorService } from './monitor.service';
import { monitorUnitOfWork } from './monitor.unit-of-work';
import { PerformanceService } from './performance.service';
import { PredictionPipeline } from './prediction.pipeline';
import { RetentionService } from './retention.service';
import { SerialQueue } from './serial.queue';
import { WindowService } from './window.service';
import { WindowTicker } from './window.ticker';
import { RuleEvaluator } from './rules/rule.evaluator';
import { WindowOutcomeWriter } from './window-outcome.writer';
import { FiringAlertsGauge } from './firing-alerts.gauge';
import { OutboxRelay } from './outbox.relay';
import { MonitorConsumer } from './monitor.consumer';
import { discoversIdleModels, WORKER, type WorkerIdentity } from './workers/worker.identity';
import { windowEvaluationProviders } from './evaluation/window-evaluation.providers';

/** How often idle models are checked for windows their idleTimeout closes. */
export const IDLE_TICK_MS = 1_000;
/** How often stored models missing from memory are looked for (first at start). */
export const DISCOVER_EVERY_TICKS = 60;

@Injectable()
class IdleTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private ticks = 0;

  private readonly discovers: boolean;

  constructor(
    private readonly ticker: WindowTicker,
    @Inject(WORKER) worker: WorkerIdentity,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.discovers = discoversIdleModels(worker);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), IDLE_TICK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      if (this.ticks++ % DISCOVER_EVERY_TICKS === 0 && this.discovers) await this.ticker.discover();
      await this.ticker.tick();
    } catch (error) {
      this.logger.error({ error: (error as Error).message }, 'idle tick failed');
    } finally {
      this.running = false;
    }
  }
}

/** How often the prediction log, held labels and performance panes are trimmed. */
export const RETENTION_EVERY_MS = 3_600_000;

/** A run deleting a large backlog of seen_events may outlast the period: PeriodicTask never overlaps runs. */
@Injectable()
class RetentionTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(retention: RetentionService, @Inject(LOGGER) logger: Logger) {
    this.task = new PeriodicTask(
      'retention',
      RETENTION_EVERY_MS,
      async () => void (await retention.run()),
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): void {
    // not awaited: a run working through a large backlog must not hold up the shutdown
    void this.task.stop();
  }
}

@Injectable()
class OutboxRelayTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    @Inject(DATABASE) database: Database,
    @Inject(KAFKA_PUBLISHER) publisher: EventPublisher,
    @Inject(DRIFTLINE_CONFIG) config: DriftlineConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    const relay = new OutboxRelay(database, publisher, logger);
    this.task = new PeriodicTask(
      'outbox relay',
      config.outbox.relayIntervalMs,
      async () => void (await relay.drain()),
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.task.start(true);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}

/**
 * What turns a closed window into its outcome (rows, points, monitors' judgments), needed both where
 * batches run (late labels re-judge) and where the evaluation loop runs (the main thread).
 */
export function outcomeProviders(): Provider[] {
  return [
    {
      provide: RuleEvaluator,
      inject: [DRIFTLINE_CONFIG, CLOCK, LOGGER],
      useFactory: (config: DriftlineConfig, clock: Clock, logger: Logger) =>
        new RuleEvaluator(config.kafka.topics, config.publicUrl, clock, logger),
    },
    {
      provide: WindowOutcomeWriter,
      inject: [RuleEvaluator],
      useFactory: (rules: RuleEvaluator) => new WindowOutcomeWriter(rules),
    },
    {
      provide: PerformanceService,
      inject: [WindowOutcomeWriter],
      useFactory: (outcomes: WindowOutcomeWriter) => new PerformanceService(outcomes),
    },
    {
      provide: ModelCatalog,
      inject: [CLOCK, LOGGER],
      useFactory: (clock: Clock, logger: Logger) => new ModelCatalog(clock, logger),
    },
  ];
}

/** The monitor pipeline's objects; they are plain classes, built here (the root module provides CLOCK). */
export function monitorProviders(): Provider[] {
  return [
    { provide: SerialQueue, useFactory: () => new SerialQueue() },
    { provide: ModelRuntimes, useFactory: () => new ModelRuntimes() },
    ...outcomeProviders(),
    { provide: WindowService, useFactory: () => new WindowService() },
    {
      provide: PredictionPipeline,
      inject: [ModelCatalog, ModelRuntimes, WindowService, PerformanceService, DATABASE, CLOCK, METRICS],
      useFactory: (
        catalog: ModelCatalog,
        runtimes: ModelRuntimes,
        windows: WindowService,
        performance: PerformanceService,
        database: Database,
        clock: Clock,
        metrics: ServiceMetrics,
      ) =>
        new PredictionPipeline(
          catalog,
          runtimes,
          windows,
          performance,
          database.predictionLog,
          clock,
          metrics,
        ),
    },
    {
      provide: GroundTruthPipeline,
      inject: [ModelCatalog, PerformanceService, CLOCK, LOGGER],
      useFactory: (catalog: ModelCatalog, performance: PerformanceService, clock: Clock, logger: Logger) =>
        new GroundTruthPipeline(catalog, performance, clock, logger),
    },
    {
      provide: EventDedupService,
      inject: [DRIFTLINE_CONFIG, METRICS, LOGGER],
      useFactory: (config: DriftlineConfig, metrics: ServiceMetrics, logger: Logger) =>
        new EventDedupService(config.dedup.horizonMs, metrics, logger),
    },
    {
      provide: MonitorService,
      inject: [EventDedupService, EventCountService, PredictionPipeline, GroundTruthPipeline, SerialQueue],
      useFactory: (
        dedup: EventDedupService,
        counts: EventCountService,
        predictions: PredictionPipeline,
        groundTruth: GroundTruthPipeline,
        queue: SerialQueue,
      ) => new MonitorService(dedup, counts, predictions, groundTruth, queue),
    },
    {
      provide: WindowTicker,
      inject: [ModelCatalog, ModelRuntimes, WindowService, DATABASE, SerialQueue, CLOCK, LOGGER],
      useFactory: (
        catalog: ModelCatalog,
        runtimes: ModelRuntimes,
        windows: WindowService,
        database: Database,
        queue: SerialQueue,
        clock: Clock,
        logger: Logger,
      ) =>
        new WindowTicker(
          catalog,
          runtimes,
          windows,
          { transaction: (work) => database.transaction((tx) => work(monitorUnitOfWork(tx))) },
          queue,
          clock,
          logger,
        ),
    },
    IdleTimer,
  ];
}

/**
 * What consumes predictions and ground truth, in each worker thread (or in the main thread with
 * MONITOR_WORKERS=1): the pipeline, its consumer of `worker`'s partitions, and the idle timer of the
 * models it holds.
 */
export function consumerProviders(worker: WorkerIdentity): Provider[] {
  return [
    { provide: WORKER, useValue: worker },
    EventCountService,
    ...monitorProviders(),
    ConsumerInfrastructure,
    MonitorConsumer,
  ];
}

/**
 * What runs once per monitor process, on its main thread whatever MONITOR_WORKERS: retention, the
 * outbox relay, the firing-alerts gauge and the window evaluation loop.
 */
export function processProviders(): Provider[] {
  return [
    {
      provide: RetentionService,
      inject: [DATABASE, CLOCK, LOGGER, DRIFTLINE_CONFIG],
      useFactory: (database: Database, clock: Clock, logger: Logger, config: DriftlineConfig) =>
        new RetentionService(database, clock, logger, config.dedup.horizonMs),
    },
    RetentionTimer,
    OutboxRelayTimer,
    FiringAlertsGauge,
    ...windowEvaluationProviders(),
  ];
}
