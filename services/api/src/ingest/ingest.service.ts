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
import { jsonObjects } from './json.objects';

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

  /** `raw`: the body's bytes, when the parser kept them; each event is then published as it came. */
  ingestPredictions(body: unknown, raw?: Buffer): Promise<IngestResult> {
    return this.ingest<PredictionEvent>(
      body,
      raw,
      validatePredictionEvent,
      this.config.kafka.topics.predictions,
    );
  }

  ingestGroundTruth(body: unknown, raw?: Buffer): Promise<IngestResult> {
    return this.ingest<GroundTruthEvent>(
      body,
      raw,
      validateGroundTruthEvent,
      this.config.kafka.topics.groundTruth,
    );
  }

  /** All or nothing: one invalid item rejects the request, so a client can retry it whole. */
  private async ingest<T extends { modelId: string }>(
    body: unknown,
    raw: Buffer | undefined,
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
    // the bytes of each event as sent (validated above as parsed from them), else serialised again
    const sent = raw === undefined ? null : jsonObjects(raw);
    const json = sent !== null && sent.length === events.length ? sent : null;
    await publishOrUnavailable(
      this.publisher,
      topic,
      events.map((event, i) => ({ key: event.modelId, value: event, json: json?.[i] })),
      this.config.ingest.publishTimeoutMs,
      'events',
    );
    return { accepted: events.length };
  }
}
