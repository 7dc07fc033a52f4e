import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'alerts' })
@Index('alerts_fingerprint_idx', ['fingerprint', 'startsAt'])
@Index('alerts_model_idx', ['modelId', 'startsAt'])
export class AlertEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  fingerprint!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text' })
  severity!: string;

  @Column({ name: 'model_id', type: 'text' })
  modelId!: string;

  @Column({ name: 'monitor_id', type: 'text' })
  monitorId!: string;

  @Column({ type: 'text' })
  metric!: string;

  @Column({ type: 'text', nullable: true })
  feature!: string | null;

  @Column({ type: 'double precision' })
  value!: number;

  @Column({ type: 'double precision' })
  threshold!: number;

  @Column({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @Column({ name: 'window_end', type: 'timestamptz' })
  windowEnd!: Date;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
