import type { EntityManager } from 'typeorm';

export interface ModelRecord {
  id: string;
  description: string | null;
  /** The model's registered spec; {} for a model only seen in events. */
  settings: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface ModelRepository {
  /** Registers models seen in events; existing rows are left untouched. */
  ensure(ids: string[]): Promise<void>;
  findAll(): Promise<ModelRecord[]>;
  /** Registered models (with settings) by id, `limit` of them after `afterId`. */
  listRegistered(afterId: string | undefined, limit: number): Promise<ModelRecord[]>;
  find(id: string): Promise<ModelRecord | null>;
  /**
   * Stores the settings of a new model, or of one so far only seen in events (settings {});
   * null when the model already has settings.
   */
  register(
    id: string,
    description: string | null,
    settings: Record<string, unknown>,
  ): Promise<ModelRecord | null>;
  /** Replaces the description and settings of a stored model; null when there is none. */
  update(
    id: string,
    description: string | null,
    settings: Record<string, unknown>,
  ): Promise<ModelRecord | null>;
}

interface ModelRow {
  id: string;
  description: string | null;
  settings: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, description, settings, created_at, updated_at';

function toRecord(row: ModelRow): ModelRecord {
  return {
    id: row.id,
    description: row.description,
    settings: row.settings,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** TypeORM's query() answers an UPDATE … RETURNING with [rows, affectedCount], an INSERT with rows. */
function returnedRows<T>(result: unknown[]): T[] {
  return (Array.isArray(result[0]) ? result[0] : result) as T[];
}

export class TypeOrmModelRepository implements ModelRepository {
  constructor(private readonly manager: EntityManager) {}

  async ensure(ids: string[]): Promise<void> {
    const unique = [...new Set(ids)].sort();
    if (unique.length === 0) return;
    await this.manager.query(
      `INSERT INTO models (id) SELECT * FROM unnest($1::text[]) ON CONFLICT (id) DO NOTHING`,
      [unique],
    );
  }

  async findAll(): Promise<ModelRecord[]> {
    const rows: ModelRow[] = await this.manager.query(`SELECT ${COLUMNS} FROM models ORDER BY id`);
    return rows.map(toRecord);
  }

  async listRegistered(afterId: string | undefined, limit: number): Promise<ModelRecord[]> {
    const rows: ModelRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM models
       WHERE settings <> '{}'::jsonb AND ($1::text IS NULL OR id > $1)
       ORDER BY id LIMIT $2`,
      [afterId ?? null, limit],
    );
    return rows.map(toRecord);
  }

  async find(id: string): Promise<ModelRecord | null> {
    const rows: ModelRow[] = await this.manager.query(`SELECT ${COLUMNS} FROM models WHERE id = $1`, [id]);
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  register(
    id: string,
    description: string | null,
    settings: Record<string, unknown>,
  ): Promise<ModelRecord | null> {
    return this.writeOne(
      `INSERT INTO models (id, description, settings) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (id) DO UPDATE
         SET description = EXCLUDED.description, settings = EXCLUDED.settings, updated_at = now()
         WHERE models.settings = '{}'::jsonb
       RETURNING ${COLUMNS}`,
      [id, description, JSON.stringify(settings)],
    );
  }

  update(
    id: string,
    description: string | null,
    settings: Record<string, unknown>,
  ): Promise<ModelRecord | null> {
    return this.writeOne(
      `UPDATE models SET description = $2, settings = $3::jsonb, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, description, JSON.stringify(settings)],
    );
  }

  /** A write that returns the row it wrote, or none. */
  private async writeOne(sql: string, parameters: unknown[]): Promise<ModelRecord | null> {
    const rows = returnedRows<ModelRow>(await this.manager.query(sql, parameters));
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }
}
