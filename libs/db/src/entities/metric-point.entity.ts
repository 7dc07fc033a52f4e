import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Keyed by model, window, feature and metric (MetricPointsKey1796400000000). */
@Entity({ name: 'metric_points' })
export class MetricPointEntity {
  @PrimaryColumn({ name: 'model_id', type: 'text', primaryKeyConstraintName: 'metric_points_key' })
  modelId!: string;

  @PrimaryColumn({ name: 'window_start', type: 'timestamptz', primaryKeyConstraintName: 'metric_points_key' })
  windowStart!: Date;

  @PrimaryColumn({ name: 'window_end', type: 'timestamptz', primaryKeyConstraintName: 'metric_points_key' })
  windowEnd!: Date;

  /** '' for model-level metrics. */
  @PrimaryColumn({ type: 'text', default: '', primaryKeyConstraintName: 'metric_points_key' })
  feature!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'metric_points_key' })
  metric!: string;

  @Column({ type: 'double precision' })
  value!: number;

  @Column({ type: 'jsonb', nullable: true })
  detail!: Record<string, unknown> | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
