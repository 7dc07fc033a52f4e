import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WindowResults1795420800000 implements MigrationInterface {
  name = 'WindowResults1795420800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE window_results (
        model_id text NOT NULL,
        window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL,
        event_count bigint NOT NULL,
        result jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (model_id, window_start, window_end)
      )`);
    // GET /windows/latest reads the newest window of a model.
    await q.query(`CREATE INDEX window_results_latest_idx ON window_results (model_id, window_end DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS window_results`);
  }
}
