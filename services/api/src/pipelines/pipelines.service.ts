import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_PIPELINE_COOLDOWN,
  matcherReasons,
  validatePipelineSpec,
  type PipelineSpec,
} from '@driftline/contracts';
import {
  RETRAIN_DELIVERY_STATUSES,
  type PipelineRepository,
  type PipelineWrite,
  type RetrainDeliveryRepository,
  type RetrainDeliveryStatus,
} from '@driftline/db';
import { DurationError, parseDuration } from '@driftline/windowing';
import { ApiError } from '@driftline/common';
import { mapDelivery, mapPipeline, type PipelineView, type RetrainDeliveryView } from './pipeline.mapper';
import { PIPELINE_REPOSITORY, RETRAIN_DELIVERY_REPOSITORY } from './pipelines.tokens';

/** Longest cooldown a pipeline may have. */
const MAX_COOLDOWN_MS = 30 * 86_400_000;

export interface DeliveryFilter {
  pipelineId?: string;
  triggerId?: string;
  modelId?: string;
  status?: string;
  /** nextCursor of the previous page. */
  cursor?: string;
  limit: number;
}

const notFound = (pipelineId: string) =>
  new ApiError(404, 'pipeline_not_found', `pipeline "${pipelineId}" does not exist`, { pipelineId });

function invalid(errors: string[]): ApiError {
  return new ApiError(400, 'invalid_pipeline', `the pipeline is invalid: ${errors.join('; ')}`, errors);
}

function cooldownMs(text: string): number | string {
  try {
    const ms = parseDuration(text);
    return ms <= MAX_COOLDOWN_MS ? ms : '/cooldown: at most 30d';
  } catch (error) {
    if (error instanceof DurationError) return `/cooldown: ${error.message}`;
    throw error;
  }
}

/** The spec checked as the dispatcher will use it: its shape, its regexes, its cooldown. */
function checked(body: unknown, secretRequired: boolean): PipelineWrite {
  if (body === undefined) {
    throw new ApiError(415, 'unsupported_media_type', 'send the pipeline as application/json');
  }
  const result = validatePipelineSpec(body);
  if (!result.ok) throw invalid(result.errors);
  const spec: PipelineSpec = result.value;
  const matchers = spec.matchers ?? [];
  const cooldown = cooldownMs(spec.cooldown ?? DEFAULT_PIPELINE_COOLDOWN);
  const reasons = [
    ...(secretRequired && spec.secret === undefined ? ['/secret is required'] : []),
    ...matcherReasons(matchers),
    ...(typeof cooldown === 'string' ? [cooldown] : []),
  ];
  if (reasons.length > 0 || typeof cooldown === 'string') throw invalid(reasons);
  return { id: spec.pipelineId, url: spec.url, secret: spec.secret ?? null, matchers, cooldownMs: cooldown };
}

function deliveryStatus(status: string | undefined): RetrainDeliveryStatus | undefined {
  if (status === undefined) return undefined;
  const found = RETRAIN_DELIVERY_STATUSES.find((s) => s === status);
  if (found === undefined) {
    throw new ApiError(400, 'invalid_query', `status is one of ${RETRAIN_DELIVERY_STATUSES.join(', ')}`);
  }
  return found;
}

/** CRUD of retraining pipelines (the api is their only writer) and the read side of the delivery log. */
@Injectable()
export class PipelinesService {
  constructor(
    @Inject(PIPELINE_REPOSITORY) private readonly pipelines: PipelineRepository,
    @Inject(RETRAIN_DELIVERY_REPOSITORY) private readonly deliveries: RetrainDeliveryRepository,
  ) {}

  async create(body: unknown): Promise<PipelineView> {
    const pipeline = checked(body, true);
    const stored = await this.pipelines.create({ ...pipeline, secret: pipeline.secret ?? '' });
    if (stored === null) {
      throw new ApiError(
        409,
        'pipeline_exists',
        `pipeline "${pipeline.id}" exists; PUT /v1/pipelines/${pipeline.id} changes it`,
        { pipelineId: pipeline.id },
      );
    }
    return mapPipeline(stored);
  }

  /** The path names the pipeline; a body may leave pipelineId out, and the secret to keep the stored one. */
  async replace(pipelineId: string, body: unknown): Promise<PipelineView> {
    const withId = isObject(body) && body.pipelineId === undefined ? { ...body, pipelineId } : body;
    const pipeline = checked(withId, false);
    if (pipeline.id !== pipelineId) {
      throw new ApiError(
        400,
        'pipeline_id_mismatch',
        `the body names pipeline "${pipeline.id}", the path "${pipelineId}"`,
        { path: pipelineId, body: pipeline.id },
      );
    }
    const stored = await this.pipelines.replace(pipeline);
    if (stored === null) throw notFound(pipelineId);
    return mapPipeline(stored);
  }

  async delete(pipelineId: string): Promise<void> {
    if (!(await this.pipelines.delete(pipelineId))) throw notFound(pipelineId);
  }

  async get(pipelineId: string): Promise<PipelineView> {
    const record = await this.pipelines.find(pipelineId);
    if (record === null) throw notFound(pipelineId);
    return mapPipeline(record);
  }

  /** By id, after `afterId`. */
  async list(afterId: string | undefined, limit: number): Promise<PipelineView[]> {
    return (await this.pipelines.page({ afterId, limit })).map(mapPipeline);
  }

  /** The delivery log, newest first; 404 when `requirePipeline` names no pipeline. */
  async deliveryLog(filter: DeliveryFilter, requirePipeline = false): Promise<RetrainDeliveryView[]> {
    if (filter.cursor !== undefined && !/^[1-9]\d{0,18}$/.test(filter.cursor)) {
      throw new ApiError(400, 'invalid_query', 'cursor is the nextCursor of a previous page');
    }
    const status = deliveryStatus(filter.status);
    if (
      requirePipeline &&
      filter.pipelineId !== undefined &&
      (await this.pipelines.find(filter.pipelineId)) === null
    )
      throw notFound(filter.pipelineId);
    const found = await this.deliveries.findPage({
      pipelineId: filter.pipelineId,
      triggerId: filter.triggerId,
      modelId: filter.modelId,
      status,
      beforeId: filter.cursor,
      limit: filter.limit,
    });
    return found.map(mapDelivery);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
