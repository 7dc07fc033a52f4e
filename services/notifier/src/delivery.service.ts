import type { ChannelType } from '@driftline/contracts';
import type {
  ClaimedNotification,
  NotificationChannelRepository,
  NotificationRepository,
} from '@driftline/db';
import type { Clock, Logger, BackoffPolicy, ServiceMetrics } from '@driftline/common';
import type { ChannelSender } from './channels/channel.sender';
import { decideAfterAttempt, type SendResult } from './delivery.policy';

export interface DeliveryStore {
  channels: NotificationChannelRepository;
  notifications: NotificationRepository;
}

export interface DeliverySettings {
  backoff: BackoffPolicy;
  /** How long a claimed notification is its sender's; past it, another attempt may start. */
  leaseMs: number;
  /** Notifications claimed (and sent in parallel) at a time. */
  batchSize: number;
}

/**
 * Sends the recorded notifications that are due: claims them (an attempt logged as started, the
 * notification leased), sends, then writes the answer: sent, a retry after the backoff, or failed.
 * A crash between the send and that write leaves the lease to run out and the notification to be
 * sent again with the same id, which the receiver can drop; once marked sent it is never sent again.
 */
export class DeliveryService {
  constructor(
    private readonly store: DeliveryStore,
    private readonly senders: Record<ChannelType, ChannelSender>,
    private readonly settings: DeliverySettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: ServiceMetrics,
    private readonly random: () => number = Math.random,
  ) {}

  /** Returns the attempts made. */
  async deliverDue(): Promise<number> {
    let attempts = 0;
    for (;;) {
      const now = this.clock.now();
      const claimed = await this.store.notifications.claimDue(
        new Date(now),
        new Date(now + this.settings.leaseMs),
        this.settings.batchSize,
      );
      await Promise.all(claimed.map((notification) => this.attempt(notification)));
      attempts += claimed.length;
      if (claimed.length < this.settings.batchSize) return attempts;
    }
  }

  private async attempt(notification: ClaimedNotification): Promise<void> {
    const started = this.clock.now();
    const result = await this.send(notification);
    const finished = this.clock.now();
    const decision = decideAfterAttempt(
      result,
      notification.attempt,
      notification.deadlineAt.getTime(),
      finished,
      this.settings.backoff,
      this.random,
    );
    const current = await this.store.notifications.completeAttempt({
      notificationId: notification.id,
      attempt: notification.attempt,
      durationMs: finished - started,
      outcome: decision.outcome,
      httpStatus: result.httpStatus,
      error: result.ok ? null : result.error,
      retryAfterMs: result.ok ? null : result.retryAfterMs,
      nextAttemptAt: decision.outcome === 'retry' ? new Date(decision.nextAttemptAt) : null,
      reason: decision.outcome === 'failed' ? decision.reason : null,
      finishedAt: decision.outcome === 'retry' ? null : new Date(finished),
    });
    const context = {
      notificationId: notification.id,
      channelId: notification.channelId,
      channel: notification.channelType,
      attempt: notification.attempt,
    };
    if (!current) {
      this.logger.warn(
        context,
        'attempt ended after its lease ran out: a later attempt owns the notification',
      );
      return;
    }
    const channel = notification.channelType;
    switch (decision.outcome) {
      case 'sent':
        this.metrics.notifications.inc({ channel });
        this.logger.info(context, `notification sent: ${notification.title}`);
        return;
      case 'retry':
        this.metrics.notificationRetries.inc({ channel });
        this.logger.warn(
          {
            ...context,
            error: result.ok ? null : result.error,
            nextAttemptAt: new Date(decision.nextAttemptAt),
          },
          'notification attempt failed: retrying',
        );
        return;
      case 'failed':
        this.metrics.notificationFailures.inc({ channel });
        this.logger.error({ ...context, reason: decision.reason }, 'notification failed');
    }
  }

  private async send(notification: ClaimedNotification): Promise<SendResult> {
    const permanent = (error: string): SendResult => ({
      ok: false,
      retryable: false,
      error,
      httpStatus: null,
      retryAfterMs: null,
    });
    const channel = await this.store.channels.find(notification.channelId);
    if (channel === null) return permanent(`channel "${notification.channelId}" was deleted`);
    if (channel.type !== notification.channelType) {
      return permanent(`channel "${notification.channelId}" is now a ${channel.type} channel`);
    }
    try {
      return await this.senders[channel.type].send(notification, channel);
    } catch (error) {
      // a sender never throws; if one does, the attempt counts as failed and is retried
      return {
        ok: false,
        retryable: true,
        error: (error as Error).message,
        httpStatus: null,
        retryAfterMs: null,
      };
    }
  }
}
