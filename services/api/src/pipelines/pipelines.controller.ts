import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { RequireScope } from '@driftline/common';
import { decodeCursor, encodeCursor, listQuery, page } from '../list.query';
import type { PipelineView, RetrainDeliveryView } from './pipeline.mapper';
import { PipelinesService } from './pipelines.service';

export interface PipelineList {
  pipelines: PipelineView[];
  nextCursor: string | null;
}

export interface RetrainDeliveryList {
  deliveries: RetrainDeliveryView[];
  nextCursor: string | null;
}

@Controller('v1/pipelines')
@RequireScope('admin')
export class PipelinesController {
  constructor(private readonly pipelines: PipelinesService) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): Promise<PipelineView> {
    return this.pipelines.create(body);
  }

  @RequireScope('read')
  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<PipelineList> {
    const q = listQuery(query);
    const afterId = q.cursor === undefined ? undefined : decodeCursor(q.cursor, 1)[0];
    const found = await this.pipelines.list(afterId, q.limit + 1);
    const { items, nextCursor } = page(found, q.limit, (last) => encodeCursor(last.pipelineId));
    return { pipelines: items, nextCursor };
  }

  @RequireScope('read')
  @Get(':id')
  get(@Param('id') id: string): Promise<PipelineView> {
    return this.pipelines.get(id);
  }

  @Put(':id')
  replace(@Param('id') id: string, @Body() body: unknown): Promise<PipelineView> {
    return this.pipelines.replace(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Param('id') id: string): Promise<void> {
    return this.pipelines.delete(id);
  }

  /** The pipeline's delivery log, newest first. */
  @RequireScope('read')
  @Get(':id/deliveries')
  async deliveries(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<RetrainDeliveryList> {
    const q = listQuery(query);
    const found = await this.pipelines.deliveryLog(
      { pipelineId: id, ...filters(q.text), cursor: q.cursor, limit: q.limit + 1 },
      true,
    );
    const { items, nextCursor } = page(found, q.limit, (last) => last.deliveryId);
    return { deliveries: items, nextCursor };
  }
}

function filters(text: (name: string) => string | undefined) {
  return { status: text('status'), triggerId: text('triggerId'), modelId: text('modelId') };
}

/** Every pipeline's delivery log, including pipelines since deleted; newest first. */
@Controller('v1/retrain-deliveries')
@RequireScope('admin')
export class RetrainDeliveriesController {
  constructor(private readonly pipelines: PipelinesService) {}

  @RequireScope('read')
  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<RetrainDeliveryList> {
    const q = listQuery(query);
    const found = await this.pipelines.deliveryLog({
      pipelineId: q.text('pipelineId'),
      ...filters(q.text),
      cursor: q.cursor,
      limit: q.limit + 1,
    });
    const { items, nextCursor } = page(found, q.limit, (last) => last.deliveryId);
    return { deliveries: items, nextCursor };
  }
}
