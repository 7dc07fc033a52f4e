import type { Provider } from '@nestjs/common';
import { DRIFTLINE_CONFIG, type DriftlineConfig } from '@driftline/config';
import type { Database } from '@driftline/db';
import {
  CLOCK,
  systemClock,
  type Clock,
  DATABASE,
  LOGGER,
  type Logger,
  METRICS,
  type ServiceMetrics,
} from '@driftline/common';
import { AlertIntakeService } from './alert-intake.service';
import { CHANNEL_SENDERS, type ChannelSender } from './channels/channel.sender';
import { EmailSender } from './channels/email.sender';
import { SlackSender } from './channels/slack.sender';
import { WebhookSender } from './channels/webhook.sender';
import { DeliveryService } from './delivery.service';
import { GroupFlushService } from './group-flush.service';
import { NotifierTasks } from './notifier.tasks';

/** Groups flushed per run, and notifications claimed (sent in parallel) at a time. */
const MAX_GROUPS_PER_RUN = 200;
const DELIVERY_BATCH = 8;

/** The notifier's pipeline; plain classes, built here from the config. */
export function notifierProviders(): Provider[] {
  return [
    { provide: CLOCK, useValue: systemClock },
    {
      provide: AlertIntakeService,
      inject: [DRIFTLINE_CONFIG, CLOCK, LOGGER, METRICS],
      useFactory: (config: DriftlineConfig, clock: Clock, logger: Logger, metrics: ServiceMetrics) =>
        new AlertIntakeService(
          {
            defaults: {
              groupWaitMs: config.notifier.groupWaitMs,
              groupIntervalMs: config.notifier.groupIntervalMs,
              repeatIntervalMs: config.notifier.repeatIntervalMs,
            },
            defaultChannels: config.notifier.defaultChannels,
          },
          clock,
          logger.child({ component: 'intake' }),
          metrics,
        ),
    },
    {
      provide: GroupFlushService,
      inject: [DATABASE, DRIFTLINE_CONFIG, CLOCK, LOGGER, METRICS],
      useFactory: (
        database: Database,
        config: DriftlineConfig,
        clock: Clock,
        logger: Logger,
        metrics: ServiceMetrics,
      ) =>
        new GroupFlushService(
          database,
          {
            render: { publicUrl: config.publicUrl, mailFrom: config.notifier.email.from },
            deliveryDeadlineMs: config.notifier.deliveryDeadlineMs,
            maxGroupsPerRun: MAX_GROUPS_PER_RUN,
          },
          clock,
          logger.child({ component: 'flush' }),
          metrics,
        ),
    },
    {
      provide: CHANNEL_SENDERS,
      inject: [DRIFTLINE_CONFIG, CLOCK],
      useFactory: (config: DriftlineConfig, clock: Clock): Record<string, ChannelSender> => {
        const { slack, email, sendTimeoutMs } = config.notifier;
        return {
          slack: new SlackSender({
            apiUrl: slack.apiUrl,
            defaultToken: slack.token,
            timeoutMs: sendTimeoutMs,
          }),
          email: new EmailSender({ smtpUrl: email.smtpUrl, timeoutMs: sendTimeoutMs }),
          webhook: new WebhookSender(clock, sendTimeoutMs),
        };
      },
    },
    {
      provide: DeliveryService,
      inject: [DATABASE, CHANNEL_SENDERS, DRIFTLINE_CONFIG, CLOCK, LOGGER, METRICS],
      useFactory: (
        database: Database,
        senders: ConstructorParameters<typeof DeliveryService>[1],
        config: DriftlineConfig,
        clock: Clock,
        logger: Logger,
        metrics: ServiceMetrics,
      ) =>
        new DeliveryService(
          database,
          senders,
          {
            backoff: config.notifier.retryBackoff,
            // a send is cut off at the timeout; the lease outlives it so a live sender keeps its attempt
            leaseMs: 2 * config.notifier.sendTimeoutMs,
            batchSize: DELIVERY_BATCH,
          },
          clock,
          logger.child({ component: 'delivery' }),
          metrics,
        ),
    },
    {
      provide: NotifierTasks,
      inject: [GroupFlushService, DeliveryService, DATABASE, DRIFTLINE_CONFIG, CLOCK, LOGGER],
      useFactory: (
        flusher: GroupFlushService,
        delivery: DeliveryService,
        database: Database,
        config: DriftlineConfig,
        clock: Clock,
        logger: Logger,
      ) =>
        new NotifierTasks(
          flusher,
          delivery,
          database.alertGroups,
          config.notifier.pollIntervalMs,
          clock,
          logger,
        ),
    },
  ];
}
