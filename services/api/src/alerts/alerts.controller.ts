import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { RequireScope } from '@driftline/common';
import { listQuery } from '../list.query';
import type { AlertView } from './alert.view';
import { AlertsService, type AlertList } from './alerts.service';

/** The read side of alerts; the monitor writes them. People acknowledge them here. */
@Controller('v1/alerts')
@RequireScope('admin')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @RequireScope('read')
  @Get()
  list(@Query() query: Record<string, unknown>): Promise<AlertList> {
    return this.alerts.list(listQuery(query));
  }

  @RequireScope('read')
  @Get(':id')
  get(@Param('id') id: string): Promise<AlertView> {
    return this.alerts.get(id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  acknowledge(@Param('id') id: string, @Body() body: unknown): Promise<AlertView> {
    return this.alerts.acknowledge(id, body);
  }
}
