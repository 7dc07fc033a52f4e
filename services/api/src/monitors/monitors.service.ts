import { Inject, Injectable } from '@nestjs/common';
import { checkMonitorSpec, EACH_FEATURE, type MonitorSpec } from '@driftline/contracts';
import type { MonitorRecord, MonitorRepository } from '@driftline/db';
import { ApiError } from '@driftline/common';
import { specOf } from '../models/model.mapper';
import { ModelsService } from '../models/models.service';
import { AutoThresholds } from './auto.thresholds';

export const MONITOR_REPOSITORY = Symbol('MONITOR_REPOSITORY');

/** A monitor as the API returns it: its spec, the threshold in force, when it was stored. */
export type MonitorView = MonitorSpec & {
  /** The number compared with: the spec's threshold, or what "auto" chose from the reference. */
  effectiveThreshold: number;
  createdAt: string;
  updatedAt: string;
};

export function monitorView(record: MonitorRecord): MonitorView {
  const spec = record.spec as unknown as MonitorSpec;
  return {
    ...spec,
    effectiveThreshold: spec.threshold === 'auto' ? (record.autoThreshold ?? Number.NaN) : spec.threshold,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

const notFound = (monitorId: string) =>
  new ApiError(404, 'monitor_not_found', `monitor "${monitorId}" does not exist`, { monitorId });

const SPECIAL_COLUMNS = new Set(['__prediction__', '__score__']);

/** CRUD of monitors; the api is the only writer of the monitors table. */
@Injectable()
export class MonitorsService {
  constructor(
    @Inject(MONITOR_REPOSITORY) private readonly monitors: MonitorRepository,
    private readonly models: ModelsService,
    private readonly auto: AutoThresholds,
  ) {}

  async create(body: unknown): Promise<MonitorView> {
    const { spec, autoThreshold } = await this.checked(body);
    const stored = await this.monitors.create({
      monitorId: spec.monitorId,
      modelId: spec.modelId,
      spec: { ...spec },
      autoThreshold,
    });
    if (stored === null) {
      throw new ApiError(
        409,
        'monitor_exists',
        `monitor "${spec.monitorId}" exists; PUT /v1/monitors/${spec.monitorId} changes it`,
        {
          monitorId: spec.monitorId,
        },
      );
    }
    return monitorView(stored);
  }

  async replace(monitorId: string, body: unknown): Promise<MonitorView> {
    const withId = isObject(body) && body.monitorId === undefined ? { ...body, monitorId } : body;
    const { spec, autoThreshold } = await this.checked(withId);
    if (spec.monitorId !== monitorId) {
      throw new ApiError(
        400,
        'monitor_id_mismatch',
        `the body names monitor "${spec.monitorId}", the path "${monitorId}"`,
      );
    }
    const stored = await this.monitors.replace({
      monitorId,
      modelId: spec.modelId,
      spec: { ...spec },
      autoThreshold,
    });
    if (stored === null) throw notFound(monitorId);
    return monitorView(stored);
  }

  async delete(monitorId: string): Promise<void> {
    if (!(await this.monitors.delete(monitorId))) throw notFound(monitorId);
  }

  async get(monitorId: string): Promise<MonitorView> {
    const record = await this.monitors.find(monitorId);
    if (record === null) throw notFound(monitorId);
    return monitorView(record);
  }

  async list(
    modelId: string | undefined,
    afterId: string | undefined,
    limit: number,
  ): Promise<MonitorRecord[]> {
    return this.monitors.list({ modelId, afterId, limit });
  }

  private async checked(body: unknown): Promise<{ spec: MonitorSpec; autoThreshold: number | null }> {
    if (body === undefined) {
      throw new ApiError(415, 'unsupported_media_type', 'send the monitor as application/json');
    }
    const result = checkMonitorSpec(body);
    if (!result.ok) {
      throw new ApiError(
        400,
        'invalid_monitor',
        `the monitor is invalid: ${result.errors.join('; ')}`,
        result.errors,
      );
    }
    const spec = result.value;
    const model = specOf(await this.models.registered(spec.modelId));
    const { feature } = spec;
    if (
      feature !== undefined &&
      feature !== EACH_FEATURE &&
      !SPECIAL_COLUMNS.has(feature) &&
      model.features !== undefined &&
      !(feature in model.features)
    ) {
      throw new ApiError(400, 'invalid_monitor', `model "${spec.modelId}" has no feature "${feature}"`, [
        `/feature '${feature}' is not a feature of the model`,
      ]);
    }
    if (spec.threshold !== 'auto') return { spec, autoThreshold: null };
    return { spec, autoThreshold: await this.auto.derive(spec) };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
