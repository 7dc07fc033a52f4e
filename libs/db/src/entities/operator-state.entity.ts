import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Keyed JSON state of the monitor, one document per model and key (text holding JSON, see StateAsText). */
abstract class OperatorStateColumns {
  @PrimaryColumn({ name: 'model_id', type: 'text' })
  modelId!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  state!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity({ name: 'window_state' })
export class WindowStateEntity extends OperatorStateColumns {}

@Entity({ name: 'pane_state' })
export class PaneStateEntity extends OperatorStateColumns {}
