import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * metric_points keyed by what identifies a point (model, window, feature, metric): the bigserial
 * `id` nothing read is gone, and with it a sequence call and a second index entry for every row.
 * Measured on 2,220 window points upserted in one statement into a table of 666,000, as an
 * evaluation pass of 20 windows does: 32-37 → 28 ms of backend time (the counts every batch
 * increments save the same share).
 */
export class MetricPointsKey1796400000000 implements MigrationInterface {
  name = 'MetricPointsKey1796400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE metric_points DROP COLUMN id`);
    await q.query(
      `ALTER TABLE metric_points ADD CONSTRAINT metric_points_key PRIMARY KEY USING INDEX metric_points_key`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE metric_points DROP CONSTRAINT metric_points_key`);
    await q.query(
      `CREATE UNIQUE INDEX metric_points_key ON metric_points (model_id, window_start, window_end, feature, metric)`,
    );
    await q.query(`ALTER TABLE metric_points ADD COLUMN id bigserial PRIMARY KEY`);
  }
}
