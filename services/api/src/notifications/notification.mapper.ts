import type { ChannelType, LabelMatcher } from '@driftline/contracts';
import type {
  ChannelRecord,
  RouteRecord,
  SilenceRecord,
  SilenceState,
  StoredNotification,
  StoredNotificationAttempt,
} from '@driftline/db';
import { formatDuration } from '@driftline/windowing';

/** A channel as the API returns it: its settings, and whether it has a secret, never the secret. */
export interface ChannelView {
  channelId: string;
  type: ChannelType;
  slack?: { channel: string; hasToken: boolean };
  email?: { to: string[] };
  webhook?: { url: string; hasSecret: boolean };
  createdAt: string;
  updatedAt: string;
}

export function mapChannel(record: ChannelRecord): ChannelView {
  const settings = record.settings;
  const times = { createdAt: record.createdAt.toISOString(), updatedAt: record.updatedAt.toISOString() };
  const hasSecret = record.secret !== null;
  switch (settings.type) {
    case 'slack':
      return {
        channelId: record.id,
        type: 'slack',
        slack: { channel: settings.channel, hasToken: hasSecret },
        ...times,
      };
    case 'email':
      return { channelId: record.id, type: 'email', email: { to: settings.to }, ...times };
    case 'webhook':
      return { channelId: record.id, type: 'webhook', webhook: { url: settings.url, hasSecret }, ...times };
  }
}

export interface RouteView {
  routeId: string;
  order: number;
  matchers: LabelMatcher[];
  channels: string[];
  groupBy: string[];
  /** null: the notifier's default (ALERT_GROUP_WAIT, ALERT_GROUP_INTERVAL, ALERT_REPEAT_INTERVAL). */
  groupWait: string | null;
  groupInterval: string | null;
  repeatInterval: string | null;
  continue: boolean;
  createdAt: string;
  updatedAt: string;
}

const duration = (ms: number | null) => (ms === null ? null : formatDuration(ms));

export function mapRoute(record: RouteRecord): RouteView {
  return {
    routeId: record.id,
    order: record.order,
    matchers: record.matchers,
    channels: record.channels,
    groupBy: record.groupBy,
    groupWait: duration(record.groupWaitMs),
    groupInterval: duration(record.groupIntervalMs),
    repeatInterval: duration(record.repeatIntervalMs),
    continue: record.continue,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export interface SilenceView {
  silenceId: string;
  matchers: LabelMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  /** At the time of the answer. */
  state: SilenceState;
  createdAt: string;
  updatedAt: string;
}

export function silenceState(record: SilenceRecord, now: number): SilenceState {
  if (record.endsAt.getTime() <= now) return 'expired';
  return record.startsAt.getTime() > now ? 'pending' : 'active';
}

export function mapSilence(record: SilenceRecord, now: number): SilenceView {
  return {
    silenceId: record.id,
    matchers: record.matchers,
    startsAt: record.startsAt.toISOString(),
    endsAt: record.endsAt.toISOString(),
    createdBy: record.createdBy,
    comment: record.comment,
    state: silenceState(record, now),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export interface NotificationAttemptView {
  attempt: number;
  startedAt: string;
  durationMs: number | null;
  /** in_flight: being sent; interrupted: the sender stopped (a crash) before it had an answer. */
  outcome: 'sent' | 'retry' | 'failed' | 'in_flight' | 'interrupted';
  httpStatus: number | null;
  error: string | null;
  retryAfterMs: number | null;
}

export interface DeliveryView {
  notificationId: string;
  channelId: string;
  /** null when the channel did not exist when the notification was due. */
  channelType: ChannelType | null;
  routeId: string;
  groupKey: string;
  kind: 'firing' | 'resolved';
  title: string;
  alertIds: string[];
  status: StoredNotification['status'];
  /** Why it failed. */
  reason: string | null;
  attempts: NotificationAttemptView[];
  createdAt: string;
  nextAttemptAt: string | null;
  deadlineAt: string;
  finishedAt: string | null;
}

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

function mapAttempt(
  notification: StoredNotification,
  attempt: StoredNotificationAttempt,
): NotificationAttemptView {
  const latest = attempt.attempt === notification.attempts.at(-1)?.attempt;
  return {
    attempt: attempt.attempt,
    startedAt: attempt.startedAt.toISOString(),
    durationMs: attempt.durationMs,
    outcome: attempt.outcome ?? (latest && notification.status === 'pending' ? 'in_flight' : 'interrupted'),
    httpStatus: attempt.httpStatus,
    error: attempt.error,
    retryAfterMs: attempt.retryAfterMs,
  };
}

export function mapDelivery(notification: StoredNotification): DeliveryView {
  return {
    notificationId: notification.id,
    channelId: notification.channelId,
    channelType: notification.channelType,
    routeId: notification.routeId,
    groupKey: notification.groupKey,
    kind: notification.kind,
    title: notification.title,
    alertIds: notification.alertIds,
    status: notification.status,
    reason: notification.reason,
    attempts: notification.attempts.map((a) => mapAttempt(notification, a)),
    createdAt: notification.createdAt.toISOString(),
    nextAttemptAt: iso(notification.nextAttemptAt),
    deadlineAt: notification.deadlineAt.toISOString(),
    finishedAt: iso(notification.finishedAt),
  };
}
