import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { AlertRepository, StoredAlert } from '@driftline/db';
import { ApiError, RequireScope } from '@driftline/common';
import { decodeCursor, encodeCursor, listQuery, page } from '../list.query';

export const ALERT_REPOSITORY = Symbol('ALERT_REPOSITORY');

type DateFields = 'windowStart' | 'windowEnd' | 'startsAt' | 'endsAt' | 'updatedAt';

/** An alert with its evidence, as GET /v1/alerts returns it: the stored alert, dates as ISO text. */
export type AlertView = Omit<StoredAlert, DateFields> & {
  [K in DateFields]: StoredAlert[K] extends Date ? string : string | null;
};

export interface AlertList {
  alerts: AlertView[];
  nextCursor: string | null;
}

const STATUSES = new Set(['firing', 'resolved']);

export function alertView(a: StoredAlert): AlertView {
  return {
    ...a,
    windowStart: a.windowStart.toISOString(),
    windowEnd: a.windowEnd.toISOString(),
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt?.toISOString() ?? null,
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** The read side of alerts; the monitor writes them. */
@Controller('v1/alerts')
@RequireScope('admin')
export class AlertsController {
  constructor(@Inject(ALERT_REPOSITORY) private readonly alerts: AlertRepository) {}

  @RequireScope('read')
  @Get()
  async list(@Query() query: Record<string, unknown>): Promise<AlertList> {
    const q = listQuery(query, ['status', 'modelId']);
    const status = q.text('status');
    if (status !== undefined && !STATUSES.has(status)) {
      throw new ApiError(400, 'invalid_query', 'status is firing or resolved');
    }
    const after =
      q.cursor === undefined
        ? undefined
        : (([startsAt, alertId]) => ({ startsAt: new Date(startsAt), alertId }))(decodeCursor(q.cursor, 2));
    if (after !== undefined && Number.isNaN(after.startsAt.getTime())) {
      throw new ApiError(400, 'invalid_query', 'cursor is the nextCursor of a previous page');
    }
    const found = await this.alerts.list({
      status: status as 'firing' | 'resolved' | undefined,
      modelId: q.text('modelId'),
      after,
      limit: q.limit + 1,
    });
    const { items, nextCursor } = page(found, q.limit, (last) =>
      encodeCursor(last.startsAt.toISOString(), last.alertId),
    );
    return { alerts: items.map(alertView), nextCursor };
  }

  @RequireScope('read')
  @Get(':id')
  async get(@Param('id') id: string): Promise<AlertView> {
    const alert = await this.alerts.find(id);
    if (alert === null)
      throw new ApiError(404, 'alert_not_found', `alert "${id}" does not exist`, { alertId: id });
    return alertView(alert);
  }
}
