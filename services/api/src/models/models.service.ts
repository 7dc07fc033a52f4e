import { Inject, Injectable } from '@nestjs/common';
import type { ModelSpec } from '@driftline/contracts';
import type { ModelRecord, ModelRepository } from '@driftline/db';
import { ApiError } from '@driftline/common';
import { decodeCursor, encodeCursor, page, type ListQuery } from '../list.query';
import { checkModelSpec } from './model-spec.checks';
import { isRegistered, mapModel, type ModelView } from './model.mapper';
import { MODEL_REPOSITORY } from './models.tokens';

export interface ModelList {
  models: ModelView[];
  nextCursor: string | null;
}

export function modelNotFound(modelId: string): ApiError {
  return new ApiError(404, 'model_not_found', `model "${modelId}" is not registered; POST /v1/models first`, {
    modelId,
  });
}

function checked(body: unknown): ModelSpec {
  if (body === undefined) {
    throw new ApiError(415, 'unsupported_media_type', 'send the model spec as application/json');
  }
  const result = checkModelSpec(body);
  if (!result.ok) {
    throw new ApiError(
      400,
      'invalid_model_spec',
      `the model spec is invalid: ${result.errors.join('; ')}`,
      result.errors,
    );
  }
  return result.value;
}

@Injectable()
export class ModelsService {
  constructor(@Inject(MODEL_REPOSITORY) private readonly models: ModelRepository) {}

  async create(body: unknown): Promise<ModelView> {
    const spec = checked(body);
    const stored = await this.models.register(spec.modelId, spec.description ?? null, { ...spec });
    if (stored === null) {
      throw new ApiError(
        409,
        'model_exists',
        `model "${spec.modelId}" is already registered; PUT /v1/models/${spec.modelId} changes it`,
        {
          modelId: spec.modelId,
        },
      );
    }
    return mapModel(stored);
  }

  /** The path names the model; a body may leave modelId out, but not name another one. */
  async update(modelId: string, body: unknown): Promise<ModelView> {
    const withId = isObject(body) && body.modelId === undefined ? { ...body, modelId } : body;
    const spec = checked(withId);
    if (spec.modelId !== modelId) {
      throw new ApiError(
        400,
        'model_id_mismatch',
        `the body names model "${spec.modelId}", the path "${modelId}"`,
        {
          path: modelId,
          body: spec.modelId,
        },
      );
    }
    const stored = await this.models.update(modelId, spec.description ?? null, { ...spec });
    if (stored === null) throw modelNotFound(modelId);
    return mapModel(stored);
  }

  /** Registered models by id, `limit` after the page that gave the cursor. */
  async list(list: ListQuery): Promise<ModelList> {
    const afterId = list.cursor === undefined ? undefined : decodeCursor(list.cursor, 1)[0];
    const found = await this.models.listRegistered(afterId, list.limit + 1);
    const { items, nextCursor } = page(found, list.limit, (last) => encodeCursor(last.id));
    return { models: items.map(mapModel), nextCursor };
  }

  async get(modelId: string): Promise<ModelView> {
    return mapModel(await this.registered(modelId));
  }

  /** The stored model with its spec; 404 for an unknown model or one only seen in events. */
  async registered(modelId: string): Promise<ModelRecord> {
    const record = await this.models.find(modelId);
    if (record === null || !isRegistered(record)) throw modelNotFound(modelId);
    return record;
  }

  /** The stored model, registered or only seen in events; 404 when neither. */
  async known(modelId: string): Promise<ModelRecord> {
    const record = await this.models.find(modelId);
    if (record === null) throw modelNotFound(modelId);
    return record;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
