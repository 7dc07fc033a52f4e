import { compile } from './event.validator';
import { labelMatcherSchema, type LabelMatcher } from './label-matcher';
import type { RetrainTriggerEvent } from './retrain-trigger.event';
import { identifier, modelIdentifier } from './schema.parts';

/** The fields of a retrain trigger a pipeline's matchers can name. */
export const PIPELINE_MATCHER_LABELS = ['modelId', 'modelVersion', 'reason'] as const;

/** When a pipeline leaves `cooldown` out. */
export const DEFAULT_PIPELINE_COOLDOWN = '6h';

/**
 * A retraining pipeline as registered through POST /v1/pipelines: where the dispatcher POSTs the
 * triggers whose labels satisfy every matcher, signed with `secret`, at most once per `cooldown` per
 * model. The secret is write-only: the API stores it and never returns it.
 */
export interface PipelineSpec {
  pipelineId: string;
  url: string;
  /** Required on create; on replace, leaving it out keeps the stored one. */
  secret?: string;
  matchers?: LabelMatcher[];
  /** A duration as parseDuration reads it ("6h", "30m", "0s" for none); default 6h. */
  cooldown?: string;
}

export const PIPELINE_SECRET_MIN_LENGTH = 16;

export const pipelineSpecSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://driftline.dev/schemas/pipeline-spec.v1.json',
  title: 'PipelineSpec',
  type: 'object',
  additionalProperties: false,
  required: ['pipelineId', 'url'],
  properties: {
    pipelineId: modelIdentifier,
    url: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000 },
    secret: { type: 'string', minLength: PIPELINE_SECRET_MIN_LENGTH, maxLength: 1000 },
    matchers: { type: 'array', maxItems: 20, items: labelMatcherSchema(PIPELINE_MATCHER_LABELS) },
    cooldown: { type: 'string', minLength: 1, maxLength: 40 },
  },
} as const;

/** Checks the shape of a pipeline spec, every reason with its path (the cooldown is parseDuration's). */
export const validatePipelineSpec = compile<PipelineSpec>(pipelineSpecSchema);

/** What a pipeline's matchers see of a trigger. */
export function triggerLabels(
  trigger: RetrainTriggerEvent,
): Record<(typeof PIPELINE_MATCHER_LABELS)[number], string> {
  return { modelId: trigger.modelId, modelVersion: trigger.modelVersion, reason: trigger.reason };
}

/** The body of POST /v1/models/:id/retrain. */
export interface RetrainRequest {
  reason: string;
  /** The version to retrain from; the API writes "unknown" when it is left out. */
  modelVersion?: string;
}

export const retrainRequestSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://driftline.dev/schemas/retrain-request.v1.json',
  title: 'RetrainRequest',
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: {
    reason: { type: 'string', minLength: 1, maxLength: 2000 },
    modelVersion: identifier,
  },
} as const;

export const validateRetrainRequest = compile<RetrainRequest>(retrainRequestSchema);
