import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type Provider,
} from '@nestjs/common';
import { DRIFTLINE_CONFIG, type DriftlineConfig } from '@driftline/config';
import type { Database } from '@driftline/db';
import {
  CLOCK,
  systemClock,
  type Clock,
  DATABASE,
  LOGGER,
  type Logger,
  PeriodicTask,
  METRICS,
  type ServiceMetrics,
} from '@driftline/common';
import { DeliverySender } from './delivery.sender';
import { TriggerIntakeService } from './trigger-intake.service';
import { fetchWebhookClient, WEBHOOK_CLIENT, type WebhookClient } from './webhook.client';

/** Sends due webhooks every DISPATCH_POLL_INTERVAL, and at once when the consumer recorded new ones. */
@Injectable()
export class DeliveryTask implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;
  private stopped = false;

  constructor(
    sender: DeliverySender,
    @Inject(DRIFTLINE_CONFIG) config: DriftlineConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.task = new PeriodicTask(
      'retrain webhooks',
      config.dispatcher.pollIntervalMs,
      async () => {
        await sender.sendDue();
      },
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.task.start(true);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.task.stop();
  }

  /** A batch that commits while the app shuts down must not start a run against a closing database. */
  wake(): void {
    if (!this.stopped) void this.task.runNow();
  }
}

/** The dispatcher's objects; plain classes, built here. */
export function dispatcherProviders(): Provider[] {
  return [
    { provide: CLOCK, useValue: systemClock },
    { provide: WEBHOOK_CLIENT, useValue: fetchWebhookClient },
    {
      provide: DeliverySender,
      inject: [DATABASE, WEBHOOK_CLIENT, CLOCK, DRIFTLINE_CONFIG, METRICS, LOGGER],
      useFactory: (
        database: Database,
        client: WebhookClient,
        clock: Clock,
        config: DriftlineConfig,
        metrics: ServiceMetrics,
        logger: Logger,
      ) =>
        new DeliverySender(
          database.retrainDeliveries,
          database.pipelines,
          client,
          clock,
          config.dispatcher,
          metrics,
          logger.child({ component: 'sender' }),
        ),
    },
    DeliveryTask,
    {
      provide: TriggerIntakeService,
      inject: [CLOCK, DRIFTLINE_CONFIG, METRICS, LOGGER, DeliveryTask],
      useFactory: (
        clock: Clock,
        config: DriftlineConfig,
        metrics: ServiceMetrics,
        logger: Logger,
        task: DeliveryTask,
      ) =>
        new TriggerIntakeService(clock, config.dispatcher.deliveryDeadlineMs, metrics, logger, () =>
          task.wake(),
        ),
    },
  ];
}
