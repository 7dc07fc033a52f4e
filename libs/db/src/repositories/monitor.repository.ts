import type { EntityManager } from 'typeorm';

export interface MonitorRecord {
  monitorId: string;
  modelId: string;
  /** The MonitorSpec as checked by libs/contracts checkMonitorSpec. */
  spec: Record<string, unknown>;
  /** The threshold "auto" chose; null for a numeric threshold. */
  autoThreshold: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MonitorQuery {
  modelId?: string;
  /** Monitors whose id sorts after this one (the cursor of the previous page). */
  afterId?: string;
  limit: number;
}

/** The api is the only writer; the monitor reads the monitors of the models whose windows closed. */
export interface MonitorRepository {
  /** Null when the monitor id is taken. */
  create(monitor: Omit<MonitorRecord, 'createdAt' | 'updatedAt'>): Promise<MonitorRecord | null>;
  /** Null when there is no such monitor. */
  replace(monitor: Omit<MonitorRecord, 'createdAt' | 'updatedAt'>): Promise<MonitorRecord | null>;
  delete(monitorId: string): Promise<boolean>;
  find(monitorId: string): Promise<MonitorRecord | null>;
  list(query: MonitorQuery): Promise<MonitorRecord[]>;
  forModels(modelIds: string[]): Promise<MonitorRecord[]>;
}

interface MonitorRow {
  monitor_id: string;
  model_id: string;
  spec: Record<string, unknown>;
  auto_threshold: number | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'monitor_id, model_id, spec, auto_threshold, created_at, updated_at';

const toRecord = (r: MonitorRow): MonitorRecord => ({
  monitorId: r.monitor_id,
  modelId: r.model_id,
  spec: r.spec,
  autoThreshold: r.auto_threshold,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** TypeORM's query() answers an UPDATE … RETURNING with [rows, affectedCount], an INSERT with rows. */
function returnedRows<T>(result: unknown[]): T[] {
  return (Array.isArray(result[0]) ? result[0] : result) as T[];
}

export class TypeOrmMonitorRepository implements MonitorRepository {
  constructor(private readonly manager: EntityManager) {}

  async create(m: Omit<MonitorRecord, 'createdAt' | 'updatedAt'>): Promise<MonitorRecord | null> {
    const rows: MonitorRow[] = await this.manager.query(
      `INSERT INTO monitors (monitor_id, model_id, spec, auto_threshold) VALUES ($1, $2, $3, $4)
       ON CONFLICT (monitor_id) DO NOTHING RETURNING ${COLUMNS}`,
      [m.monitorId, m.modelId, JSON.stringify(m.spec), m.autoThreshold],
    );
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  async replace(m: Omit<MonitorRecord, 'createdAt' | 'updatedAt'>): Promise<MonitorRecord | null> {
    const result: unknown[] = await this.manager.query(
      `UPDATE monitors SET model_id = $2, spec = $3, auto_threshold = $4, updated_at = now()
       WHERE monitor_id = $1 RETURNING ${COLUMNS}`,
      [m.monitorId, m.modelId, JSON.stringify(m.spec), m.autoThreshold],
    );
    const [row] = returnedRows<MonitorRow>(result);
    return row === undefined ? null : toRecord(row);
  }

  async delete(monitorId: string): Promise<boolean> {
    const result: unknown[] = await this.manager.query(
      `DELETE FROM monitors WHERE monitor_id = $1 RETURNING monitor_id`,
      [monitorId],
    );
    return returnedRows<{ monitor_id: string }>(result).length > 0;
  }

  async find(monitorId: string): Promise<MonitorRecord | null> {
    const rows: MonitorRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM monitors WHERE monitor_id = $1`,
      [monitorId],
    );
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  async list(query: MonitorQuery): Promise<MonitorRecord[]> {
    const rows: MonitorRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM monitors
       WHERE ($1::text IS NULL OR model_id = $1) AND ($2::text IS NULL OR monitor_id > $2)
       ORDER BY monitor_id LIMIT $3`,
      [query.modelId ?? null, query.afterId ?? null, query.limit],
    );
    return rows.map(toRecord);
  }

  async forModels(modelIds: string[]): Promise<MonitorRecord[]> {
    if (modelIds.length === 0) return [];
    const rows: MonitorRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM monitors WHERE model_id = ANY($1::text[]) ORDER BY monitor_id`,
      [modelIds],
    );
    return rows.map(toRecord);
  }
}
