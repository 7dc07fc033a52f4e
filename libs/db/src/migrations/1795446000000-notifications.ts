import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert notifications, Alertmanager's way:
 * - written by the api only: `notification_channels` (secret: a Slack token or a webhook secret,
 *   never returned), `notification_routes`, `silences`;
 * - written by the notifier only: `notifier_alerts` (the latest state of each alert, by alertId),
 *   `notification_groups` (a route's aggregation group: its timer and its notification log, the
 *   firing and resolved alert ids last notified), `notification_group_alerts`, `notifications` (one
 *   row per notification and channel, recorded with its rendered payload before it is sent: the
 *   delivery log) and `notification_attempts` (every try, logged when it starts, with what the
 *   receiver answered; an attempt without an outcome was cut short by a crash).
 */
export class Notifications1795446000000 implements MigrationInterface {
  name = 'Notifications1795446000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_channels (
        channel_id text PRIMARY KEY,
        type text NOT NULL CHECK (type IN ('slack', 'email', 'webhook')),
        settings jsonb NOT NULL,
        secret text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE notification_routes (
        route_id text PRIMARY KEY,
        position integer NOT NULL,
        matchers jsonb NOT NULL,
        channels text[] NOT NULL,
        group_by text[] NOT NULL,
        group_wait_ms bigint,
        group_interval_ms bigint,
        repeat_interval_ms bigint,
        continue boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX notification_routes_order ON notification_routes (position, route_id)`);
    await q.query(`
      CREATE TABLE silences (
        seq bigserial UNIQUE,
        silence_id uuid PRIMARY KEY,
        matchers jsonb NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        created_by text NOT NULL,
        comment text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at >= starts_at)
      )`);
    await q.query(`CREATE INDEX silences_ends ON silences (ends_at)`);

    await q.query(`
      CREATE TABLE notifier_alerts (
        alert_id text PRIMARY KEY,
        fingerprint text NOT NULL,
        model_id text NOT NULL,
        metric text NOT NULL,
        status text NOT NULL CHECK (status IN ('firing', 'resolved')),
        event jsonb NOT NULL,
        received_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX notifier_alerts_firing ON notifier_alerts (model_id, metric) WHERE status = 'firing'`,
    );
    await q.query(
      `CREATE INDEX notifier_alerts_resolved ON notifier_alerts (updated_at) WHERE status = 'resolved'`,
    );
    await q.query(`
      CREATE TABLE notification_groups (
        group_id bigserial PRIMARY KEY,
        route_id text NOT NULL,
        group_key text NOT NULL,
        group_labels jsonb NOT NULL,
        channels text[] NOT NULL,
        group_interval_ms bigint NOT NULL,
        repeat_interval_ms bigint NOT NULL,
        created_at timestamptz NOT NULL,
        next_flush_at timestamptz NOT NULL,
        notified_at timestamptz,
        notified_firing text[],
        notified_resolved text[],
        UNIQUE (route_id, group_key)
      )`);
    await q.query(`CREATE INDEX notification_groups_due ON notification_groups (next_flush_at)`);
    await q.query(`
      CREATE TABLE notification_group_alerts (
        group_id bigint NOT NULL REFERENCES notification_groups ON DELETE CASCADE,
        alert_id text NOT NULL REFERENCES notifier_alerts,
        PRIMARY KEY (group_id, alert_id)
      )`);
    await q.query(`CREATE INDEX notification_group_alerts_alert ON notification_group_alerts (alert_id)`);
    await q.query(`
      CREATE TABLE notifications (
        seq bigserial UNIQUE,
        notification_id uuid PRIMARY KEY,
        channel_id text NOT NULL,
        channel_type text,
        route_id text NOT NULL,
        group_key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('firing', 'resolved')),
        title text NOT NULL,
        alert_ids text[] NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        next_attempt_at timestamptz NOT NULL,
        deadline_at timestamptz NOT NULL,
        finished_at timestamptz,
        reason text
      )`);
    await q.query(
      `CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX notifications_channel ON notifications (channel_id, seq)`);
    await q.query(`
      CREATE TABLE notification_attempts (
        notification_id uuid NOT NULL REFERENCES notifications ON DELETE CASCADE,
        attempt integer NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms integer,
        outcome text CHECK (outcome IN ('sent', 'retry', 'failed')),
        http_status integer,
        error text,
        retry_after_ms bigint,
        PRIMARY KEY (notification_id, attempt)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'notification_attempts',
      'notifications',
      'notification_group_alerts',
      'notification_groups',
      'notifier_alerts',
      'silences',
      'notification_routes',
      'notification_channels',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
