import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { RequireScope } from '@driftline/common';
import { listQuery } from '../list.query';
import type { RouteView } from './notification.mapper';
import { RoutesService, type RouteList } from './routes.service';

@Controller('v1/routes')
@RequireScope('admin')
export class RoutesController {
  constructor(private readonly routes: RoutesService) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): Promise<RouteView> {
    return this.routes.create(body);
  }

  @RequireScope('read')
  @Get()
  list(@Query() query: Record<string, unknown>): Promise<RouteList> {
    const q = listQuery(query);
    return this.routes.list(q.cursor, q.limit);
  }

  @RequireScope('read')
  @Get(':id')
  get(@Param('id') id: string): Promise<RouteView> {
    return this.routes.get(id);
  }

  @Put(':id')
  replace(@Param('id') id: string, @Body() body: unknown): Promise<RouteView> {
    return this.routes.replace(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Param('id') id: string): Promise<void> {
    return this.routes.delete(id);
  }
}
