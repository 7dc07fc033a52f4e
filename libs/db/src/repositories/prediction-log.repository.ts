import type { EntityManager } from 'typeorm';

export interface LoggedPrediction {
  modelId: string;
  predictionId: string;
  eventTime: Date;
  prediction: number | string;
  score: number | null;
  scores: Record<string, number> | null;
}

export interface PredictionLabel {
  modelId: string;
  predictionId: string;
  label: number | string;
}

export interface LabelledPrediction extends LoggedPrediction {
  label: number | string;
}

export interface LabelOutcome {
  /** Predictions that had no label and now have this one. */
  labelled: LabelledPrediction[];
  /** Labels whose prediction is not in the log (yet). */
  unmatched: PredictionLabel[];
}

/**
 * Predictions of models with a task, kept until their label horizon. Partitioned by day of event
 * time; `ensurePartitions` must have run for a row's day before `append` (it runs outside the batch
 * transaction: adding a partition takes a lock on the parent table).
 */
export interface PredictionLogRepository {
  ensurePartitions(eventTimes: Date[]): Promise<void>;
  /** Inserts the rows; a prediction already logged (same model, id and event time) is kept as it is. */
  append(rows: LoggedPrediction[]): Promise<void>;
  /** Sets the label of each logged, unlabelled prediction; a prediction labelled before keeps its label. */
  label(labels: PredictionLabel[]): Promise<LabelOutcome>;
  /** Drops the day partitions that end at or before `before`; returns their names. */
  dropPartitionsBefore(before: Date): Promise<string[]>;
  /** Deletes a model's predictions older than `before` (its own label horizon); returns the count. */
  deleteBefore(modelId: string, before: Date): Promise<number>;
}

const DAY_MS = 86_400_000;
// Any constant works; it only has to be the same in every Driftline process.
const PARTITION_LOCK_KEY = 4_211_733_017;

const dayStart = (t: Date) => Math.floor(t.getTime() / DAY_MS) * DAY_MS;
const partitionName = (day: number) =>
  `prediction_log_${new Date(day).toISOString().slice(0, 10).replace(/-/g, '')}`;
const PARTITION_PATTERN = /^prediction_log_(\d{4})(\d{2})(\d{2})$/;

interface LogRow {
  model_id: string;
  prediction_id: string;
  event_time: Date;
  prediction: number | string;
  score: number | null;
  scores: Record<string, number> | null;
  label: number | string;
}

const keyOf = (modelId: string, predictionId: string) => `${modelId}\u0000${predictionId}`;

export class TypeOrmPredictionLogRepository implements PredictionLogRepository {
  constructor(private readonly manager: EntityManager) {}

  async ensurePartitions(eventTimes: Date[]): Promise<void> {
    const days = [...new Set(eventTimes.map(dayStart))].sort((a, b) => a - b);
    if (days.length === 0) return;
    // Asked every time rather than cached: another process may have dropped a day since.
    const absent: { name: string }[] = await this.manager.query(
      `SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NULL`,
      [days.map(partitionName)],
    );
    if (absent.length === 0) return;
    const missing = new Set(absent.map((a) => a.name));
    // Created then attached, so that the parent is only share-update-exclusive locked and
    // batches writing other days go on.
    await this.manager.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY]);
      for (const day of days) {
        const name = partitionName(day);
        if (!missing.has(name)) continue;
        const [{ exists }]: { exists: boolean }[] = await tx.query(
          `SELECT to_regclass($1) IS NOT NULL AS exists`,
          [name],
        );
        if (exists) continue;
        const from = new Date(day).toISOString();
        const to = new Date(day + DAY_MS).toISOString();
        await tx.query(
          `CREATE TABLE ${name} (LIKE prediction_log INCLUDING DEFAULTS,
             CHECK (event_time >= '${from}' AND event_time < '${to}'))`,
        );
        await tx.query(
          `ALTER TABLE prediction_log ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`,
        );
      }
    });
  }

  async append(rows: LoggedPrediction[]): Promise<void> {
    if (rows.length === 0) return;
    await this.manager.query(
      `INSERT INTO prediction_log (model_id, prediction_id, event_time, prediction, score, scores)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[], $5::float8[], $6::jsonb[])
       ON CONFLICT DO NOTHING`,
      [
        rows.map((r) => r.modelId),
        rows.map((r) => r.predictionId),
        rows.map((r) => r.eventTime.toISOString()),
        rows.map((r) => JSON.stringify(r.prediction)),
        rows.map((r) => r.score),
        rows.map((r) => (r.scores === null ? null : JSON.stringify(r.scores))),
      ],
    );
  }

  async label(labels: PredictionLabel[]): Promise<LabelOutcome> {
    if (labels.length === 0) return { labelled: [], unmatched: [] };
    // One statement cannot update a row twice: the last label of a prediction in the batch counts.
    const byKey = new Map(labels.map((l) => [keyOf(l.modelId, l.predictionId), l]));
    const unique = [...byKey.values()];
    const params = [
      unique.map((l) => l.modelId),
      unique.map((l) => l.predictionId),
      unique.map((l) => JSON.stringify(l.label)),
    ];
    const found: { model_id: string; prediction_id: string }[] = await this.manager.query(
      `SELECT DISTINCT p.model_id, p.prediction_id FROM prediction_log p
       JOIN unnest($1::text[], $2::text[]) AS i(model_id, prediction_id)
         ON p.model_id = i.model_id AND p.prediction_id = i.prediction_id`,
      params.slice(0, 2),
    );
    // Postgres UPDATE answers [rows, count] through TypeORM
    const [rows]: [LogRow[], number] = await this.manager.query(
      `UPDATE prediction_log p SET label = i.label, labelled_at = now()
       FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS i(model_id, prediction_id, label)
       WHERE p.model_id = i.model_id AND p.prediction_id = i.prediction_id AND p.label IS NULL
       RETURNING p.model_id, p.prediction_id, p.event_time, p.prediction, p.score, p.scores, p.label`,
      params,
    );
    const present = new Set(found.map((f) => keyOf(f.model_id, f.prediction_id)));
    return {
      labelled: rows
        .map((r) => ({
          modelId: r.model_id,
          predictionId: r.prediction_id,
          eventTime: r.event_time,
          prediction: r.prediction,
          score: r.score,
          scores: r.scores,
          label: r.label,
        }))
        .sort(
          (a, b) => a.eventTime.getTime() - b.eventTime.getTime() || compare(a.predictionId, b.predictionId),
        ),
      unmatched: unique.filter((l) => !present.has(keyOf(l.modelId, l.predictionId))),
    };
  }

  async dropPartitionsBefore(before: Date): Promise<string[]> {
    const rows: { name: string }[] = await this.manager.query(
      `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
       WHERE p.relname = 'prediction_log'`,
    );
    const dropped: string[] = [];
    for (const { name } of rows) {
      const match = PARTITION_PATTERN.exec(name);
      if (!match) continue;
      const end = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + DAY_MS;
      if (end > before.getTime()) continue;
      await this.manager.query(`DROP TABLE IF EXISTS ${name}`);
      dropped.push(name);
    }
    return dropped;
  }

  async deleteBefore(modelId: string, before: Date): Promise<number> {
    const result: [unknown[], number] = await this.manager.query(
      `DELETE FROM prediction_log WHERE model_id = $1 AND event_time < $2`,
      [modelId, before.toISOString()],
    );
    return result[1];
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
