import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { RequireScope } from '@driftline/common';
import { listQuery } from '../list.query';
import type { SilenceView } from './notification.mapper';
import { SilencesService, type SilenceList } from './silences.service';

@Controller('v1/silences')
@RequireScope('admin')
export class SilencesController {
  constructor(private readonly silences: SilencesService) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): Promise<SilenceView> {
    return this.silences.create(body);
  }

  /** Newest first, expired ones included; `state` filters. */
  @RequireScope('read')
  @Get()
  list(@Query() query: Record<string, unknown>): Promise<SilenceList> {
    const q = listQuery(query);
    return this.silences.list(q.text('state'), q.cursor, q.limit);
  }

  @RequireScope('read')
  @Get(':id')
  get(@Param('id') id: string): Promise<SilenceView> {
    return this.silences.get(id);
  }

  @Put(':id')
  replace(@Param('id') id: string, @Body() body: unknown): Promise<SilenceView> {
    return this.silences.replace(id, body);
  }

  /** Expires the silence: it ends now, and stays listable. */
  @Delete(':id')
  expire(@Param('id') id: string): Promise<SilenceView> {
    return this.silences.expire(id);
  }
}
