import type { EntityManager } from 'typeorm';
import { valuesChunks } from './values.list';

/** The merged pane summary of one evaluated window of a model. */
export interface StoredWindowSummary {
  modelId: string;
  windowStart: Date;
  windowEnd: Date;
  summary: unknown;
  /** How the window closed, what its evaluation needs beside the summary (absent: stored before). */
  closed?: ClosedWindowFacts;
}

export interface ClosedWindowFacts {
  eventCount: number;
  lateEvents: number;
  duplicateEvents: number;
  /** The model's profile and window the panes were built for (its MonitoredModel.stateKey). */
  stateKey: string;
}

export interface WindowSummaryRepository {
  /** Stores the summaries; a window stored again (closed again) is overwritten, its revision counted. */
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

  /** One VALUES tuple a summary, not json[] through unnest (see TypeOrmOperatorStateRepository.save). */
  async save(summaries: StoredWindowSummary[]): Promise<void> {
    const rows = summaries.map((s) => [
      s.modelId,
      s.windowStart.toISOString(),
      s.windowEnd.toISOString(),
      JSON.stringify(s.summary),
      s.closed?.eventCount ?? null,
      s.closed?.lateEvents ?? null,
      s.closed?.duplicateEvents ?? null,
      s.closed?.stateKey ?? null,
    ]);
    const casts = ['text', 'timestamptz', 'timestamptz', 'json', 'int', 'int', 'int', 'text'];
    for (const { values, parameters } of valuesChunks(rows, casts)) {
      await this.manager.query(
        `INSERT INTO window_summaries
           (model_id, window_start, window_end, summary, event_count, late_events, duplicate_events, state_key)
         VALUES ${values}
         ON CONFLICT (model_id, window_start, window_end) DO UPDATE SET
           summary = EXCLUDED.summary, event_count = EXCLUDED.event_count,
           late_events = EXCLUDED.late_events, duplicate_events = EXCLUDED.duplicate_events,
           state_key = EXCLUDED.state_key, revision = window_summaries.revision + 1`,
        parameters,
      );
    }
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
