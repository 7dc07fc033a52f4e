import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'metric_points' })
@Index('metric_points_key', ['modelId', 'windowStart', 'windowEnd', 'feature', 'metric'], { unique: true })
export class MetricPointEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'model_id', type: 'text' })
  modelId!: string;

  @Column({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @Column({ name: 'window_end', type: 'timestamptz' })
  windowEnd!: Date;

  /** '' for model-level metrics. */
  @Column({ type: 'text', default: '' })
  feature!: string;

  @Column({ type: 'text' })
  metric!: string;

  @Column({ type: 'double precision' })
  value!: number;

  @Column({ type: 'jsonb', nullable: true })
  detail!: Record<string, unknown> | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
