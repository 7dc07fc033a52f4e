import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monitor's performance path: the prediction log (partitioned by day of event time, the
 * partitions are created on demand and dropped after the label horizon), labels waiting for their
 * prediction, and the performance summary of each labelled pane.
 */
export class PerformanceLog1795424400000 implements MigrationInterface {
  name = 'PerformanceLog1795424400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE prediction_log (
        model_id text NOT NULL,
        prediction_id text NOT NULL,
        event_time timestamptz NOT NULL,
        prediction jsonb NOT NULL,
        score double precision,
        scores jsonb,
        label jsonb,
        labelled_at timestamptz,
        PRIMARY KEY (model_id, prediction_id, event_time)
      ) PARTITION BY RANGE (event_time)`);
    await q.query(`
      CREATE TABLE pending_ground_truth (
        model_id text NOT NULL,
        prediction_id text NOT NULL,
        label jsonb NOT NULL,
        received_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (model_id, prediction_id)
      )`);
    await q.query(`CREATE INDEX pending_ground_truth_expiry_idx ON pending_ground_truth (expires_at)`);
    await q.query(
      `CREATE INDEX pending_ground_truth_age_idx ON pending_ground_truth (model_id, received_at)`,
    );
    await q.query(`
      CREATE TABLE performance_panes (
        model_id text NOT NULL,
        pane_start timestamptz NOT NULL,
        labelled integer NOT NULL,
        summary jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (model_id, pane_start)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['performance_panes', 'pending_ground_truth', 'prediction_log']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
