import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { RequireScope } from '@driftline/common';
import { listQuery } from '../list.query';
import { ChannelsService, type ChannelList } from './channels.service';
import type { ChannelView } from './notification.mapper';

@Controller('v1/channels')
@RequireScope('admin')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): Promise<ChannelView> {
    return this.channels.create(body);
  }

  @RequireScope('read')
  @Get()
  list(@Query() query: Record<string, unknown>): Promise<ChannelList> {
    const q = listQuery(query);
    return this.channels.list(q.cursor, q.limit);
  }

  @RequireScope('read')
  @Get(':id')
  get(@Param('id') id: string): Promise<ChannelView> {
    return this.channels.get(id);
  }

  @Put(':id')
  replace(@Param('id') id: string, @Body() body: unknown): Promise<ChannelView> {
    return this.channels.replace(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@Param('id') id: string): Promise<void> {
    return this.channels.delete(id);
  }
}
