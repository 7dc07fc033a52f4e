import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event ids the monitor has counted, per model and kind ('p' prediction, 'g' ground truth), so
 * that a resent event is counted once. Kept for the dedup horizon of event time: retention deletes
 * by (model_id, event_time), each model against its own newest event time. The ids are compared,
 * never sorted for people: collation "C" makes every key comparison of the inserts a memcmp.
 */
export class SeenEvents1795438800000 implements MigrationInterface {
  name = 'SeenEvents1795438800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE seen_events (
        model_id text COLLATE "C" NOT NULL,
        kind "char" NOT NULL CHECK (kind IN ('p', 'g')),
        event_id text COLLATE "C" NOT NULL,
        event_time timestamptz NOT NULL,
        PRIMARY KEY (model_id, kind, event_id)
      )`);
    await q.query(`CREATE INDEX seen_events_age_idx ON seen_events (model_id, event_time)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS seen_events`);
  }
}
