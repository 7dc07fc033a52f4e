import { Controller, Get, Query } from '@nestjs/common';
import { RequireScope } from '@driftline/common';
import { listQuery } from '../list.query';
import { DeliveriesService, type DeliveryList } from './deliveries.service';

/** The notifier's delivery log: every notification per channel, with its attempts; newest first. */
@Controller('v1/deliveries')
@RequireScope('admin')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @RequireScope('read')
  @Get()
  list(@Query() query: Record<string, unknown>): Promise<DeliveryList> {
    const q = listQuery(query);
    return this.deliveries.list({
      status: q.text('status'),
      channelId: q.text('channelId'),
      cursor: q.cursor,
      limit: q.limit,
    });
  }
}
