import type { OffsetReset, OffsetResetReason, StoredPosition } from '@driftline/contracts';
import type { EntityManager } from 'typeorm';

export interface PartitionOffset {
  partition: number;
  /** Next offset to consume, a decimal string (Kafka offsets are 64-bit). */
  nextOffset: string;
}

export type { OffsetReset, OffsetResetReason, StoredPosition };

export interface PartitionPosition extends StoredPosition {
  partition: number;
}

export interface StoredOffsetReset extends OffsetReset {
  id: string;
  detectedAt: Date;
}

export interface OffsetResetQuery {
  groupId?: string;
  topic?: string;
  /** Only resets with a smaller id (the cursor of the previous page). */
  beforeId?: string;
  limit: number;
}

export interface ConsumerOffsetRepository {
  findAll(groupId: string, topic: string): Promise<PartitionOffset[]>;
  findPositions(groupId: string, topic: string): Promise<PartitionPosition[]>;
  /**
   * Locks the partition's row until the transaction ends and returns its position (null if none
   * was ever stored). Two consumers that both believe they own a partition serialise here.
   */
  lock(groupId: string, topic: string, partition: number): Promise<StoredPosition | null>;
  save(
    groupId: string,
    topic: string,
    partition: number,
    nextOffset: string,
    lastRecord?: string | null,
  ): Promise<void>;
  /** Appends to offset_resets; the only writer of that table. */
  recordReset(reset: OffsetReset): Promise<void>;
  /** Newest first. */
  findResets(query: OffsetResetQuery): Promise<StoredOffsetReset[]>;
}

interface ResetRow {
  id: string;
  group_id: string;
  topic: string;
  partition: number;
  reason: OffsetResetReason;
  old_offset: string;
  new_offset: string;
  records_lost: string | null;
  detail: string;
  detected_at: Date;
}

export class TypeOrmConsumerOffsetRepository implements ConsumerOffsetRepository {
  constructor(private readonly manager: EntityManager) {}

  async findAll(groupId: string, topic: string): Promise<PartitionOffset[]> {
    return (await this.findPositions(groupId, topic)).map(({ partition, nextOffset }) => ({
      partition,
      nextOffset,
    }));
  }

  async findPositions(groupId: string, topic: string): Promise<PartitionPosition[]> {
    const rows: { partition: number; next_offset: string; last_record: string | null }[] =
      await this.manager.query(
        `SELECT partition, next_offset, last_record FROM consumer_offsets
         WHERE group_id = $1 AND topic = $2 AND next_offset IS NOT NULL ORDER BY partition`,
        [groupId, topic],
      );
    return rows.map((r) => ({
      partition: r.partition,
      nextOffset: String(r.next_offset),
      lastRecord: r.last_record,
    }));
  }

  async lock(groupId: string, topic: string, partition: number): Promise<StoredPosition | null> {
    await this.manager.query(
      `INSERT INTO consumer_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, NULL)
       ON CONFLICT (group_id, topic, partition) DO NOTHING`,
      [groupId, topic, partition],
    );
    const rows: { next_offset: string | null; last_record: string | null }[] = await this.manager.query(
      `SELECT next_offset, last_record FROM consumer_offsets
       WHERE group_id = $1 AND topic = $2 AND partition = $3 FOR UPDATE`,
      [groupId, topic, partition],
    );
    const row = rows[0];
    if (row?.next_offset == null) return null;
    return { nextOffset: String(row.next_offset), lastRecord: row.last_record };
  }

  async save(
    groupId: string,
    topic: string,
    partition: number,
    nextOffset: string,
    lastRecord: string | null = null,
  ): Promise<void> {
    await this.manager.query(
      `INSERT INTO consumer_offsets (group_id, topic, partition, next_offset, last_record)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (group_id, topic, partition) DO UPDATE
       SET next_offset = EXCLUDED.next_offset, last_record = EXCLUDED.last_record, updated_at = now()`,
      [groupId, topic, partition, nextOffset, lastRecord],
    );
  }

  async recordReset(reset: OffsetReset): Promise<void> {
    await this.manager.query(
      `INSERT INTO offset_resets
         (group_id, topic, partition, reason, old_offset, new_offset, records_lost, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        reset.groupId,
        reset.topic,
        reset.partition,
        reset.reason,
        reset.oldOffset,
        reset.newOffset,
        reset.recordsLost,
        reset.detail,
      ],
    );
  }

  async findResets(query: OffsetResetQuery): Promise<StoredOffsetReset[]> {
    const rows: ResetRow[] = await this.manager.query(
      `SELECT id, group_id, topic, partition, reason, old_offset, new_offset, records_lost, detail, detected_at
       FROM offset_resets
       WHERE ($1::text IS NULL OR group_id = $1) AND ($2::text IS NULL OR topic = $2)
         AND ($3::bigint IS NULL OR id < $3)
       ORDER BY id DESC LIMIT $4`,
      [query.groupId ?? null, query.topic ?? null, query.beforeId ?? null, query.limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      groupId: r.group_id,
      topic: r.topic,
      partition: r.partition,
      reason: r.reason,
      oldOffset: String(r.old_offset),
      newOffset: String(r.new_offset),
      recordsLost: r.records_lost === null ? null : String(r.records_lost),
      detail: r.detail,
      detectedAt: r.detected_at,
    }));
  }
}
