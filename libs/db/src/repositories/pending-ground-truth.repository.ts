import type { EntityManager } from 'typeorm';
import type { PredictionLabel } from './prediction-log.repository';

export interface PendingLabel extends PredictionLabel {
  receivedAt: Date;
  expiresAt: Date;
}

/** Ground truth that arrived before its prediction, held until the prediction comes or it expires. */
export interface PendingGroundTruthRepository {
  /**
   * Holds the labels (a newer label of the same prediction replaces the held one), then keeps at
   * most `maxPerModel` per model, the most recently received; returns how many were dropped.
   */
  hold(labels: PendingLabel[], maxPerModel: number): Promise<number>;
  /** Removes and returns the held labels of these predictions. */
  take(modelId: string, predictionIds: string[]): Promise<PendingLabel[]>;
  /** Deletes the labels expired at `now`; returns the count. */
  expire(now: Date): Promise<number>;
}

interface PendingRow {
  model_id: string;
  prediction_id: string;
  label: number | string;
  received_at: Date;
  expires_at: Date;
}

export class TypeOrmPendingGroundTruthRepository implements PendingGroundTruthRepository {
  constructor(private readonly manager: EntityManager) {}

  async hold(labels: PendingLabel[], maxPerModel: number): Promise<number> {
    if (labels.length === 0) return 0;
    const byKey = new Map(labels.map((l) => [`${l.modelId}\u0000${l.predictionId}`, l]));
    const unique = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, l]) => l);
    await this.manager.query(
      `INSERT INTO pending_ground_truth (model_id, prediction_id, label, received_at, expires_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[], $5::timestamptz[])
       ON CONFLICT (model_id, prediction_id) DO UPDATE
         SET label = EXCLUDED.label, received_at = EXCLUDED.received_at, expires_at = EXCLUDED.expires_at`,
      [
        unique.map((l) => l.modelId),
        unique.map((l) => l.predictionId),
        unique.map((l) => JSON.stringify(l.label)),
        unique.map((l) => l.receivedAt.toISOString()),
        unique.map((l) => l.expiresAt.toISOString()),
      ],
    );
    let dropped = 0;
    for (const modelId of [...new Set(unique.map((l) => l.modelId))]) {
      const [, count]: [unknown[], number] = await this.manager.query(
        `DELETE FROM pending_ground_truth WHERE model_id = $1 AND prediction_id IN (
           SELECT prediction_id FROM pending_ground_truth WHERE model_id = $1
           ORDER BY received_at DESC, prediction_id DESC OFFSET $2)`,
        [modelId, maxPerModel],
      );
      dropped += count;
    }
    return dropped;
  }

  async take(modelId: string, predictionIds: string[]): Promise<PendingLabel[]> {
    if (predictionIds.length === 0) return [];
    const [rows]: [PendingRow[], number] = await this.manager.query(
      `DELETE FROM pending_ground_truth WHERE model_id = $1 AND prediction_id = ANY($2::text[])
       RETURNING model_id, prediction_id, label, received_at, expires_at`,
      [modelId, [...new Set(predictionIds)]],
    );
    return rows
      .map((r) => ({
        modelId: r.model_id,
        predictionId: r.prediction_id,
        label: r.label,
        receivedAt: r.received_at,
        expiresAt: r.expires_at,
      }))
      .sort((a, b) => (a.predictionId < b.predictionId ? -1 : a.predictionId > b.predictionId ? 1 : 0));
  }

  async expire(now: Date): Promise<number> {
    const [, count]: [unknown[], number] = await this.manager.query(
      `DELETE FROM pending_ground_truth WHERE expires_at <= $1`,
      [now.toISOString()],
    );
    return count;
  }
}
