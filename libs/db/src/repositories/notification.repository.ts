import type { ChannelType } from '@driftline/contracts';
import type { EntityManager } from 'typeorm';
import { returnedRows } from './returned.rows';

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export type NotificationKind = 'firing' | 'resolved';
export type NotificationAttemptOutcome = 'sent' | 'retry' | 'failed';

/** A notification for one channel, recorded with everything its sends need before the first one. */
export interface NewNotification {
  /** Stable across every attempt: the receiver's dedup key (Idempotency-Key, Message-ID, Slack metadata). */
  id: string;
  channelId: string;
  /** null when the channel no longer exists (recorded as failed). */
  channelType: ChannelType | null;
  routeId: string;
  groupKey: string;
  kind: NotificationKind;
  title: string;
  alertIds: string[];
  /** The rendered message and its destination, sent as is by every attempt. */
  payload: Record<string, unknown>;
  status: 'pending' | 'failed';
  /** Why it failed without an attempt. */
  reason: string | null;
  createdAt: Date;
  nextAttemptAt: Date;
  deadlineAt: Date;
}

/** A due notification taken by one sender for one attempt, until the lease it was claimed with. */
export interface ClaimedNotification {
  id: string;
  channelId: string;
  channelType: ChannelType;
  kind: NotificationKind;
  title: string;
  payload: Record<string, unknown>;
  /** This attempt's number, from 1. */
  attempt: number;
  createdAt: Date;
  deadlineAt: Date;
}

export interface NotificationAttemptResult {
  notificationId: string;
  attempt: number;
  durationMs: number;
  outcome: NotificationAttemptOutcome;
  httpStatus: number | null;
  error: string | null;
  retryAfterMs: number | null;
  /** retry: when the next attempt is due. */
  nextAttemptAt: Date | null;
  /** failed: why it was given up. */
  reason: string | null;
  /** sent or failed: when. */
  finishedAt: Date | null;
}

export interface StoredNotificationAttempt {
  attempt: number;
  startedAt: Date;
  durationMs: number | null;
  /** null while in flight, or for an attempt a crash cut short. */
  outcome: NotificationAttemptOutcome | null;
  httpStatus: number | null;
  error: string | null;
  retryAfterMs: number | null;
}

export interface StoredNotification {
  id: string;
  seq: string;
  channelId: string;
  channelType: ChannelType | null;
  routeId: string;
  groupKey: string;
  kind: NotificationKind;
  title: string;
  alertIds: string[];
  status: NotificationStatus;
  reason: string | null;
  attempts: StoredNotificationAttempt[];
  createdAt: Date;
  nextAttemptAt: Date | null;
  deadlineAt: Date;
  finishedAt: Date | null;
}

export interface NotificationQuery {
  status?: NotificationStatus;
  channelId?: string;
  /** Notifications recorded before this one (the previous page's last seq). */
  beforeSeq?: string;
  limit: number;
}

/** The notifier's delivery log: it records and sends, the api reads. */
export interface NotificationRepository {
  record(notifications: readonly NewNotification[]): Promise<void>;
  /**
   * Takes up to `limit` pending notifications due at `now` (SKIP LOCKED: parallel senders take
   * different ones), counts an attempt for each, logs it as started, and makes it due again at
   * `leaseUntil`, so a sender that dies mid-attempt leaves it to be sent again.
   */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedNotification[]>;
  /**
   * Writes the attempt's answer and the notification's new state; the notification is left alone
   * (false) when this attempt is no longer its latest: the lease ran out and another attempt began.
   */
  completeAttempt(result: NotificationAttemptResult): Promise<boolean>;
  /** Newest first, with their attempts. */
  findPage(query: NotificationQuery): Promise<StoredNotification[]>;
}

interface NotificationRow {
  seq: string;
  notification_id: string;
  channel_id: string;
  channel_type: ChannelType | null;
  route_id: string;
  group_key: string;
  kind: NotificationKind;
  title: string;
  alert_ids: string[];
  status: NotificationStatus;
  reason: string | null;
  created_at: Date;
  next_attempt_at: Date;
  deadline_at: Date;
  finished_at: Date | null;
}

interface AttemptRow {
  notification_id: string;
  attempt: number;
  started_at: Date;
  duration_ms: number | null;
  outcome: NotificationAttemptOutcome | null;
  http_status: number | null;
  error: string | null;
  retry_after_ms: string | null;
}

const STATUS_AFTER: Record<NotificationAttemptOutcome, NotificationStatus> = {
  sent: 'sent',
  retry: 'pending',
  failed: 'failed',
};

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

export class TypeOrmNotificationRepository implements NotificationRepository {
  constructor(private readonly manager: EntityManager) {}

  async record(notifications: readonly NewNotification[]): Promise<void> {
    for (const n of notifications) {
      await this.manager.query(
        `INSERT INTO notifications (notification_id, channel_id, channel_type, route_id, group_key, kind, title,
           alert_ids, payload, status, reason, created_at, next_attempt_at, deadline_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9::jsonb, $10, $11, $12, $13, $14,
           CASE WHEN $10 = 'failed' THEN $12::timestamptz END)`,
        [
          n.id,
          n.channelId,
          n.channelType,
          n.routeId,
          n.groupKey,
          n.kind,
          n.title,
          n.alertIds,
          JSON.stringify(n.payload),
          n.status,
          n.reason,
          n.createdAt.toISOString(),
          n.nextAttemptAt.toISOString(),
          n.deadlineAt.toISOString(),
        ],
      );
    }
  }

  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedNotification[]> {
    const rows: {
      notification_id: string;
      channel_id: string;
      channel_type: ChannelType;
      kind: NotificationKind;
      title: string;
      payload: Record<string, unknown>;
      attempts: number;
      created_at: Date;
      deadline_at: Date;
    }[] = await this.manager.query(
      `WITH due AS (
         SELECT notification_id FROM notifications
         WHERE status = 'pending' AND next_attempt_at <= $1
         ORDER BY next_attempt_at, seq LIMIT $3 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE notifications n SET attempts = n.attempts + 1, next_attempt_at = $2
         FROM due WHERE n.notification_id = due.notification_id
         RETURNING n.notification_id, n.channel_id, n.channel_type, n.kind, n.title, n.payload, n.attempts,
           n.created_at, n.deadline_at, n.seq
       ), started AS (
         INSERT INTO notification_attempts (notification_id, attempt, started_at)
         SELECT notification_id, attempts, $1 FROM claimed
       )
       SELECT * FROM claimed ORDER BY seq`,
      [now.toISOString(), leaseUntil.toISOString(), limit],
    );
    return rows.map((r) => ({
      id: r.notification_id,
      channelId: r.channel_id,
      channelType: r.channel_type,
      kind: r.kind,
      title: r.title,
      payload: r.payload,
      attempt: r.attempts,
      createdAt: r.created_at,
      deadlineAt: r.deadline_at,
    }));
  }

  async completeAttempt(result: NotificationAttemptResult): Promise<boolean> {
    const updated: unknown[] = await this.manager.query(
      `WITH logged AS (
         UPDATE notification_attempts
         SET duration_ms = $3, outcome = $4, http_status = $5, error = $6, retry_after_ms = $7
         WHERE notification_id = $1 AND attempt = $2
       )
       UPDATE notifications
       SET status = $8, next_attempt_at = COALESCE($9, next_attempt_at), reason = COALESCE($10, reason),
           finished_at = $11
       WHERE notification_id = $1 AND attempts = $2 AND status = 'pending'
       RETURNING notification_id`,
      [
        result.notificationId,
        result.attempt,
        result.durationMs,
        result.outcome,
        result.httpStatus,
        result.error,
        result.retryAfterMs,
        STATUS_AFTER[result.outcome],
        iso(result.nextAttemptAt),
        result.reason,
        iso(result.finishedAt),
      ],
    );
    return returnedRows<{ notification_id: string }>(updated).length > 0;
  }

  async findPage(query: NotificationQuery): Promise<StoredNotification[]> {
    const rows: NotificationRow[] = await this.manager.query(
      `SELECT seq, notification_id, channel_id, channel_type, route_id, group_key, kind, title, alert_ids, status,
              reason, created_at, next_attempt_at, deadline_at, finished_at
       FROM notifications
       WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR channel_id = $2)
         AND ($3::bigint IS NULL OR seq < $3)
       ORDER BY seq DESC LIMIT $4`,
      [query.status ?? null, query.channelId ?? null, query.beforeSeq ?? null, query.limit],
    );
    if (rows.length === 0) return [];
    const attempts: AttemptRow[] = await this.manager.query(
      `SELECT notification_id, attempt, started_at, duration_ms, outcome, http_status, error, retry_after_ms
       FROM notification_attempts WHERE notification_id = ANY($1::uuid[]) ORDER BY notification_id, attempt`,
      [rows.map((r) => r.notification_id)],
    );
    const byNotification = new Map<string, StoredNotificationAttempt[]>();
    for (const a of attempts) {
      const list = byNotification.get(a.notification_id) ?? [];
      list.push({
        attempt: a.attempt,
        startedAt: a.started_at,
        durationMs: a.duration_ms,
        outcome: a.outcome,
        httpStatus: a.http_status,
        error: a.error,
        retryAfterMs: a.retry_after_ms === null ? null : Number(a.retry_after_ms),
      });
      byNotification.set(a.notification_id, list);
    }
    return rows.map((r) => ({
      id: r.notification_id,
      seq: String(r.seq),
      channelId: r.channel_id,
      channelType: r.channel_type,
      routeId: r.route_id,
      groupKey: r.group_key,
      kind: r.kind,
      title: r.title,
      alertIds: r.alert_ids,
      status: r.status,
      reason: r.reason,
      attempts: byNotification.get(r.notification_id) ?? [],
      createdAt: r.created_at,
      nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
      deadlineAt: r.deadline_at,
      finishedAt: r.finished_at,
    }));
  }
}
