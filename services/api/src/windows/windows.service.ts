import { Inject, Injectable } from '@nestjs/common';
import type { MetricPointRepository, WindowResultRepository } from '@driftline/db';
import { ApiError } from '../../../common/src/api.error';
import { ModelsService } from '../models/models.service';
import type { TimeRange } from './time-range.query';
import { METRIC_POINT_REPOSITORY, WINDOW_RESULT_REPOSITORY } from './windows.tokens';

export interface WindowList {
  modelId: string;
  windows: Record<string, unknown>[];
}

export interface MetricSeries {
  modelId: string;
  metric: string;
  /** '' for a model-level metric. */
  feature: string;
  points: { windowStart: string; windowEnd: string; value: number }[];
}

export interface MetricQuery extends TimeRange {
  metric: string;
  feature: string;
}

/** Reads what the monitor wrote: window results as stored, and metric time series. */
@Injectable()
export class WindowsService {
  constructor(
    private readonly models: ModelsService,
    @Inject(WINDOW_RESULT_REPOSITORY) private readonly windows: WindowResultRepository,
    @Inject(METRIC_POINT_REPOSITORY) private readonly metrics: MetricPointRepository,
  ) {}

  async latest(modelId: string): Promise<Record<string, unknown>> {
    await this.models.known(modelId);
    const window = await this.windows.latest(modelId);
    if (window === null) {
      throw new ApiError(404, 'no_windows', `model "${modelId}" has no evaluated window yet`, { modelId });
    }
    return window.result;
  }

  async range(modelId: string, range: TimeRange): Promise<WindowList> {
    await this.models.known(modelId);
    const windows = await this.windows.range(modelId, range.from, range.to);
    return { modelId, windows: windows.map((w) => w.result) };
  }

  async series(modelId: string, query: MetricQuery): Promise<MetricSeries> {
    await this.models.known(modelId);
    const points = await this.metrics.find({ modelId, ...query });
    return {
      modelId,
      metric: query.metric,
      feature: query.feature,
      points: points.map((p) => ({
        windowStart: p.windowStart.toISOString(),
        windowEnd: p.windowEnd.toISOString(),
        value: p.value,
      })),
    };
  }
}
