import { Body, Controller, Get, HttpCode, Param, Post, Query, Redirect } from '@nestjs/common';
import { Public, RequireScope } from '@driftline/common';
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

/**
 * The link alerts carry (`PUBLIC_URL/alerts/:id`, in Slack, email and webhooks): until the dashboard
 * serves the alert's page, it answers with the alert and its evidence, where GET /v1/alerts/:id does.
 * Public: the redirect holds no data, and its target needs a key.
 */
@Controller('alerts')
@Public()
export class AlertLinkController {
  @Get(':id')
  @Redirect()
  open(@Param('id') id: string): { url: string; statusCode: number } {
    return { url: `/v1/alerts/${encodeURIComponent(id)}`, statusCode: 302 };
  }
}
