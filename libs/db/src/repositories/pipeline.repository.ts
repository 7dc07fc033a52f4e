import type { LabelMatcher } from '@driftline/contracts';
import type { EntityManager } from 'typeorm';
import { returnedRows } from './returned.rows';

export interface PipelineRecord {
  id: string;
  url: string;
  /** For signing; the api never returns it. */
  secret: string;
  matchers: LabelMatcher[];
  cooldownMs: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface PipelineWrite {
  id: string;
  url: string;
  /** null on replace: keep the stored secret. */
  secret: string | null;
  matchers: LabelMatcher[];
  cooldownMs: number;
}

export interface PipelinePageQuery {
  /** Pipelines with an id after this one (the previous page's last). */
  afterId?: string;
  limit: number;
}

/** Retraining pipelines; the api writes them, the dispatcher reads them. */
export interface PipelineRepository {
  /** null when a pipeline with that id exists. */
  create(pipeline: PipelineWrite & { secret: string }): Promise<PipelineRecord | null>;
  /** null when there is no such pipeline. */
  replace(pipeline: PipelineWrite): Promise<PipelineRecord | null>;
  /** Whether there was one to delete. */
  delete(id: string): Promise<boolean>;
  find(id: string): Promise<PipelineRecord | null>;
  /** By id. */
  page(query: PipelinePageQuery): Promise<PipelineRecord[]>;
  findAll(): Promise<PipelineRecord[]>;
}

interface PipelineRow {
  id: string;
  url: string;
  secret: string;
  matchers: LabelMatcher[];
  cooldown_ms: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, url, secret, matchers, cooldown_ms, created_at, updated_at';

const toRecord = (row: PipelineRow): PipelineRecord => ({
  id: row.id,
  url: row.url,
  secret: row.secret,
  matchers: row.matchers,
  cooldownMs: Number(row.cooldown_ms),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The error's message and SQLSTATE code, nothing it was given. */
function withoutSecret(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return Object.assign(
    new Error(`pipeline write failed: ${message}`),
    typeof code === 'string' ? { code } : {},
  );
}

export class TypeOrmPipelineRepository implements PipelineRepository {
  constructor(private readonly manager: EntityManager) {}

  create(pipeline: PipelineWrite & { secret: string }): Promise<PipelineRecord | null> {
    return this.writeOne(
      `INSERT INTO pipelines (id, url, secret, matchers, cooldown_ms) VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
      [pipeline.id, pipeline.url, pipeline.secret, JSON.stringify(pipeline.matchers), pipeline.cooldownMs],
    );
  }

  replace(pipeline: PipelineWrite): Promise<PipelineRecord | null> {
    return this.writeOne(
      `UPDATE pipelines SET url = $2, secret = COALESCE($3, secret), matchers = $4::jsonb, cooldown_ms = $5,
         updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [pipeline.id, pipeline.url, pipeline.secret, JSON.stringify(pipeline.matchers), pipeline.cooldownMs],
    );
  }

  async delete(id: string): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await this.manager.query(`DELETE FROM pipelines WHERE id = $1 RETURNING id`, [id]),
    );
    return rows.length > 0;
  }

  async find(id: string): Promise<PipelineRecord | null> {
    const rows: PipelineRow[] = await this.manager.query(`SELECT ${COLUMNS} FROM pipelines WHERE id = $1`, [
      id,
    ]);
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  async page(query: PipelinePageQuery): Promise<PipelineRecord[]> {
    const rows: PipelineRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM pipelines WHERE ($1::text IS NULL OR id > $1) ORDER BY id LIMIT $2`,
      [query.afterId ?? null, query.limit],
    );
    return rows.map(toRecord);
  }

  async findAll(): Promise<PipelineRecord[]> {
    const rows: PipelineRow[] = await this.manager.query(`SELECT ${COLUMNS} FROM pipelines ORDER BY id`);
    return rows.map(toRecord);
  }

  /**
   * A failed write throws an error of its own: TypeORM's carries the bound parameters and Postgres's
   * `detail` the failing row, the secret in both, and errors get logged.
   */
  private async writeOne(sql: string, parameters: unknown[]): Promise<PipelineRecord | null> {
    try {
      const rows = returnedRows<PipelineRow>(await this.manager.query(sql, parameters));
      return rows.length > 0 ? toRecord(rows[0]) : null;
    } catch (error) {
      throw withoutSecret(error);
    }
  }
}
