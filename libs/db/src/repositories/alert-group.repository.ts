import type { AlertEvent, AlertStatus } from '@driftline/contracts';
import type { EntityManager } from 'typeorm';

/** What recording an alert event changed: a new alert, a firing one now resolved, or nothing. */
export type AlertChange = 'new' | 'resolved' | 'unchanged';

/** A route's aggregation group as the notifier opens it for an alert. */
export interface GroupOpening {
  routeId: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  channels: string[];
  groupIntervalMs: number;
  repeatIntervalMs: number;
  openedAt: Date;
  /** When a new group is first flushed: openedAt + group wait. */
  firstFlushAt: Date;
}

/** The notification log of a group: what the last notification told. */
export interface GroupLogEntry {
  firing: readonly string[];
  resolved: readonly string[];
  at: Date;
}

export interface StoredGroup {
  id: string;
  routeId: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  channels: string[];
  groupIntervalMs: number;
  repeatIntervalMs: number;
  nextFlushAt: Date;
  /** null until the group was first notified. */
  log: GroupLogEntry | null;
}

export interface GroupMember {
  alertId: string;
  status: AlertStatus;
  /** The latest event of the alert. */
  event: AlertEvent;
}

export interface GroupFlush {
  /** The new log entry, or null to keep the stored one. */
  log: GroupLogEntry | null;
  /** Alerts leaving the group. */
  remove: string[];
  /** null: the group is empty and is deleted. */
  nextFlushAt: Date | null;
}

/** The notifier's alert states and aggregation groups; only the notifier writes them. */
export interface AlertGroupRepository {
  /**
   * Stores the alert's latest state, idempotently: a redelivered event, or a firing event for an
   * alert already resolved, changes nothing.
   */
  recordAlert(alert: AlertEvent, at: Date): Promise<AlertChange>;
  /** Puts the alert in the group, opening the group (with its first flush time) when it has none. */
  join(group: GroupOpening, alertId: string): Promise<void>;
  /** One group due at `now`, locked until the transaction ends (SKIP LOCKED: flushers take different ones). */
  claimDue(now: Date): Promise<StoredGroup | null>;
  members(groupId: string): Promise<GroupMember[]>;
  /** The firing alerts of these models with this metric (inhibition sources). */
  firing(modelIds: readonly string[], metric: string): Promise<AlertEvent[]>;
  saveFlush(groupId: string, flush: GroupFlush): Promise<void>;
  /** Forgets at most `limit` resolved alerts updated before `before` and in no group; returns the count. */
  forgetResolved(before: Date, limit: number): Promise<number>;
}

interface GroupRow {
  group_id: string;
  route_id: string;
  group_key: string;
  group_labels: Record<string, string>;
  channels: string[];
  group_interval_ms: string;
  repeat_interval_ms: string;
  next_flush_at: Date;
  notified_at: Date | null;
  notified_firing: string[] | null;
  notified_resolved: string[] | null;
}

const toGroup = (row: GroupRow): StoredGroup => ({
  id: String(row.group_id),
  routeId: row.route_id,
  groupKey: row.group_key,
  groupLabels: row.group_labels,
  channels: row.channels,
  groupIntervalMs: Number(row.group_interval_ms),
  repeatIntervalMs: Number(row.repeat_interval_ms),
  nextFlushAt: row.next_flush_at,
  log:
    row.notified_at === null
      ? null
      : { firing: row.notified_firing ?? [], resolved: row.notified_resolved ?? [], at: row.notified_at },
});

export class TypeOrmAlertGroupRepository implements AlertGroupRepository {
  constructor(private readonly manager: EntityManager) {}

  async recordAlert(alert: AlertEvent, at: Date): Promise<AlertChange> {
    const rows: { inserted: boolean }[] = await this.manager.query(
      `INSERT INTO notifier_alerts (alert_id, fingerprint, model_id, metric, status, event, received_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $7)
       ON CONFLICT (alert_id) DO UPDATE SET status = EXCLUDED.status, event = EXCLUDED.event,
         updated_at = EXCLUDED.updated_at
       WHERE notifier_alerts.status = 'firing' AND EXCLUDED.status = 'resolved'
       RETURNING (xmax = 0) AS inserted`,
      [
        alert.alertId,
        alert.fingerprint,
        alert.modelId,
        alert.metric,
        alert.status,
        JSON.stringify(alert),
        at.toISOString(),
      ],
    );
    if (rows.length === 0) return 'unchanged';
    return rows[0].inserted ? 'new' : 'resolved';
  }

  async join(group: GroupOpening, alertId: string): Promise<void> {
    await this.manager.query(
      `WITH opened AS (
         INSERT INTO notification_groups (route_id, group_key, group_labels, channels, group_interval_ms,
           repeat_interval_ms, created_at, next_flush_at)
         VALUES ($1, $2, $3::jsonb, $4::text[], $5, $6, $7, $8)
         ON CONFLICT (route_id, group_key) DO UPDATE SET route_id = EXCLUDED.route_id
         RETURNING group_id
       )
       INSERT INTO notification_group_alerts (group_id, alert_id) SELECT group_id, $9 FROM opened
       ON CONFLICT DO NOTHING`,
      [
        group.routeId,
        group.groupKey,
        JSON.stringify(group.groupLabels),
        group.channels,
        group.groupIntervalMs,
        group.repeatIntervalMs,
        group.openedAt.toISOString(),
        group.firstFlushAt.toISOString(),
        alertId,
      ],
    );
  }

  async claimDue(now: Date): Promise<StoredGroup | null> {
    const rows: GroupRow[] = await this.manager.query(
      `SELECT group_id, route_id, group_key, group_labels, channels, group_interval_ms, repeat_interval_ms,
              next_flush_at, notified_at, notified_firing, notified_resolved
       FROM notification_groups WHERE next_flush_at <= $1
       ORDER BY next_flush_at, group_id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [now.toISOString()],
    );
    return rows.length > 0 ? toGroup(rows[0]) : null;
  }

  async members(groupId: string): Promise<GroupMember[]> {
    const rows: { alert_id: string; status: AlertStatus; event: AlertEvent }[] = await this.manager.query(
      `SELECT a.alert_id, a.status, a.event FROM notification_group_alerts m
       JOIN notifier_alerts a ON a.alert_id = m.alert_id
       WHERE m.group_id = $1 ORDER BY a.received_at, a.alert_id`,
      [groupId],
    );
    return rows.map((r) => ({ alertId: r.alert_id, status: r.status, event: r.event }));
  }

  async firing(modelIds: readonly string[], metric: string): Promise<AlertEvent[]> {
    if (modelIds.length === 0) return [];
    const rows: { event: AlertEvent }[] = await this.manager.query(
      `SELECT event FROM notifier_alerts
       WHERE status = 'firing' AND model_id = ANY($1::text[]) AND metric = $2 ORDER BY received_at, alert_id`,
      [[...modelIds], metric],
    );
    return rows.map((r) => r.event);
  }

  async saveFlush(groupId: string, flush: GroupFlush): Promise<void> {
    if (flush.nextFlushAt === null) {
      await this.manager.query(`DELETE FROM notification_groups WHERE group_id = $1`, [groupId]);
      return;
    }
    if (flush.remove.length > 0) {
      await this.manager.query(
        `DELETE FROM notification_group_alerts WHERE group_id = $1 AND alert_id = ANY($2::text[])`,
        [groupId, flush.remove],
      );
    }
    await this.manager.query(
      `UPDATE notification_groups SET next_flush_at = $2,
         notified_at = COALESCE($3, notified_at),
         notified_firing = CASE WHEN $3::timestamptz IS NULL THEN notified_firing ELSE $4::text[] END,
         notified_resolved = CASE WHEN $3::timestamptz IS NULL THEN notified_resolved ELSE $5::text[] END
       WHERE group_id = $1`,
      [
        groupId,
        flush.nextFlushAt.toISOString(),
        flush.log?.at.toISOString() ?? null,
        flush.log?.firing ?? null,
        flush.log?.resolved ?? null,
      ],
    );
  }

  async forgetResolved(before: Date, limit: number): Promise<number> {
    const [, count]: [unknown[], number] = await this.manager.query(
      `DELETE FROM notifier_alerts WHERE alert_id = ANY(ARRAY(
         SELECT a.alert_id FROM notifier_alerts a
         WHERE a.status = 'resolved' AND a.updated_at < $1
           AND NOT EXISTS (SELECT 1 FROM notification_group_alerts m WHERE m.alert_id = a.alert_id)
         LIMIT $2))`,
      [before.toISOString(), limit],
    );
    return count;
  }
}
