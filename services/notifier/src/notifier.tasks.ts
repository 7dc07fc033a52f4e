import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { type Clock, type Logger, PeriodicTask } from '@driftline/common';
import type { DeliveryService } from './delivery.service';
import type { GroupFlushService } from './group-flush.service';

export interface AlertRetention {
  forgetResolved(before: Date, limit: number): Promise<number>;
}

/** How long a resolved alert is remembered, so a late redelivery of its events changes nothing. */
export const RESOLVED_ALERT_RETENTION_MS = 7 * 86_400_000;
const RETENTION_EVERY_MS = 3_600_000;

/**
 * The notifier's timers: flush due groups, then send due notifications, every NOTIFY_POLL_INTERVAL
 * (and at once after each consumed batch); forget long-resolved alerts hourly.
 */
export class NotifierTasks implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly flush: PeriodicTask;
  private readonly delivery: PeriodicTask;
  private readonly retention: PeriodicTask;
  private stopped = false;

  constructor(
    flusher: GroupFlushService,
    sender: DeliveryService,
    alerts: AlertRetention,
    pollIntervalMs: number,
    clock: Clock,
    logger: Logger,
  ) {
    this.delivery = new PeriodicTask(
      'delivery',
      pollIntervalMs,
      () => sender.deliverDue().then(() => undefined),
      logger,
    );
    this.flush = new PeriodicTask(
      'group flush',
      pollIntervalMs,
      async () => {
        if ((await flusher.flushDue()) > 0) void this.delivery.runNow();
      },
      logger,
    );
    this.retention = new PeriodicTask(
      'alert retention',
      RETENTION_EVERY_MS,
      async () => {
        const forgotten = await alerts.forgetResolved(
          new Date(clock.now() - RESOLVED_ALERT_RETENTION_MS),
          10_000,
        );
        if (forgotten > 0) logger.info({ forgotten }, 'forgot long-resolved alerts');
      },
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.flush.start(true);
    this.delivery.start(true);
    this.retention.start();
  }

  /** A batch just committed: groups it opened with no wait, or resolutions, may be due now. */
  wake(): void {
    if (!this.stopped) void this.flush.runNow();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all([this.flush.stop(), this.delivery.stop(), this.retention.stop()]);
  }
}
