import { Inject, Injectable } from '@nestjs/common';
import { EACH_FEATURE, type ModelSpec, type MonitorSpec } from '@driftline/contracts';
import type { ReferenceProfileRepository } from '@driftline/db';
import {
  datasetDrift,
  evaluateDrift,
  ReferenceProfile,
  StatsInputError,
  type ReferenceProfileJSON,
  type StreamedDriftOptions,
  type WindowSummary,
} from '@driftline/stats';
import { ApiError } from '@driftline/common';
import { specOf } from '../models/model.mapper';
import { ModelsService } from '../models/models.service';
import { REFERENCE_REPOSITORY } from '../references/references.tokens';

/** Chunks the reference sample is cut into, and the fewest values a chunk may hold. */
export const AUTO_CHUNKS = 10;
export const AUTO_MIN_CHUNK = 10;
const SUPPORTED = ['drift_statistic', 'drift_p_value', 'drift_share'];

const unavailable = (message: string) => new ApiError(400, 'auto_threshold_unavailable', message);

/** The model's drift settings, as the monitor applies them to a window. */
function driftOptions(spec: ModelSpec): StreamedDriftOptions {
  const { '*': threshold, ...perColumn } = spec.thresholds ?? {};
  return { methods: spec.methods, thresholds: perColumn, threshold };
}

/** mean ± 3 sd (sample sd) of the values, on the side the comparison points to. */
export function band(values: readonly number[], op: MonitorSpec['op']): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1);
  const sd = Math.sqrt(variance);
  return op === '>' || op === '>=' ? mean + 3 * sd : mean - 3 * sd;
}

/**
 * "auto" thresholds as NannyML derives them: the reference's exact sample of each column is cut into
 * AUTO_CHUNKS chunks, each chunk is compared with the whole reference exactly as a window is, and the
 * threshold is mean ± 3 sd of the statistic over the chunks. Drift statistics, p-values and drift
 * share are supported; a metric whose reference figures are not kept (performance, estimates, PCA)
 * gets 400 auto_threshold_unavailable.
 */
@Injectable()
export class AutoThresholds {
  constructor(
    @Inject(REFERENCE_REPOSITORY) private readonly references: ReferenceProfileRepository,
    private readonly models: ModelsService,
  ) {}

  async derive(monitor: MonitorSpec): Promise<number> {
    if (!SUPPORTED.includes(monitor.metric)) {
      throw unavailable(
        `threshold "auto" is derived for ${SUPPORTED.join(', ')}; give ${monitor.metric} a number`,
      );
    }
    if (monitor.feature === EACH_FEATURE) {
      throw unavailable('threshold "auto" needs one feature: each feature has a threshold of its own');
    }
    const stored = await this.references.latest(monitor.modelId);
    if (stored === null) {
      throw unavailable(
        `model "${monitor.modelId}" has no reference yet: upload one, then create the monitor`,
      );
    }
    const profile = ReferenceProfile.fromJSON(stored.profile as unknown as ReferenceProfileJSON);
    const model = specOf(await this.models.registered(monitor.modelId));
    const features = monitor.feature === undefined ? this.featureNames(profile) : [monitor.feature];
    const chunks = features.map((name) => this.chunkSummaries(profile, name));
    const values: number[] = [];
    try {
      for (let i = 0; i < AUTO_CHUNKS; i++) {
        const window = Object.fromEntries(features.map((name, f) => [name, chunks[f][i]]));
        const drifts = evaluateDrift(profile, window, driftOptions(model));
        if (monitor.metric === 'drift_share') {
          values.push(
            datasetDrift(drifts, { driftShare: model.driftShare, correction: model.correction }).driftShare,
          );
          continue;
        }
        const value = monitor.metric === 'drift_statistic' ? drifts[0].statistic : drifts[0].pValue;
        if (value === null) throw unavailable(`${monitor.feature} has no ${monitor.metric} with its method`);
        values.push(value);
      }
    } catch (error) {
      if (error instanceof StatsInputError)
        throw unavailable(`the reference cannot be compared: ${error.message}`);
      throw error;
    }
    return band(values, monitor.op);
  }

  private featureNames(profile: ReferenceProfile): string[] {
    return profile.columns.filter((c) => c.json.role === 'feature').map((c) => c.name);
  }

  private chunkSummaries(profile: ReferenceProfile, name: string): WindowSummary[] {
    let column;
    try {
      column = profile.column(name);
    } catch {
      throw unavailable(`the reference has no column "${name}"`);
    }
    const { sample } = column.json;
    const size = Math.floor(sample.length / AUTO_CHUNKS);
    if (size < AUTO_MIN_CHUNK) {
      throw unavailable(
        `the reference keeps ${sample.length} values of "${name}": "auto" needs ${AUTO_CHUNKS * AUTO_MIN_CHUNK}`,
      );
    }
    return Array.from({ length: AUTO_CHUNKS }, (_, i) => {
      const summary = column.newSummary();
      for (const value of sample.slice(i * size, (i + 1) * size)) summary.update(value);
      return summary;
    });
  }
}
