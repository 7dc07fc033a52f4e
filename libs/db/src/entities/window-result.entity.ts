import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'window_results' })
export class WindowResultEntity {
  @PrimaryColumn({ name: 'model_id', type: 'text' })
  modelId!: string;

  @PrimaryColumn({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @PrimaryColumn({ name: 'window_end', type: 'timestamptz' })
  windowEnd!: Date;

  @Column({ name: 'event_count', type: 'bigint' })
  eventCount!: string;

  /** The window exactly as GET /v1/models/:id/windows returns it. */
  @Column({ type: 'jsonb' })
  result!: Record<string, unknown>;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
