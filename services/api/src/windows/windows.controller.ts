import { Controller, Get, Param, Query } from '@nestjs/common';
import type { WindowDistributions } from '@driftline/contracts';
import { ApiError, RequireScope } from '@driftline/common';
import { listQuery } from '../list.query';
import { parseTimeRange } from './time-range.query';
import { WindowDistributionsService } from './window-distributions.service';
import { WindowsService, type MetricSeries, type WindowList } from './windows.service';

@Controller('v1/models/:id')
@RequireScope('admin')
export class WindowsController {
  constructor(
    private readonly windows: WindowsService,
    private readonly distributions: WindowDistributionsService,
  ) {}

  @RequireScope('read')
  @Get('windows/latest')
  latest(@Param('id') modelId: string): Promise<Record<string, unknown>> {
    return this.windows.latest(modelId);
  }

  @RequireScope('read')
  @Get('windows/distributions')
  columns(
    @Param('id') modelId: string,
    @Query('windowStart') windowStart: unknown,
    @Query('windowEnd') windowEnd: unknown,
  ): Promise<WindowDistributions> {
    return this.distributions.distributions(modelId, windowStart, windowEnd);
  }

  @RequireScope('read')
  @Get('windows')
  range(@Param('id') modelId: string, @Query() query: Record<string, unknown>): Promise<WindowList> {
    return this.windows.range(modelId, parseTimeRange(query.from, query.to), listQuery(query));
  }

  @RequireScope('read')
  @Get('metrics')
  series(@Param('id') modelId: string, @Query() query: Record<string, unknown>): Promise<MetricSeries> {
    const { metric, feature, from, to } = query;
    if (typeof metric !== 'string' || metric === '') {
      throw new ApiError(400, 'metric_required', 'name the metric, e.g. ?metric=drift_share');
    }
    if (feature !== undefined && typeof feature !== 'string') {
      throw new ApiError(400, 'invalid_feature', 'give feature once');
    }
    return this.windows.series(
      modelId,
      { metric, feature: feature ?? '', ...parseTimeRange(from, to) },
      listQuery(query),
    );
  }
}
