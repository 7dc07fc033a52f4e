import type { EntityManager } from 'typeorm';

export interface PartitionOffset {
  partition: number;
  /** Next offset to consume, a decimal string (Kafka offsets are 64-bit). */
  nextOffset: string;
}

export interface ConsumerOffsetRepository {
  findAll(groupId: string, topic: string): Promise<PartitionOffset[]>;
  /**
   * Locks the partition's row until the transaction ends and returns its next offset (null if none
   * was ever stored). Two consumers that both believe they own a partition serialise here.
   */
  lock(groupId: string, topic: string, partition: number): Promise<string | null>;
  save(groupId: string, topic: string, partition: number, nextOffset: string): Promise<void>;
}

export class TypeOrmConsumerOffsetRepository implements ConsumerOffsetRepository {
  constructor(private readonly manager: EntityManager) {}

  async findAll(groupId: string, topic: string): Promise<PartitionOffset[]> {
    const rows: { partition: number; next_offset: string }[] = await this.manager.query(
      `SELECT partition, next_offset FROM consumer_offsets
       WHERE group_id = $1 AND topic = $2 AND next_offset IS NOT NULL ORDER BY partition`,
      [groupId, topic],
    );
    return rows.map((r) => ({ partition: r.partition, nextOffset: String(r.next_offset) }));
  }

  async lock(groupId: string, topic: string, partition: number): Promise<string | null> {
    await this.manager.query(
      `INSERT INTO consumer_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, NULL)
       ON CONFLICT (group_id, topic, partition) DO NOTHING`,
      [groupId, topic, partition],
    );
    const rows: { next_offset: string | null }[] = await this.manager.query(
      `SELECT next_offset FROM consumer_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3 FOR UPDATE`,
      [groupId, topic, partition],
    );
    return rows[0]?.next_offset == null ? null : String(rows[0].next_offset);
  }

  async save(groupId: string, topic: string, partition: number, nextOffset: string): Promise<void> {
    await this.manager.query(
      `INSERT INTO consumer_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
       ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()`,
      [groupId, topic, partition, nextOffset],
    );
  }
}
