import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'reference_profiles' })
@Index('reference_profiles_model_idx', ['modelId', 'createdAt'])
export class ReferenceProfileEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'model_id', type: 'text' })
  modelId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'row_count', type: 'integer' })
  rowCount!: number;

  @Column({ type: 'jsonb' })
  profile!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
