import type { EntityManager } from 'typeorm';

/** The merged pane summary of one evaluated window of a model. */
export interface StoredWindowSummary {
  modelId: string;
  windowStart: Date;
  windowEnd: Date;
  summary: unknown;
}

export interface WindowSummaryRepository {
  /** Stores the summaries; a window stored again (re-evaluated) is overwritten. */
  save(summaries: StoredWindowSummary[]): Promise<void>;
  find(modelId: string, windowStart: Date, windowEnd: Date): Promise<StoredWindowSummary | null>;
  /** Deletes the model's summaries of windows ending before `before`; returns the count. */
  deleteBefore(modelId: string, before: Date): Promise<number>;
}

interface SummaryRow {
  model_id: string;
  window_start: Date;
  window_end: Date;
  summary: unknown;
}

export class TypeOrmWindowSummaryRepository implements WindowSummaryRepository {
  constructor(private readonly manager: EntityManager) {}

  async save(summaries: StoredWindowSummary[]): Promise<void> {
    if (summaries.length === 0) return;
    await this.manager.query(
      `INSERT INTO window_summaries (model_id, window_start, window_end, summary)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::json[])
       ON CONFLICT (model_id, window_start, window_end) DO UPDATE SET summary = EXCLUDED.summary`,
      [
        summaries.map((s) => s.modelId),
        summaries.map((s) => s.windowStart.toISOString()),
        summaries.map((s) => s.windowEnd.toISOString()),
        summaries.map((s) => JSON.stringify(s.summary)),
      ],
    );
  }

  async find(modelId: string, windowStart: Date, windowEnd: Date): Promise<StoredWindowSummary | null> {
    const rows: SummaryRow[] = await this.manager.query(
      `SELECT model_id, window_start, window_end, summary FROM window_summaries
       WHERE model_id = $1 AND window_start = $2 AND window_end = $3`,
      [modelId, windowStart.toISOString(), windowEnd.toISOString()],
    );
    if (rows.length === 0) return null;
    const [row] = rows;
    return {
      modelId: row.model_id,
      windowStart: row.window_start,
      windowEnd: row.window_end,
      summary: row.summary,
    };
  }

  async deleteBefore(modelId: string, before: Date): Promise<number> {
    const [, count]: [unknown[], number] = await this.manager.query(
      `DELETE FROM window_summaries WHERE model_id = $1 AND window_end < $2`,
      [modelId, before.toISOString()],
    );
    return count;
  }
}
