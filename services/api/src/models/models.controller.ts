import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { RequireScope } from '@driftline/common';
import { listQuery } from '../list.query';
import type { ModelView } from './model.mapper';
import { ModelsService, type ModelList } from './models.service';

@Controller('v1/models')
@RequireScope('admin')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): Promise<ModelView> {
    return this.models.create(body);
  }

  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown): Promise<ModelView> {
    return this.models.update(id, body);
  }

  @RequireScope('read')
  @Get()
  list(@Query() query: Record<string, unknown>): Promise<ModelList> {
    return this.models.list(listQuery(query));
  }

  @RequireScope('read')
  @Get(':id')
  get(@Param('id') id: string): Promise<ModelView> {
    return this.models.get(id);
  }
}
