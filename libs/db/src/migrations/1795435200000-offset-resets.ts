import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What lets a consumer tell that its stored offsets are no longer the broker's:
 * - `consumer_offsets.last_record`: a fingerprint of the record just before `next_offset`
 *   (its Kafka timestamp and a hash of key and value), compared with what the broker holds there
 *   when the partition is next assigned; a topic re-created or a cluster replaced answers another.
 * - `offset_resets`: every time the stored offset was moved because it disagreed with the broker,
 *   and every run of records the broker deleted before they were consumed. Append-only.
 */
export class OffsetResets1795435200000 implements MigrationInterface {
  name = 'OffsetResets1795435200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE consumer_offsets ADD COLUMN last_record text`);
    await q.query(`
      CREATE TABLE offset_resets (
        id bigserial PRIMARY KEY,
        group_id text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        reason text NOT NULL,
        old_offset bigint NOT NULL,
        new_offset bigint NOT NULL,
        records_lost bigint,
        detail text NOT NULL,
        detected_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX offset_resets_detected ON offset_resets (detected_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE offset_resets`);
    await q.query(`ALTER TABLE consumer_offsets DROP COLUMN last_record`);
  }
}
