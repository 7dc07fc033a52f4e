import { Inject, Injectable } from '@nestjs/common';
import {
  validateGroundTruthEvent,
  validatePredictionEvent,
  type EventValidator,
  type GroundTruthEvent,
  type PredictionEvent,
} from '@driftline/contracts';
import { DRIFTLINE_CONFIG, type DriftlineConfig } from '@driftline/config';
import type { EventPublisher } from '@driftline/kafka';
import { ApiError } from '@driftline/common';
import { EVENT_PUBLISHER } from '../tokens';
import { publishOrUnavailable } from './event.publishing';

export interface IngestResult {
  accepted: number;
}

export interface InvalidItem {
  index: number;
  errors: string[];
}

@Injectable()
export class IngestService {
  constructor(
    @Inject(EVENT_PUBLISHER) private readonly publisher: EventPublisher,
    @Inject(DRIFTLINE_CONFIG) private readonly config: DriftlineConfig,
  ) {}

  ingestPredictions(body: unknown): Promise<IngestResult> {
    return this.ingest<PredictionEvent>(body, validatePredictionEvent, this.config.kafka.topics.predictions);
  }

  ingestGroundTruth(body: unknown): Promise<IngestResult> {
    return this.ingest<GroundTruthEvent>(
      body,
      validateGroundTruthEvent,
      this.config.kafka.topics.groundTruth,
    );
  }

  /** All or nothing: one invalid item rejects the request, so a client can retry it whole. */
  private async ingest<T extends { modelId: string }>(
    body: unknown,
    validate: EventValidator<T>,
    topic: string,
  ): Promise<IngestResult> {
    if (body === undefined) {
      throw new ApiError(415, 'unsupported_media_type', 'send the events as application/json');
    }
    const items = Array.isArray(body) ? body : [body];
    const { maxBatch } = this.config.ingest;
    if (items.length === 0) throw new ApiError(400, 'empty_batch', 'the array holds no events');
    if (items.length > maxBatch) {
      throw new ApiError(413, 'batch_too_large', `at most ${maxBatch} events per request`, {
        maxBatch,
        received: items.length,
      });
    }
    const events: T[] = [];
    const invalid: InvalidItem[] = [];
    items.forEach((item, index) => {
      const result = validate(item);
      if (result.ok) events.push(result.value);
      else invalid.push({ index, errors: result.errors });
    });
    if (invalid.length > 0) {
      throw new ApiError(
        400,
        'invalid_events',
        `${invalid.length} of ${items.length} events are invalid`,
        invalid,
      );
    }
    await publishOrUnavailable(
      this.publisher,
      topic,
      events.map((event) => ({ key: event.modelId, value: event })),
      this.config.ingest.publishTimeoutMs,
      'events',
    );
    return { accepted: events.length };
  }
}
