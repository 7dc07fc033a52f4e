import type { EntityManager } from 'typeorm';

export interface AlertRecord {
  alertId: string;
  fingerprint: string;
  status: 'firing' | 'resolved';
  severity: string;
  modelId: string;
  monitorId: string;
  metric: string;
  /** Null for model-level metrics. */
  feature: string | null;
  /** The metric's value in the last window evaluated for the alert. */
  value: number;
  threshold: number;
  windowStart: Date;
  windowEnd: Date;
  startsAt: Date;
  endsAt: Date | null;
  summary: string;
  /** Top drifted features, the monitor's labels, the episode's retrain trigger id. */
  evidence: Record<string, unknown>;
}

export interface StoredAlert extends AlertRecord {
  updatedAt: Date;
}

export interface AlertQuery {
  status?: 'firing' | 'resolved';
  modelId?: string;
  /** Alerts that sort after this one, newest first (the cursor of the previous page). */
  after?: { startsAt: Date; alertId: string };
  limit: number;
}

/** The monitor is the only writer (in the batch transaction); the api reads. */
export interface AlertRepository {
  save(alerts: AlertRecord[]): Promise<void>;
  find(alertId: string): Promise<StoredAlert | null>;
  /** Newest first (startsAt, then id). */
  list(query: AlertQuery): Promise<StoredAlert[]>;
  /** How many alerts fire now, by severity (for the alerts-firing gauge). */
  countFiring(): Promise<{ severity: string; count: number }[]>;
}

interface AlertRow {
  id: string;
  fingerprint: string;
  status: 'firing' | 'resolved';
  severity: string;
  model_id: string;
  monitor_id: string;
  metric: string;
  feature: string | null;
  value: number;
  threshold: number;
  window_start: Date;
  window_end: Date;
  starts_at: Date;
  ends_at: Date | null;
  summary: string;
  evidence: Record<string, unknown>;
  updated_at: Date;
}

const COLUMNS = `id, fingerprint, status, severity, model_id, monitor_id, metric, feature, value, threshold,
  window_start, window_end, starts_at, ends_at, summary, evidence, updated_at`;

const toStored = (r: AlertRow): StoredAlert => ({
  alertId: r.id,
  fingerprint: r.fingerprint,
  status: r.status,
  severity: r.severity,
  modelId: r.model_id,
  monitorId: r.monitor_id,
  metric: r.metric,
  feature: r.feature,
  value: r.value,
  threshold: r.threshold,
  windowStart: r.window_start,
  windowEnd: r.window_end,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  summary: r.summary,
  evidence: r.evidence,
  updatedAt: r.updated_at,
});

export class TypeOrmAlertRepository implements AlertRepository {
  constructor(private readonly manager: EntityManager) {}

  async save(alerts: AlertRecord[]): Promise<void> {
    for (const a of alerts) {
      await this.manager.query(
        `INSERT INTO alerts (id, fingerprint, status, severity, model_id, monitor_id, metric, feature, value,
           threshold, window_start, window_end, starts_at, ends_at, summary, evidence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, severity = EXCLUDED.severity,
           value = EXCLUDED.value, threshold = EXCLUDED.threshold, window_start = EXCLUDED.window_start,
           window_end = EXCLUDED.window_end, ends_at = EXCLUDED.ends_at, summary = EXCLUDED.summary,
           evidence = EXCLUDED.evidence, updated_at = now()`,
        [
          a.alertId,
          a.fingerprint,
          a.status,
          a.severity,
          a.modelId,
          a.monitorId,
          a.metric,
          a.feature,
          a.value,
          a.threshold,
          a.windowStart,
          a.windowEnd,
          a.startsAt,
          a.endsAt,
          a.summary,
          JSON.stringify(a.evidence),
        ],
      );
    }
  }

  async find(alertId: string): Promise<StoredAlert | null> {
    const rows: AlertRow[] = await this.manager.query(`SELECT ${COLUMNS} FROM alerts WHERE id = $1`, [
      alertId,
    ]);
    return rows[0] === undefined ? null : toStored(rows[0]);
  }

  async list(query: AlertQuery): Promise<StoredAlert[]> {
    const rows: AlertRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM alerts
       WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR model_id = $2)
         AND ($3::timestamptz IS NULL OR (starts_at, id) < ($3, $4::text))
       ORDER BY starts_at DESC, id DESC LIMIT $5`,
      [
        query.status ?? null,
        query.modelId ?? null,
        query.after?.startsAt ?? null,
        query.after?.alertId ?? null,
        query.limit,
      ],
    );
    return rows.map(toStored);
  }

  async countFiring(): Promise<{ severity: string; count: number }[]> {
    const rows: { severity: string; count: string }[] = await this.manager.query(
      `SELECT severity, count(*) AS count FROM alerts WHERE status = 'firing' GROUP BY severity`,
    );
    return rows.map((r) => ({ severity: r.severity, count: Number(r.count) }));
  }
}
