import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retraining pipelines and the dispatcher's delivery log:
 * - `pipelines`: written by the api only. The secret is kept as given: the dispatcher needs it to sign.
 * - `retrain_deliveries`: one row per trigger and matching pipeline (unique, so a trigger consumed
 *   again changes nothing), recorded in the consumer's batch transaction before anything is sent.
 *   `body` is the event as sent on every attempt. A pending row is due at `next_attempt_at`; a claimed
 *   one has it moved to the end of its lease, so a sender that dies mid-attempt leaves it due again.
 * - `retrain_delivery_attempts`: one row per attempt, written when it starts and completed when its
 *   answer is known; a row left without an outcome is an attempt cut short by a crash.
 * - `retrain_cooldowns`: per model and pipeline, the last trigger recorded for delivery.
 * The last three are written by the dispatcher only. No foreign key to pipelines: the log outlives
 * a deleted pipeline.
 */
export class Pipelines1795449600000 implements MigrationInterface {
  name = 'Pipelines1795449600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pipelines (
        id text PRIMARY KEY,
        url text NOT NULL,
        secret text NOT NULL,
        matchers jsonb NOT NULL DEFAULT '[]'::jsonb,
        cooldown_ms bigint NOT NULL CHECK (cooldown_ms >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE retrain_deliveries (
        id bigserial PRIMARY KEY,
        trigger_id text NOT NULL,
        pipeline_id text NOT NULL,
        model_id text NOT NULL,
        body text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'skipped')),
        reason text,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        deadline_at timestamptz,
        recorded_at timestamptz NOT NULL,
        finished_at timestamptz,
        UNIQUE (trigger_id, pipeline_id)
      )`);
    await q.query(
      `CREATE INDEX retrain_deliveries_due ON retrain_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX retrain_deliveries_pipeline ON retrain_deliveries (pipeline_id, id DESC)`);
    await q.query(`
      CREATE TABLE retrain_delivery_attempts (
        delivery_id bigint NOT NULL REFERENCES retrain_deliveries (id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms integer,
        http_status integer,
        error text,
        outcome text CHECK (outcome IN ('delivered', 'retry', 'failed')),
        PRIMARY KEY (delivery_id, attempt)
      )`);
    await q.query(`
      CREATE TABLE retrain_cooldowns (
        model_id text NOT NULL,
        pipeline_id text NOT NULL,
        trigger_id text NOT NULL,
        triggered_at timestamptz NOT NULL,
        PRIMARY KEY (model_id, pipeline_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS retrain_cooldowns`);
    await q.query(`DROP TABLE IF EXISTS retrain_delivery_attempts`);
    await q.query(`DROP TABLE IF EXISTS retrain_deliveries`);
    await q.query(`DROP TABLE IF EXISTS pipelines`);
  }
}
