import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { RequireScope } from '@driftline/common';
import type { ModelView } from './model.mapper';
import { ModelsService } from './models.service';

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
  list(): Promise<ModelView[]> {
    return this.models.list();
  }

  @RequireScope('read')
  @Get(':id')
  get(@Param('id') id: string): Promise<ModelView> {
    return this.models.get(id);
  }
}
