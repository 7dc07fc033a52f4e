import type { EntityManager } from 'typeorm';

export interface StoredReferenceProfile {
  id: string;
  modelId: string;
  name: string;
  rowCount: number;
  profile: Record<string, unknown>;
  createdAt: Date;
}

/** Reference profiles of a model; the newest one is the one in force. */
export interface ReferenceProfileRepository {
  /** Stores a profile and returns its id. */
  save(modelId: string, name: string, rowCount: number, profile: Record<string, unknown>): Promise<string>;
  latest(modelId: string): Promise<StoredReferenceProfile | null>;
}

interface ReferenceProfileRow {
  id: string;
  model_id: string;
  name: string;
  row_count: number;
  profile: Record<string, unknown>;
  created_at: Date;
}

export class TypeOrmReferenceProfileRepository implements ReferenceProfileRepository {
  constructor(private readonly manager: EntityManager) {}

  async save(
    modelId: string,
    name: string,
    rowCount: number,
    profile: Record<string, unknown>,
  ): Promise<string> {
    const rows: { id: string }[] = await this.manager.query(
      `INSERT INTO reference_profiles (model_id, name, row_count, profile)
       VALUES ($1, $2, $3, $4::jsonb) RETURNING id`,
      [modelId, name, rowCount, JSON.stringify(profile)],
    );
    return rows[0].id;
  }

  async latest(modelId: string): Promise<StoredReferenceProfile | null> {
    const rows: ReferenceProfileRow[] = await this.manager.query(
      `SELECT id, model_id, name, row_count, profile, created_at FROM reference_profiles
       WHERE model_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [modelId],
    );
    if (rows.length === 0) return null;
    const row = rows[0];
    return {
      id: row.id,
      modelId: row.model_id,
      name: row.name,
      rowCount: row.row_count,
      profile: row.profile,
      createdAt: row.created_at,
    };
  }
}
