import type { EntityManager } from 'typeorm';

/** The performance summary of a model's labelled predictions whose event time is in one pane. */
export interface PerformancePane {
  modelId: string;
  paneStart: Date;
  labelled: number;
  summary: unknown;
}

export interface PerformancePaneRepository {
  /** The model's panes starting in [from, to), by start. */
  range(modelId: string, from: Date, to: Date): Promise<PerformancePane[]>;
  save(panes: PerformancePane[]): Promise<void>;
  /** Deletes the model's panes starting before `before`; returns the count. */
  deleteBefore(modelId: string, before: Date): Promise<number>;
}

interface PaneRow {
  model_id: string;
  pane_start: Date;
  labelled: number;
  summary: unknown;
}

export class TypeOrmPerformancePaneRepository implements PerformancePaneRepository {
  constructor(private readonly manager: EntityManager) {}

  async range(modelId: string, from: Date, to: Date): Promise<PerformancePane[]> {
    const rows: PaneRow[] = await this.manager.query(
      `SELECT model_id, pane_start, labelled, summary FROM performance_panes
       WHERE model_id = $1 AND pane_start >= $2 AND pane_start < $3 ORDER BY pane_start`,
      [modelId, from.toISOString(), to.toISOString()],
    );
    return rows.map((r) => ({
      modelId: r.model_id,
      paneStart: r.pane_start,
      labelled: r.labelled,
      summary: r.summary,
    }));
  }

  async save(panes: PerformancePane[]): Promise<void> {
    if (panes.length === 0) return;
    await this.manager.query(
      `INSERT INTO performance_panes (model_id, pane_start, labelled, summary)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::int[], $4::jsonb[])
       ON CONFLICT (model_id, pane_start) DO UPDATE
         SET labelled = EXCLUDED.labelled, summary = EXCLUDED.summary, updated_at = now()`,
      [
        panes.map((p) => p.modelId),
        panes.map((p) => p.paneStart.toISOString()),
        panes.map((p) => p.labelled),
        panes.map((p) => JSON.stringify(p.summary)),
      ],
    );
  }

  async deleteBefore(modelId: string, before: Date): Promise<number> {
    const [, count]: [unknown[], number] = await this.manager.query(
      `DELETE FROM performance_panes WHERE model_id = $1 AND pane_start < $2`,
      [modelId, before.toISOString()],
    );
    return count;
  }
}
