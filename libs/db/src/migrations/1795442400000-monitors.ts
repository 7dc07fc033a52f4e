import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monitors (rules) and what their evaluation keeps:
 * - `monitors`: the spec as posted (the api is the only writer), with the threshold "auto" chose;
 * - `rule_states`: per monitor and feature ('' for none), the recent window verdicts and whether
 *   an alert is firing (the monitor is the only writer, in the batch transaction);
 * - `alerts` gains the evidence (top drifted features, labels) and the episode's retrain trigger.
 */
export class Monitors1795442400000 implements MigrationInterface {
  name = 'Monitors1795442400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE monitors (
        monitor_id text PRIMARY KEY,
        model_id text NOT NULL,
        spec jsonb NOT NULL,
        auto_threshold double precision,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX monitors_model ON monitors (model_id)`);
    await q.query(`
      CREATE TABLE rule_states (
        monitor_id text NOT NULL,
        feature text NOT NULL,
        model_id text NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (monitor_id, feature)
      )`);
    await q.query(`ALTER TABLE alerts ADD COLUMN evidence jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await q.query(`CREATE INDEX alerts_status_idx ON alerts (status, starts_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX alerts_status_idx`);
    await q.query(`ALTER TABLE alerts DROP COLUMN evidence`);
    await q.query(`DROP TABLE rule_states`);
    await q.query(`DROP TABLE monitors`);
  }
}
