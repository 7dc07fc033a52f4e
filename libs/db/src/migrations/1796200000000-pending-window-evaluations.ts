import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Window evaluation leaves the batch transaction: the batch stores the closed window's merged
 * summary with its counts (window_summaries) and queues the window in pending_window_evaluations;
 * the monitor's evaluation loop writes its result and removes the entry in one transaction. A
 * queue table of its own, not a column of window_summaries: the loop locks the entries it claims
 * (FOR UPDATE SKIP LOCKED) for the length of an evaluation, and a batch re-closing the window
 * rewrites its summary row meanwhile; on the same row that write would wait for the loop, which
 * waits for the model lock the batch holds. `id` orders a model's windows as they closed.
 * `revision` counts a summary's rewrites: the loop writes a result only for the revision it read.
 */
export class PendingWindowEvaluations1796200000000 implements MigrationInterface {
  name = 'PendingWindowEvaluations1796200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pending_window_evaluations (
        id bigserial PRIMARY KEY,
        model_id text NOT NULL,
        window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL,
        closed_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (model_id, window_start, window_end)
      )`);
    await q.query(
      `CREATE INDEX pending_window_evaluations_model ON pending_window_evaluations (model_id, id)`,
    );
    await q.query(`
      ALTER TABLE window_summaries
        ADD COLUMN event_count integer,
        ADD COLUMN late_events integer,
        ADD COLUMN duplicate_events integer,
        ADD COLUMN state_key text,
        ADD COLUMN revision integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS pending_window_evaluations`);
    await q.query(`
      ALTER TABLE window_summaries
        DROP COLUMN event_count, DROP COLUMN late_events, DROP COLUMN duplicate_events,
        DROP COLUMN state_key, DROP COLUMN revision`);
  }
}
