import type { EntityManager } from 'typeorm';

/** Predictions and ground truth have separate id spaces: the same eventId may be both. */
export type SeenEventKind = 'prediction' | 'groundTruth';

export interface SeenEventKey {
  modelId: string;
  eventId: string;
}

export interface SeenEvent extends SeenEventKey {
  eventTime: Date;
}

export interface NewestSeenEvent {
  modelId: string;
  eventTime: Date;
}

/** The event ids counted per model and kind (seen_events), for deduplication. */
export interface SeenEventRepository {
  /**
   * Stores, in one statement, the events whose (model, kind, eventId) is not stored yet and returns
   * their keys; the others were seen before. A key another open transaction has just stored waits
   * for that transaction to end, so two transactions never both see an event as new.
   */
  insertNew(kind: SeenEventKind, events: readonly SeenEvent[]): Promise<SeenEventKey[]>;
  /** Every model with a stored event, and the newest event time stored for it. */
  newest(): Promise<NewestSeenEvent[]>;
  /** Deletes at most `limit` of a model's events with an event time before `before`; returns the count. */
  deleteBefore(modelId: string, before: Date, limit: number): Promise<number>;
}

const KIND_CODE: Record<SeenEventKind, string> = { prediction: 'p', groundTruth: 'g' };

const byKey = (a: SeenEventKey, b: SeenEventKey) =>
  a.modelId < b.modelId
    ? -1
    : a.modelId > b.modelId
      ? 1
      : a.eventId < b.eventId
        ? -1
        : a.eventId > b.eventId
          ? 1
          : 0;

export class TypeOrmSeenEventRepository implements SeenEventRepository {
  constructor(private readonly manager: EntityManager) {}

  async insertNew(kind: SeenEventKind, events: readonly SeenEvent[]): Promise<SeenEventKey[]> {
    if (events.length === 0) return [];
    // in key order: two transactions inserting overlapping keys then wait for each other, never deadlock
    const sorted = [...events].sort(byKey);
    // arrays, not one parameter per value: no 65,535 bind parameter limit, one statement per batch
    const rows: { model_id: string; event_id: string }[] = await this.manager.query(
      `INSERT INTO seen_events (model_id, kind, event_id, event_time)
       SELECT i.model_id, $1::"char", i.event_id, i.event_time
       FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS i(model_id, event_id, event_time)
       ON CONFLICT DO NOTHING
       RETURNING model_id, event_id`,
      [
        KIND_CODE[kind],
        sorted.map((e) => e.modelId),
        sorted.map((e) => e.eventId),
        sorted.map((e) => e.eventTime.toISOString()),
      ],
    );
    return rows.map((r) => ({ modelId: r.model_id, eventId: r.event_id }));
  }

  async newest(): Promise<NewestSeenEvent[]> {
    // one index probe per model (a loose index scan), not a scan of the table
    const rows: { model_id: string; newest: Date }[] = await this.manager.query(
      `WITH RECURSIVE models AS (
         SELECT min(model_id) AS model_id FROM seen_events
         UNION ALL
         SELECT (SELECT min(s.model_id) FROM seen_events s WHERE s.model_id > models.model_id)
         FROM models WHERE models.model_id IS NOT NULL
       )
       SELECT model_id, (SELECT max(s.event_time) FROM seen_events s WHERE s.model_id = models.model_id) AS newest
       FROM models WHERE model_id IS NOT NULL`,
    );
    return rows.map((r) => ({ modelId: r.model_id, eventTime: r.newest }));
  }

  async deleteBefore(modelId: string, before: Date, limit: number): Promise<number> {
    const [, count]: [unknown[], number] = await this.manager.query(
      `DELETE FROM seen_events WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM seen_events WHERE model_id = $1 AND event_time < $2 LIMIT $3))`,
      [modelId, before.toISOString(), limit],
    );
    return count;
  }
}
