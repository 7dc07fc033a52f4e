import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  validateRetrainRequest,
  validateRetrainTriggerEvent,
  type RetrainTriggerEvent,
} from '@driftline/contracts';
import { DRIFTLINE_CONFIG, type DriftlineConfig } from '@driftline/config';
import type { WindowResultRepository } from '@driftline/db';
import type { EventPublisher } from '@driftline/kafka';
import { ApiError, CLOCK, type Clock } from '@driftline/common';
import { publishOrUnavailable } from '../ingest/event.publishing';
import { ModelsService } from '../models/models.service';
import { EVENT_PUBLISHER } from '../tokens';
import { WINDOW_RESULT_REPOSITORY } from '../windows/windows.tokens';

/** The version a manual trigger carries when the request names none: the model record holds no version. */
export const UNKNOWN_MODEL_VERSION = 'unknown';

/**
 * `POST /v1/models/:id/retrain`: a RetrainTriggerEvent published to the retrain-triggers topic, as
 * the monitor publishes one when a monitor with `retrain: true` fires. The dispatcher treats both
 * alike (matchers, cooldown). The window is the model's newest evaluated window, or the moment of
 * the request when there is none.
 */
@Injectable()
export class RetrainService {
  constructor(
    private readonly models: ModelsService,
    @Inject(WINDOW_RESULT_REPOSITORY) private readonly windows: Pick<WindowResultRepository, 'latest'>,
    @Inject(EVENT_PUBLISHER) private readonly publisher: EventPublisher,
    @Inject(DRIFTLINE_CONFIG) private readonly config: DriftlineConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async trigger(modelId: string, body: unknown): Promise<{ triggerId: string }> {
    if (body === undefined) {
      throw new ApiError(415, 'unsupported_media_type', 'send { "reason" } as application/json');
    }
    const request = validateRetrainRequest(body);
    if (!request.ok) {
      throw new ApiError(
        400,
        'invalid_retrain_request',
        `the request is invalid: ${request.errors.join('; ')}`,
        request.errors,
      );
    }
    await this.models.known(modelId);
    const now = new Date(this.clock.now()).toISOString();
    const latest = await this.windows.latest(modelId);
    const event: RetrainTriggerEvent = {
      triggerId: randomUUID(),
      modelId,
      modelVersion: request.value.modelVersion ?? UNKNOWN_MODEL_VERSION,
      reason: request.value.reason,
      alertIds: [],
      windowStart: latest?.windowStart.toISOString() ?? now,
      windowEnd: latest?.windowEnd.toISOString() ?? now,
      createdAt: now,
    };
    const valid = validateRetrainTriggerEvent(event);
    if (!valid.ok) throw new ApiError(400, 'invalid_retrain_request', valid.errors.join('; '), valid.errors);
    await publishOrUnavailable(
      this.publisher,
      this.config.kafka.topics.retrainTriggers,
      [{ key: modelId, value: event }],
      this.config.ingest.publishTimeoutMs,
      'the retrain trigger',
    );
    return { triggerId: event.triggerId };
  }
}
