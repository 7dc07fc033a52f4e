import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `alert_acks`: who acknowledged an alert, when, and why (POST /v1/alerts/:id/ack). The api is its
 * only writer; `alerts` stays the monitor's. An ack is another fact than the alert's state, so it
 * has its own table; the first ack of an alert is kept.
 */
export class AlertAcks1795900000000 implements MigrationInterface {
  name = 'AlertAcks1795900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_acks (
        alert_id text PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
        acknowledged_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_by text,
        comment text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_acks`);
  }
}
