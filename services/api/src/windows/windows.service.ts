import { Inject, Injectable } from '@nestjs/common';
import { findMetric } from '@driftline/contracts';
import type { MetricPointRepository, WindowResultRepository } from '@driftline/db';
import { ApiError } from '@driftline/common';
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
    // a catalogue name or one of its aliases; rows written before the catalogue carry an alias
    const definition = findMetric(query.metric);
    const names =
      definition === undefined ? [query.metric] : [definition.name, ...(definition.aliases ?? [])];
    const found = (
      await Promise.all(names.map((metric) => this.metrics.find({ modelId, ...query, metric })))
    ).flat();
    const byWindow = new Map<string, (typeof found)[number]>();
    for (const p of found) {
      // the catalogue name's row first: an alias row of the same window is older
      const key = `${p.windowStart.getTime()}/${p.windowEnd.getTime()}`;
      if (!byWindow.has(key)) byWindow.set(key, p);
    }
    const points = [...byWindow.values()].sort(
      (a, b) =>
        a.windowStart.getTime() - b.windowStart.getTime() || a.windowEnd.getTime() - b.windowEnd.getTime(),
    );
    return {
      modelId,
      metric: definition?.name ?? query.metric,
      feature: query.feature,
      points: points.map((p) => ({
        windowStart: p.windowStart.toISOString(),
        windowEnd: p.windowEnd.toISOString(),
        value: p.value,
      })),
    };
  }
}
