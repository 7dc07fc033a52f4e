import { SIGNATURE_HEADER, signWebhook } from '@driftline/contracts';
import type {
  AttemptResult,
  ClaimedDelivery,
  PipelineRecord,
  PipelineRepository,
  RetrainDeliveryRepository,
} from '@driftline/db';
import type { Clock, Logger, BackoffPolicy, ServiceMetrics } from '@driftline/common';
import { decideAttempt, type AttemptDecision, type SendOutcome } from './delivery.rules';
import type { WebhookClient } from './webhook.client';

export interface SenderSettings {
  sendTimeoutMs: number;
  retryBackoff: BackoffPolicy;
}

/** Deliveries taken per claim; a sender keeps claiming until fewer come back. */
export const CLAIM_SIZE = 20;

type SenderMetrics = Pick<ServiceMetrics, 'retrainDeliveries'>;

/**
 * Sends the retrain webhooks that are due. Each attempt is claimed first (counted, logged as
 * started, and leased for twice the send timeout), then POSTed, then completed with what the
 * receiver answered. A delivered one is never claimed again; one whose sender died mid-attempt is
 * due again when its lease ends and is sent with the same body and Idempotency-Key.
 */
export class DeliverySender {
  constructor(
    private readonly deliveries: Pick<RetrainDeliveryRepository, 'claimDue' | 'completeAttempt'>,
    private readonly pipelines: Pick<PipelineRepository, 'find'>,
    private readonly client: WebhookClient,
    private readonly clock: Clock,
    private readonly settings: SenderSettings,
    private readonly metrics: SenderMetrics,
    private readonly logger: Logger,
    private readonly random: () => number = Math.random,
  ) {}

  /** Sends everything due now; returns how many attempts were made. */
  async sendDue(): Promise<number> {
    const pipelines = new Map<string, Promise<PipelineRecord | null>>();
    const pipelineOf = (id: string) => {
      let found = pipelines.get(id);
      if (found === undefined) pipelines.set(id, (found = this.pipelines.find(id)));
      return found;
    };
    let attempts = 0;
    for (;;) {
      const now = this.clock.now();
      const leaseUntil = new Date(now + 2 * this.settings.sendTimeoutMs);
      const claimed = await this.deliveries.claimDue(new Date(now), leaseUntil, CLAIM_SIZE);
      await Promise.all(claimed.map(async (c) => this.attempt(c, await pipelineOf(c.pipelineId))));
      attempts += claimed.length;
      if (claimed.length < CLAIM_SIZE) return attempts;
    }
  }

  private async attempt(delivery: ClaimedDelivery, pipeline: PipelineRecord | null): Promise<void> {
    const started = this.clock.now();
    let sent: SendOutcome;
    let decision: AttemptDecision;
    if (pipeline === null) {
      sent = { kind: 'error', message: 'the pipeline was deleted' };
      decision = { outcome: 'failed', reason: 'the pipeline was deleted before delivery' };
    } else {
      sent = await this.client.post(
        pipeline.url,
        {
          'Content-Type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(pipeline.secret, delivery.body, Math.floor(started / 1000)),
          'Idempotency-Key': delivery.triggerId,
          'User-Agent': 'driftline-dispatcher',
        },
        delivery.body,
        this.settings.sendTimeoutMs,
      );
      decision = decideAttempt(
        sent,
        delivery.attempt,
        this.clock.now(),
        delivery.deadlineAt.getTime(),
        this.settings.retryBackoff,
        this.random,
      );
    }
    const finished = this.clock.now();
    const result: AttemptResult = {
      deliveryId: delivery.id,
      attempt: delivery.attempt,
      durationMs: finished - started,
      httpStatus: sent.kind === 'response' ? sent.status : null,
      error:
        sent.kind === 'error' ? sent.message : decision.outcome === 'delivered' ? null : sent.body || null,
      outcome: decision.outcome,
      nextAttemptAt: decision.outcome === 'retry' ? new Date(decision.at) : null,
      reason: decision.outcome === 'failed' ? decision.reason : null,
      finishedAt: decision.outcome === 'retry' ? null : new Date(finished),
    };
    const current = await this.deliveries.completeAttempt(result);
    this.report(delivery, decision, current);
  }

  private report(delivery: ClaimedDelivery, decision: AttemptDecision, current: boolean): void {
    const context = {
      deliveryId: delivery.id,
      triggerId: delivery.triggerId,
      pipelineId: delivery.pipelineId,
      modelId: delivery.modelId,
      attempt: delivery.attempt,
    };
    if (!current) {
      this.logger.warn(context, 'retrain webhook attempt finished after its lease; a later attempt owns it');
      return;
    }
    switch (decision.outcome) {
      case 'delivered':
        this.metrics.retrainDeliveries.inc({ status: 'delivered' });
        this.logger.info(context, 'retrain webhook delivered');
        return;
      case 'retry':
        this.logger.warn(
          { ...context, problem: decision.problem, nextAttemptAt: new Date(decision.at).toISOString() },
          'retrain webhook attempt failed; retrying',
        );
        return;
      case 'failed':
        this.metrics.retrainDeliveries.inc({ status: 'failed' });
        this.logger.error({ ...context, reason: decision.reason }, 'retrain webhook failed');
        return;
    }
  }
}
