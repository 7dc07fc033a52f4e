import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The merged pane summary of each evaluated window, kept for the model's label horizon so that a
 * past window can be pinned as the model's reference.
 */
export class WindowSummaries1795428000000 implements MigrationInterface {
  name = 'WindowSummaries1795428000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE window_summaries (
        model_id text NOT NULL,
        window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL,
        summary jsonb NOT NULL,
        PRIMARY KEY (model_id, window_start, window_end)
      )`);
    await q.query(`CREATE INDEX window_summaries_end_idx ON window_summaries (model_id, window_end)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS window_summaries`);
  }
}
