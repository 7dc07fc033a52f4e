import type { EntityManager } from 'typeorm';

/** One evaluated window of a model; `result` is the API's window JSON, stored as is. */
export interface WindowResult {
  modelId: string;
  windowStart: Date;
  windowEnd: Date;
  eventCount: number;
  result: Record<string, unknown>;
}

/** A page of a model's windows, oldest first: `limit` of them after the window `after`. */
export interface WindowPageQuery {
  from?: Date;
  to?: Date;
  after?: { windowStart: Date; windowEnd: Date };
  limit: number;
}

export interface WindowResultRepository {
  /** Writes each window, replacing a stored one with the same model, start and end. */
  upsert(rows: WindowResult[]): Promise<void>;
  /** The window of the model that ends last (the longest of those ending together), or null. */
  latest(modelId: string): Promise<WindowResult | null>;
  /** Windows starting at or after `from` and ending at or before `to`, oldest first. */
  range(modelId: string, from?: Date, to?: Date): Promise<WindowResult[]>;
  /** As range, a page at a time (by start, then end). */
  rangePage(modelId: string, page: WindowPageQuery): Promise<WindowResult[]>;
  /** Replaces `result.performance` of a stored window; false when no such window is stored. */
  patchPerformance(
    modelId: string,
    windowStart: Date,
    windowEnd: Date,
    performance: Record<string, unknown>,
  ): Promise<boolean>;
}

interface WindowResultRow {
  model_id: string;
  window_start: Date;
  window_end: Date;
  event_count: string;
  result: Record<string, unknown>;
}

const COLUMNS = 'model_id, window_start, window_end, event_count, result';

function toWindowResult(row: WindowResultRow): WindowResult {
  return {
    modelId: row.model_id,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    eventCount: Number(row.event_count),
    result: row.result,
  };
}

const keyOf = (w: WindowResult) =>
  `${w.modelId}\u0000${w.windowStart.toISOString()}\u0000${w.windowEnd.toISOString()}`;

export class TypeOrmWindowResultRepository implements WindowResultRepository {
  constructor(private readonly manager: EntityManager) {}

  async upsert(rows: WindowResult[]): Promise<void> {
    if (rows.length === 0) return;
    // ON CONFLICT cannot touch a row twice in one statement: the last write of a key wins; sorted
    // keys make concurrent writers lock rows in the same order.
    const byKey = new Map(rows.map((row) => [keyOf(row), row]));
    const unique = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
    await this.manager.query(
      `INSERT INTO window_results (${COLUMNS})
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::bigint[], $5::jsonb[])
       ON CONFLICT (model_id, window_start, window_end)
       DO UPDATE SET event_count = EXCLUDED.event_count, result = EXCLUDED.result, updated_at = now()`,
      [
        unique.map((r) => r.modelId),
        unique.map((r) => r.windowStart.toISOString()),
        unique.map((r) => r.windowEnd.toISOString()),
        unique.map((r) => r.eventCount),
        unique.map((r) => JSON.stringify(r.result)),
      ],
    );
  }

  async latest(modelId: string): Promise<WindowResult | null> {
    const rows: WindowResultRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM window_results WHERE model_id = $1
       ORDER BY window_end DESC, window_start ASC LIMIT 1`,
      [modelId],
    );
    return rows.length > 0 ? toWindowResult(rows[0]) : null;
  }

  async range(modelId: string, from?: Date, to?: Date): Promise<WindowResult[]> {
    const rows: WindowResultRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM window_results
       WHERE model_id = $1
         AND ($2::timestamptz IS NULL OR window_start >= $2)
         AND ($3::timestamptz IS NULL OR window_end <= $3)
       ORDER BY window_start, window_end`,
      [modelId, from?.toISOString() ?? null, to?.toISOString() ?? null],
    );
    return rows.map(toWindowResult);
  }

  async rangePage(modelId: string, page: WindowPageQuery): Promise<WindowResult[]> {
    const rows: WindowResultRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM window_results
       WHERE model_id = $1
         AND ($2::timestamptz IS NULL OR window_start >= $2)
         AND ($3::timestamptz IS NULL OR window_end <= $3)
         AND ($4::timestamptz IS NULL OR (window_start, window_end) > ($4, $5::timestamptz))
       ORDER BY window_start, window_end LIMIT $6`,
      [
        modelId,
        page.from?.toISOString() ?? null,
        page.to?.toISOString() ?? null,
        page.after?.windowStart.toISOString() ?? null,
        page.after?.windowEnd.toISOString() ?? null,
        page.limit,
      ],
    );
    return rows.map(toWindowResult);
  }

  async patchPerformance(
    modelId: string,
    windowStart: Date,
    windowEnd: Date,
    performance: Record<string, unknown>,
  ): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `UPDATE window_results
       SET result = jsonb_set(result, '{performance}', $4::jsonb, true), updated_at = now()
       WHERE model_id = $1 AND window_start = $2 AND window_end = $3
       RETURNING model_id`,
      [modelId, windowStart.toISOString(), windowEnd.toISOString(), JSON.stringify(performance)],
    );
    return (Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows).length > 0;
  }
}
