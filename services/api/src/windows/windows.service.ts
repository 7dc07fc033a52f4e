import { Inject, Injectable } from '@nestjs/common';
import { findMetric } from '@driftline/contracts';
import type { MetricPointRepository, WindowResultRepository } from '@driftline/db';
import { ApiError } from '@driftline/common';
import { ModelsService } from '../models/models.service';
import { page, type ListQuery } from '../list.query';
import type { TimeRange } from './time-range.query';
import { windowAfter, windowCursor } from './window.cursor';
import { METRIC_POINT_REPOSITORY, WINDOW_RESULT_REPOSITORY } from './windows.tokens';

export interface WindowList {
  modelId: string;
  windows: Record<string, unknown>[];
  nextCursor: string | null;
}

export interface MetricSeries {
  modelId: string;
  metric: string;
  /** '' for a model-level metric. */
  feature: string;
  points: { windowStart: string; windowEnd: string; value: number }[];
  nextCursor: string | null;
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

  /** Oldest first (start, then end), `limit` after the page that gave the cursor. */
  async range(modelId: string, range: TimeRange, list: ListQuery): Promise<WindowList> {
    const after = windowAfter(list.cursor);
    await this.models.known(modelId);
    const found = await this.windows.rangePage(modelId, { ...range, after, limit: list.limit + 1 });
    const { items, nextCursor } = page(found, list.limit, windowCursor);
    return { modelId, windows: items.map((w) => w.result), nextCursor };
  }

  /** The points oldest first, `limit` after the page that gave the cursor. */
  async series(modelId: string, query: MetricQuery, list: ListQuery): Promise<MetricSeries> {
    const after = windowAfter(list.cursor);
    await this.models.known(modelId);
    // a catalogue name or one of its aliases; rows written before the catalogue carry an alias
    const definition = findMetric(query.metric);
    const names =
      definition === undefined ? [query.metric] : [definition.name, ...(definition.aliases ?? [])];
    // each name's first limit + 1 after the cursor hold the merged series' first limit + 1
    const window = { from: query.from, to: query.to, after, limit: list.limit + 1 };
    const found = (
      await Promise.all(
        names.map((metric) => this.metrics.seriesPage({ modelId, metric, feature: query.feature }, window)),
      )
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
    const { items, nextCursor } = page(points, list.limit, windowCursor);
    return {
      modelId,
      metric: definition?.name ?? query.metric,
      feature: query.feature,
      nextCursor,
      points: items.map((p) => ({
        windowStart: p.windowStart.toISOString(),
        windowEnd: p.windowEnd.toISOString(),
        value: p.value,
      })),
    };
  }
}
