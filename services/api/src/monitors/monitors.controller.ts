import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { RequireScope } from '@driftline/common';
import { decodeCursor, encodeCursor, listQuery, page } from '../list.query';
import { monitorView, MonitorsService, type MonitorView } from './monitors.service';

export interface MonitorList {
  monitors: MonitorView[];
  nextCursor: string | null;
}

@Controller('v1/monitors')
@RequireScope('admin')
export class MonitorsController {
  constructor(private readonly monitors: MonitorsService) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): Promise<MonitorView> {
    return this.monitors.create(body);
  }

  @RequireScope('read')
  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<MonitorList> {
    const q = listQuery(query);
    const afterId = q.cursor === undefined ? undefined : decodeCursor(q.cursor, 1)[0];
    const found = await this.monitors.list(q.text('modelId'), afterId, q.limit + 1);
    const { items, nextCursor } = page(found, q.limit, (last) => encodeCursor(last.monitorId));
    return { monitors: items.map(monitorView), nextCursor };
  }

  @RequireScope('read')
  @Get(':id')
  get(@Param('id') id: string): Promise<MonitorView> {
    return this.monitors.get(id);
  }

  @Put(':id')
  replace(@Param('id') id: string, @Body() body: unknown): Promise<MonitorView> {
    return this.monitors.replace(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Param('id') id: string): Promise<void> {
    return this.monitors.delete(id);
  }
}
