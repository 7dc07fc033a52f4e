import type { LabelMatcher, RetrainTriggerEvent } from '@driftline/contracts';
import type { PipelineRecord, StoredAttempt, StoredRetrainDelivery } from '@driftline/db';
import { formatDuration } from '@driftline/windowing';

/** A pipeline as the API returns it: everything but the secret. */
export interface PipelineView {
  pipelineId: string;
  url: string;
  matchers: LabelMatcher[];
  cooldown: string;
  createdAt: string;
  updatedAt: string;
}

export function mapPipeline(record: PipelineRecord): PipelineView {
  return {
    pipelineId: record.id,
    url: record.url,
    matchers: record.matchers,
    cooldown: formatDuration(record.cooldownMs),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export interface AttemptView {
  attempt: number;
  startedAt: string;
  durationMs: number | null;
  httpStatus: number | null;
  error: string | null;
  /** in_flight: being sent; interrupted: the sender stopped (a crash) before it had an answer. */
  outcome: 'delivered' | 'retry' | 'failed' | 'in_flight' | 'interrupted';
}

export interface RetrainDeliveryView {
  deliveryId: string;
  triggerId: string;
  pipelineId: string;
  modelId: string;
  status: StoredRetrainDelivery['status'];
  /** Why it was skipped (cooldown) or failed. */
  reason: string | null;
  attempts: AttemptView[];
  nextAttemptAt: string | null;
  deadlineAt: string | null;
  recordedAt: string;
  finishedAt: string | null;
  /** The body every attempt sends. */
  trigger: RetrainTriggerEvent;
}

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

function mapAttempt(delivery: StoredRetrainDelivery, attempt: StoredAttempt): AttemptView {
  const latest = attempt.attempt === delivery.attempts.at(-1)?.attempt;
  return {
    attempt: attempt.attempt,
    startedAt: attempt.startedAt.toISOString(),
    durationMs: attempt.durationMs,
    httpStatus: attempt.httpStatus,
    error: attempt.error,
    outcome: attempt.outcome ?? (latest && delivery.status === 'pending' ? 'in_flight' : 'interrupted'),
  };
}

export function mapDelivery(delivery: StoredRetrainDelivery): RetrainDeliveryView {
  return {
    deliveryId: delivery.id,
    triggerId: delivery.triggerId,
    pipelineId: delivery.pipelineId,
    modelId: delivery.modelId,
    status: delivery.status,
    reason: delivery.reason,
    attempts: delivery.attempts.map((a) => mapAttempt(delivery, a)),
    nextAttemptAt: iso(delivery.nextAttemptAt),
    deadlineAt: iso(delivery.deadlineAt),
    recordedAt: delivery.recordedAt.toISOString(),
    finishedAt: iso(delivery.finishedAt),
    trigger: JSON.parse(delivery.body) as RetrainTriggerEvent,
  };
}
