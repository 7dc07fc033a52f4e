import { randomUUID } from 'node:crypto';
import type {
  AlertGroupRepository,
  GroupMember,
  NewNotification,
  NotificationChannelRepository,
  NotificationRepository,
  SilenceRepository,
  StoredGroup,
} from '@driftline/db';
import type { Clock, Logger, ServiceMetrics } from '@driftline/common';
import { AlertMuter, INHIBITING_METRIC, type SilenceWindow } from './alert.muter';
import { flushGroup, type GroupNotification } from './group.flush';
import {
  notificationTitle,
  renderFor,
  type NotificationContent,
  type RenderOptions,
} from './notification.renderer';

export interface FlushUnitOfWork {
  alertGroups: AlertGroupRepository;
  channels: NotificationChannelRepository;
  notifications: NotificationRepository;
}

export interface FlushStore {
  silences: SilenceRepository;
  transaction<T>(work: (tx: FlushUnitOfWork) => Promise<T>): Promise<T>;
}

export interface FlushSettings {
  render: RenderOptions;
  /** NOTIFY_DELIVERY_DEADLINE: how long a notification may be retried. */
  deliveryDeadlineMs: number;
  /** Most groups flushed in one run. */
  maxGroupsPerRun: number;
}

/**
 * Flushes the aggregation groups whose timer is due, each in a transaction of its own with the
 * group row locked (SKIP LOCKED, so notifier replicas share the work): mutes, dedups against the
 * group's notification log, records one notification per channel with its rendered payload, and
 * saves the log and the next flush time. Nothing is sent here: the records are the outbox.
 */
export class GroupFlushService {
  constructor(
    private readonly store: FlushStore,
    private readonly settings: FlushSettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: ServiceMetrics,
    private readonly newId: () => string = randomUUID,
  ) {}

  /** Returns the notifications recorded. */
  async flushDue(): Promise<number> {
    const now = this.clock.now();
    const silences: SilenceWindow[] = (await this.store.silences.findActive(new Date(now))).map((s) => ({
      id: s.id,
      matchers: s.matchers,
      startsAt: s.startsAt.getTime(),
      endsAt: s.endsAt.getTime(),
    }));
    let recorded = 0;
    for (let i = 0; i < this.settings.maxGroupsPerRun; i++) {
      const flushed = await this.store.transaction((tx) => this.flushOne(tx, silences, now));
      if (flushed === null) break;
      recorded += flushed.length;
      for (const n of flushed.filter((x) => x.status === 'failed')) {
        this.metrics.notificationFailures.inc({ channel: 'unknown' });
        this.logger.error(
          { notificationId: n.id, channelId: n.channelId, routeId: n.routeId },
          n.reason ?? 'failed',
        );
      }
    }
    return recorded;
  }

  /** null when no group is due. */
  private async flushOne(
    tx: FlushUnitOfWork,
    silences: SilenceWindow[],
    now: number,
  ): Promise<NewNotification[] | null> {
    const group = await tx.alertGroups.claimDue(new Date(now));
    if (group === null) return null;
    const members = await tx.alertGroups.members(group.id);
    const models = [...new Set(members.map((m) => m.event.modelId))];
    const muter = new AlertMuter(silences, await tx.alertGroups.firing(models, INHIBITING_METRIC), now);
    const outcome = flushGroup(
      members.map((m) => ({ alertId: m.alertId, status: m.status, muted: muter.muted(m.event) !== null })),
      group.log === null ? null : { ...group.log, at: group.log.at.getTime() },
      group,
      now,
    );
    const notifications =
      outcome.notification === null
        ? []
        : await this.notifications(tx, group, members, outcome.notification, now);
    await tx.notifications.record(notifications);
    await tx.alertGroups.saveFlush(group.id, {
      log:
        outcome.notification === null || outcome.log === null
          ? null
          : { ...outcome.log, at: new Date(outcome.log.at) },
      remove: outcome.remove,
      nextFlushAt: outcome.nextFlushAt === null ? null : new Date(outcome.nextFlushAt),
    });
    if (notifications.length > 0) {
      this.logger.info(
        {
          routeId: group.routeId,
          groupKey: group.groupKey,
          kind: outcome.notification?.kind,
          channels: group.channels,
        },
        'notification recorded',
      );
    }
    return notifications;
  }

  private async notifications(
    tx: FlushUnitOfWork,
    group: StoredGroup,
    members: GroupMember[],
    told: GroupNotification,
    now: number,
  ): Promise<NewNotification[]> {
    const events = new Map(members.map((m) => [m.alertId, m.event]));
    const pick = (ids: string[]) => ids.flatMap((id) => events.get(id) ?? []);
    const channels = new Map((await tx.channels.findMany(group.channels)).map((c) => [c.id, c]));
    return group.channels.map((channelId): NewNotification => {
      const content: NotificationContent = {
        notificationId: this.newId(),
        kind: told.kind,
        routeId: group.routeId,
        groupKey: group.groupKey,
        groupLabels: group.groupLabels,
        firing: pick(told.firing),
        resolved: pick(told.resolved),
        createdAt: now,
      };
      const channel = channels.get(channelId);
      const common = {
        id: content.notificationId,
        channelId,
        routeId: group.routeId,
        groupKey: group.groupKey,
        kind: told.kind,
        title: notificationTitle(content),
        alertIds: [...told.firing, ...told.resolved],
        createdAt: new Date(now),
        nextAttemptAt: new Date(now),
        deadlineAt: new Date(now + this.settings.deliveryDeadlineMs),
      };
      if (channel === undefined) {
        return {
          ...common,
          channelType: null,
          payload: {},
          status: 'failed',
          reason: `channel "${channelId}" does not exist (route ${group.routeId})`,
        };
      }
      return {
        ...common,
        channelType: channel.type,
        payload: renderFor(content, channel.settings, this.settings.render) as unknown as Record<
          string,
          unknown
        >,
        status: 'pending',
        reason: null,
      };
    });
  }
}
