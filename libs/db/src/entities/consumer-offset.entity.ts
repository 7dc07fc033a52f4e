import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The next offset to consume per consumer group and partition: written in the batch's own transaction. */
@Entity({ name: 'consumer_offsets' })
export class ConsumerOffsetEntity {
  @PrimaryColumn({ name: 'group_id', type: 'text' })
  groupId!: string;

  @PrimaryColumn({ type: 'text' })
  topic!: string;

  @PrimaryColumn({ type: 'integer' })
  partition!: number;

  /** Null until the first batch of the partition commits. */
  @Column({ name: 'next_offset', type: 'bigint', nullable: true })
  nextOffset!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
