import type { EntityManager } from 'typeorm';
import { returnedRows } from './returned.rows';

export const RETRAIN_DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'skipped'] as const;
export type RetrainDeliveryStatus = (typeof RETRAIN_DELIVERY_STATUSES)[number];
export type AttemptOutcome = 'delivered' | 'retry' | 'failed';

/** A trigger for one pipeline, as the consumer records it before anything is sent. */
export interface NewRetrainDelivery {
  triggerId: string;
  pipelineId: string;
  modelId: string;
  /** The body every attempt sends. */
  body: string;
  status: 'pending' | 'skipped';
  /** Why it was skipped. */
  reason: string | null;
  recordedAt: Date;
  /** Pending: when it is first due, and the last moment an attempt may start. */
  nextAttemptAt: Date | null;
  deadlineAt: Date | null;
}

/** The last trigger of a model recorded for delivery to a pipeline. */
export interface RetrainCooldown {
  triggerId: string;
  triggeredAt: Date;
}

/** A due delivery taken by one sender for one attempt, until `leaseUntil`. */
export interface ClaimedDelivery {
  id: string;
  triggerId: string;
  pipelineId: string;
  modelId: string;
  body: string;
  /** This attempt's number, from 1. */
  attempt: number;
  deadlineAt: Date;
}

export interface AttemptResult {
  deliveryId: string;
  attempt: number;
  durationMs: number;
  httpStatus: number | null;
  error: string | null;
  outcome: AttemptOutcome;
  /** retry: when the next attempt is due. */
  nextAttemptAt: Date | null;
  /** failed: why it was given up. */
  reason: string | null;
  /** delivered or failed: when. */
  finishedAt: Date | null;
}

export interface StoredAttempt {
  attempt: number;
  startedAt: Date;
  durationMs: number | null;
  httpStatus: number | null;
  error: string | null;
  /** null while in flight, or for an attempt a crash cut short. */
  outcome: AttemptOutcome | null;
}

export interface StoredRetrainDelivery {
  id: string;
  triggerId: string;
  pipelineId: string;
  modelId: string;
  body: string;
  status: RetrainDeliveryStatus;
  reason: string | null;
  attempts: StoredAttempt[];
  nextAttemptAt: Date | null;
  deadlineAt: Date | null;
  recordedAt: Date;
  finishedAt: Date | null;
}

export interface RetrainDeliveryQuery {
  pipelineId?: string;
  triggerId?: string;
  modelId?: string;
  status?: RetrainDeliveryStatus;
  /** Deliveries with an id below this one (the previous page's last). */
  beforeId?: string;
  limit: number;
}

/** The dispatcher's delivery log and cooldowns; the dispatcher writes them, the api reads the log. */
export interface RetrainDeliveryRepository {
  /** The pipelines this trigger is already recorded for. */
  recordedPipelines(triggerId: string): Promise<string[]>;
  /** The model's cooldown on the pipeline, locked until the transaction ends; null when there is none. */
  cooldown(modelId: string, pipelineId: string): Promise<RetrainCooldown | null>;
  /** Records the delivery unless its trigger is recorded for its pipeline; whether it was new. */
  record(delivery: NewRetrainDelivery): Promise<boolean>;
  /** The cooldown from this trigger on, unless a later one is stored. */
  startCooldown(modelId: string, pipelineId: string, cooldown: RetrainCooldown): Promise<void>;
  /**
   * Takes up to `limit` pending deliveries due at `now` (SKIP LOCKED: parallel senders take different
   * ones), counts an attempt for each, logs it as started, and makes it due again at `leaseUntil`.
   */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]>;
  /**
   * Writes the attempt's answer and the delivery's new state; the delivery is left alone (false)
   * when this attempt is no longer its latest, i.e. the lease ran out and another attempt began.
   */
  completeAttempt(result: AttemptResult): Promise<boolean>;
  /** Newest first, with their attempts. */
  findPage(query: RetrainDeliveryQuery): Promise<StoredRetrainDelivery[]>;
}

interface DeliveryRow {
  id: string;
  trigger_id: string;
  pipeline_id: string;
  model_id: string;
  body: string;
  status: RetrainDeliveryStatus;
  reason: string | null;
  next_attempt_at: Date | null;
  deadline_at: Date | null;
  recorded_at: Date;
  finished_at: Date | null;
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  started_at: Date;
  duration_ms: number | null;
  http_status: number | null;
  error: string | null;
  outcome: AttemptOutcome | null;
}

const STATUS_AFTER: Record<AttemptOutcome, RetrainDeliveryStatus> = {
  delivered: 'delivered',
  retry: 'pending',
  failed: 'failed',
};

/** What a claimed and a stored delivery share. */
const identity = (r: Pick<DeliveryRow, 'id' | 'trigger_id' | 'pipeline_id' | 'model_id' | 'body'>) => ({
  id: String(r.id),
  triggerId: r.trigger_id,
  pipelineId: r.pipeline_id,
  modelId: r.model_id,
  body: r.body,
});

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

export class TypeOrmRetrainDeliveryRepository implements RetrainDeliveryRepository {
  constructor(private readonly manager: EntityManager) {}

  async recordedPipelines(triggerId: string): Promise<string[]> {
    const rows: { pipeline_id: string }[] = await this.manager.query(
      `SELECT pipeline_id FROM retrain_deliveries WHERE trigger_id = $1`,
      [triggerId],
    );
    return rows.map((r) => r.pipeline_id);
  }

  async cooldown(modelId: string, pipelineId: string): Promise<RetrainCooldown | null> {
    const rows: { trigger_id: string; triggered_at: Date }[] = await this.manager.query(
      `SELECT trigger_id, triggered_at FROM retrain_cooldowns
       WHERE model_id = $1 AND pipeline_id = $2 FOR UPDATE`,
      [modelId, pipelineId],
    );
    return rows.length > 0 ? { triggerId: rows[0].trigger_id, triggeredAt: rows[0].triggered_at } : null;
  }

  async record(delivery: NewRetrainDelivery): Promise<boolean> {
    const rows: { id: string }[] = await this.manager.query(
      `INSERT INTO retrain_deliveries
         (trigger_id, pipeline_id, model_id, body, status, reason, next_attempt_at, deadline_at, recorded_at,
          finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $5 = 'skipped' THEN $9::timestamptz END)
       ON CONFLICT (trigger_id, pipeline_id) DO NOTHING RETURNING id`,
      [
        delivery.triggerId,
        delivery.pipelineId,
        delivery.modelId,
        delivery.body,
        delivery.status,
        delivery.reason,
        iso(delivery.nextAttemptAt),
        iso(delivery.deadlineAt),
        delivery.recordedAt.toISOString(),
      ],
    );
    return rows.length > 0;
  }

  async startCooldown(modelId: string, pipelineId: string, cooldown: RetrainCooldown): Promise<void> {
    await this.manager.query(
      `INSERT INTO retrain_cooldowns (model_id, pipeline_id, trigger_id, triggered_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (model_id, pipeline_id) DO UPDATE
         SET trigger_id = EXCLUDED.trigger_id, triggered_at = EXCLUDED.triggered_at
         WHERE retrain_cooldowns.triggered_at < EXCLUDED.triggered_at`,
      [modelId, pipelineId, cooldown.triggerId, cooldown.triggeredAt.toISOString()],
    );
  }

  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    const rows: (Omit<DeliveryRow, 'status' | 'reason'> & { attempts: number })[] = await this.manager.query(
      `WITH due AS (
         SELECT id FROM retrain_deliveries
         WHERE status = 'pending' AND next_attempt_at <= $1
         ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE retrain_deliveries d SET attempts = d.attempts + 1, next_attempt_at = $2
         FROM due WHERE d.id = due.id
         RETURNING d.id, d.trigger_id, d.pipeline_id, d.model_id, d.body, d.attempts, d.deadline_at
       ), started AS (
         INSERT INTO retrain_delivery_attempts (delivery_id, attempt, started_at)
         SELECT id, attempts, $1 FROM claimed
       )
       SELECT * FROM claimed ORDER BY id`,
      [now.toISOString(), leaseUntil.toISOString(), limit],
    );
    return rows.map((r) => ({ ...identity(r), attempt: r.attempts, deadlineAt: r.deadline_at ?? now }));
  }

  async completeAttempt(result: AttemptResult): Promise<boolean> {
    const answer: unknown[] = await this.manager.query(
      `WITH logged AS (
         UPDATE retrain_delivery_attempts
         SET duration_ms = $3, http_status = $4, error = $5, outcome = $6
         WHERE delivery_id = $1 AND attempt = $2
       )
       UPDATE retrain_deliveries
       SET status = $7, next_attempt_at = $8, reason = COALESCE($9, reason), finished_at = $10
       WHERE id = $1 AND attempts = $2 AND status = 'pending'
       RETURNING id`,
      [
        result.deliveryId,
        result.attempt,
        result.durationMs,
        result.httpStatus,
        result.error,
        result.outcome,
        STATUS_AFTER[result.outcome],
        iso(result.nextAttemptAt),
        result.reason,
        iso(result.finishedAt),
      ],
    );
    return returnedRows(answer).length > 0;
  }

  async findPage(query: RetrainDeliveryQuery): Promise<StoredRetrainDelivery[]> {
    const rows: DeliveryRow[] = await this.manager.query(
      `SELECT id, trigger_id, pipeline_id, model_id, body, status, reason, next_attempt_at, deadline_at,
              recorded_at, finished_at
       FROM retrain_deliveries
       WHERE ($1::text IS NULL OR pipeline_id = $1) AND ($2::text IS NULL OR trigger_id = $2)
         AND ($3::text IS NULL OR model_id = $3) AND ($4::text IS NULL OR status = $4)
         AND ($5::bigint IS NULL OR id < $5)
       ORDER BY id DESC LIMIT $6`,
      [
        query.pipelineId ?? null,
        query.triggerId ?? null,
        query.modelId ?? null,
        query.status ?? null,
        query.beforeId ?? null,
        query.limit,
      ],
    );
    if (rows.length === 0) return [];
    const attempts: AttemptRow[] = await this.manager.query(
      `SELECT delivery_id, attempt, started_at, duration_ms, http_status, error, outcome
       FROM retrain_delivery_attempts WHERE delivery_id = ANY($1::bigint[]) ORDER BY delivery_id, attempt`,
      [rows.map((r) => r.id)],
    );
    const byDelivery = new Map<string, StoredAttempt[]>();
    for (const a of attempts) {
      const list = byDelivery.get(String(a.delivery_id)) ?? [];
      list.push({
        attempt: a.attempt,
        startedAt: a.started_at,
        durationMs: a.duration_ms,
        httpStatus: a.http_status,
        error: a.error,
        outcome: a.outcome,
      });
      byDelivery.set(String(a.delivery_id), list);
    }
    return rows.map((r) => ({
      ...identity(r),
      status: r.status,
      reason: r.reason,
      attempts: byDelivery.get(String(r.id)) ?? [],
      nextAttemptAt: r.next_attempt_at,
      deadlineAt: r.deadline_at,
      recordedAt: r.recorded_at,
      finishedAt: r.finished_at,
    }));
  }
}
