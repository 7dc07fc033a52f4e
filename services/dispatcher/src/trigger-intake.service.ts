import { compileMatchers, triggerLabels, type RetrainTriggerEvent } from '@driftline/contracts';
import type { PipelineRepository, RetrainDeliveryRepository } from '@driftline/db';
import type { ValidBatch } from '@driftline/kafka';
import type { Clock, Logger, ServiceMetrics } from '@driftline/common';
import { decideCooldown } from './delivery.rules';

/** What the intake needs of the batch transaction. */
export interface IntakeUnitOfWork {
  pipelines: Pick<PipelineRepository, 'findAll'>;
  retrainDeliveries: Pick<
    RetrainDeliveryRepository,
    'recordedPipelines' | 'cooldown' | 'record' | 'startCooldown'
  >;
  afterCommit(effect: () => void): void;
}

type IntakeMetrics = Pick<ServiceMetrics, 'retrainTriggers' | 'retrainDeliveries'>;

/**
 * Turns consumed retrain triggers into deliveries, in the batch transaction: one per trigger and
 * matching pipeline, recorded before anything is sent, pending or (in a cooldown) skipped. A trigger
 * already recorded for a pipeline changes nothing there, so a redelivered trigger is harmless.
 */
export class TriggerIntakeService {
  constructor(
    private readonly clock: Clock,
    private readonly deliveryDeadlineMs: number,
    private readonly metrics: IntakeMetrics,
    private readonly logger: Logger,
    /** Told after a commit that recorded deliveries to send. */
    private readonly onRecorded: () => void,
  ) {}

  async record(batch: ValidBatch<RetrainTriggerEvent>, tx: IntakeUnitOfWork): Promise<void> {
    const pipelines = (await tx.pipelines.findAll()).map((pipeline) => ({
      pipeline,
      matches: compileMatchers(pipeline.matchers),
    }));
    const now = this.clock.now();
    let pending = 0;
    let skipped = 0;
    for (const { value: trigger } of batch.records) {
      const labels = triggerLabels(trigger);
      const matching = pipelines.filter((p) => p.matches(labels)).map((p) => p.pipeline);
      if (matching.length === 0) {
        this.logger.info(
          { triggerId: trigger.triggerId, modelId: trigger.modelId },
          'trigger matches no pipeline',
        );
        continue;
      }
      const recorded = new Set(await tx.retrainDeliveries.recordedPipelines(trigger.triggerId));
      const triggeredAt = Date.parse(trigger.createdAt);
      for (const pipeline of matching) {
        if (recorded.has(pipeline.id)) continue;
        const last = await tx.retrainDeliveries.cooldown(trigger.modelId, pipeline.id);
        const decision = decideCooldown(
          last && { triggerId: last.triggerId, triggeredAt: last.triggeredAt.getTime() },
          triggeredAt,
          pipeline.cooldownMs,
        );
        const base = {
          triggerId: trigger.triggerId,
          pipelineId: pipeline.id,
          modelId: trigger.modelId,
          body: JSON.stringify(trigger),
          recordedAt: new Date(now),
        };
        if (!decision.deliver) {
          const stored = await tx.retrainDeliveries.record({
            ...base,
            status: 'skipped',
            reason: decision.reason,
            nextAttemptAt: null,
            deadlineAt: null,
          });
          if (!stored) continue;
          skipped++;
          this.logger.info(
            { triggerId: trigger.triggerId, modelId: trigger.modelId, pipelineId: pipeline.id },
            `trigger skipped: ${decision.reason}`,
          );
          continue;
        }
        const stored = await tx.retrainDeliveries.record({
          ...base,
          status: 'pending',
          reason: null,
          nextAttemptAt: new Date(now),
          deadlineAt: new Date(now + this.deliveryDeadlineMs),
        });
        if (!stored) continue;
        await tx.retrainDeliveries.startCooldown(trigger.modelId, pipeline.id, {
          triggerId: trigger.triggerId,
          triggeredAt: new Date(triggeredAt),
        });
        pending++;
      }
    }
    const triggers = batch.records.length;
    tx.afterCommit(() => {
      this.metrics.retrainTriggers.inc(triggers);
      if (skipped > 0) this.metrics.retrainDeliveries.inc({ status: 'skipped' }, skipped);
      if (pending > 0) this.onRecorded();
    });
  }
}
