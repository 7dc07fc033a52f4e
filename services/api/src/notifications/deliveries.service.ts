import { Inject, Injectable } from '@nestjs/common';
import { NOTIFICATION_STATUSES, type NotificationRepository, type NotificationStatus } from '@driftline/db';
import { ApiError } from '@driftline/common';
import { mapDelivery, type DeliveryView } from './notification.mapper';
import { page } from '../list.query';
import { NOTIFICATION_REPOSITORY } from './notifications.tokens';
import { sequenceCursor } from './spec.body';

export interface DeliveryList {
  deliveries: DeliveryView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface DeliveryFilter {
  status?: string;
  channelId?: string;
  /** nextCursor of the previous page. */
  cursor?: string;
  limit: number;
}

/** The read side of the notifier's delivery log. */
@Injectable()
export class DeliveriesService {
  constructor(@Inject(NOTIFICATION_REPOSITORY) private readonly notifications: NotificationRepository) {}

  /** Newest first, each with every attempt. */
  async list(filter: DeliveryFilter): Promise<DeliveryList> {
    const status = filter.status;
    if (status !== undefined && !NOTIFICATION_STATUSES.includes(status as NotificationStatus)) {
      throw new ApiError(400, 'invalid_query', `status is one of ${NOTIFICATION_STATUSES.join(', ')}`);
    }
    const found = await this.notifications.findPage({
      status: status as NotificationStatus | undefined,
      channelId: filter.channelId,
      beforeSeq: sequenceCursor(filter.cursor),
      limit: filter.limit + 1,
    });
    const { items, nextCursor } = page(found, filter.limit, (last) => last.seq);
    return { deliveries: items.map(mapDelivery), nextCursor };
  }
}
