import type { MigrationInterface, QueryRunner } from 'typeorm';
import { seenEventParams } from '../repositories/seen-event.params';
import { SeenEvents1795438800000 } from './1795438800000-seen-events';

const CONVERT_CHUNK = 20_000;

interface TextKeyRow {
  model_id: string;
  kind: string;
  event_id: string;
  event_time: Date;
}

/**
 * seen_events keyed by a 16-byte hash of (kind, model, eventId) instead of the texts, without the
 * (model_id, event_time) btree: retention sweeps the heap, each model against its newest event time,
 * now kept per model in seen_event_newest. The rows stored so far are converted (their keys computed
 * here, as the monitor computes them), so no id counted before is forgotten. Down gives the old,
 * empty table back: a hash does not give the ids back.
 */
export class SeenEventKeys1796100000000 implements MigrationInterface {
  name = 'SeenEventKeys1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE seen_events RENAME TO seen_events_by_text`);
    await q.query(
      `ALTER TABLE seen_events_by_text RENAME CONSTRAINT seen_events_pkey TO seen_events_by_text_pkey`,
    );
    await q.query(`DROP INDEX seen_events_age_idx`);
    // fixed-width columns first: no alignment padding before the text
    await q.query(`
      CREATE TABLE seen_events (
        key uuid PRIMARY KEY,
        event_time timestamptz NOT NULL,
        kind "char" NOT NULL CHECK (kind IN ('p', 'g')),
        model_id text COLLATE "C" NOT NULL
      )`);
    await q.query(`
      CREATE TABLE seen_event_newest (
        model_id text COLLATE "C" PRIMARY KEY,
        newest timestamptz NOT NULL
      )`);
    let after: TextKeyRow | undefined;
    for (;;) {
      const rows: TextKeyRow[] = await q.query(
        `SELECT model_id, kind, event_id, event_time FROM seen_events_by_text
         ${after === undefined ? '' : 'WHERE (model_id, kind, event_id) > ($2, $3, $4)'}
         ORDER BY model_id, kind, event_id LIMIT $1`,
        after === undefined ? [CONVERT_CHUNK] : [CONVERT_CHUNK, after.model_id, after.kind, after.event_id],
      );
      for (const kind of ['p', 'g']) {
        const events = rows
          .filter((r) => r.kind === kind)
          .map((r) => ({ modelId: r.model_id, eventId: r.event_id, eventTimeMs: r.event_time.getTime() }));
        if (events.length === 0) continue;
        const params = seenEventParams(kind, events);
        await q.query(
          `INSERT INTO seen_events (key, event_time, kind, model_id)
           SELECT key, event_time, $1::"char", model_id
           FROM unnest($2::uuid[], $3::timestamptz[], $4::text[]) AS i(key, event_time, model_id)
           ON CONFLICT DO NOTHING`,
          [kind, params.keys, params.times, params.models],
        );
      }
      if (rows.length < CONVERT_CHUNK) break;
      after = rows[rows.length - 1];
    }
    await q.query(`
      INSERT INTO seen_event_newest (model_id, newest)
      SELECT model_id, max(event_time) FROM seen_events_by_text GROUP BY model_id`);
    await q.query(`DROP TABLE seen_events_by_text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE seen_event_newest`);
    await q.query(`DROP TABLE seen_events`);
    await new SeenEvents1795438800000().up(q);
  }
}
