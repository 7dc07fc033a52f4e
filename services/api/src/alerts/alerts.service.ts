import { Inject, Injectable } from '@nestjs/common';
import { validateAlertAckRequest } from '@driftline/contracts';
import type { AlertAckRepository, AlertRepository, StoredAlert } from '@driftline/db';
import { ApiError } from '@driftline/common';
import { decodeCursor, encodeCursor, page, type ListQuery } from '../list.query';
import { alertView, type AlertView } from './alert.view';

export const ALERT_REPOSITORY = Symbol('ALERT_REPOSITORY');
export const ALERT_ACK_REPOSITORY = Symbol('ALERT_ACK_REPOSITORY');

export interface AlertList {
  alerts: AlertView[];
  nextCursor: string | null;
}

const STATUSES = new Set(['firing', 'resolved']);

const alertNotFound = (id: string) =>
  new ApiError(404, 'alert_not_found', `alert "${id}" does not exist`, { alertId: id });

/** The read side of alerts (the monitor writes them) and their acks (the api writes those). */
@Injectable()
export class AlertsService {
  constructor(
    @Inject(ALERT_REPOSITORY) private readonly alerts: AlertRepository,
    @Inject(ALERT_ACK_REPOSITORY) private readonly acks: AlertAckRepository,
  ) {}

  /** Newest first (startsAt, then alertId), `limit` after the page that gave the cursor. */
  async list(q: ListQuery): Promise<AlertList> {
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
    return { alerts: await this.withAcks(items), nextCursor };
  }

  async get(id: string): Promise<AlertView> {
    const alert = await this.alerts.find(id);
    if (alert === null) throw alertNotFound(id);
    return (await this.withAcks([alert]))[0];
  }

  /**
   * Records who is on the alert; the first ack is kept, so a second answers 200 with the first.
   * It neither resolves the alert nor mutes its notifications (a silence does that).
   */
  async acknowledge(id: string, body: unknown): Promise<AlertView> {
    const request = validateAlertAckRequest(body ?? {});
    if (!request.ok) {
      throw new ApiError(
        400,
        'invalid_ack',
        `the ack is invalid: ${request.errors.join('; ')}`,
        request.errors,
      );
    }
    const alert = await this.alerts.find(id);
    if (alert === null) throw alertNotFound(id);
    const ack = await this.acks.acknowledge(id, request.value.by ?? null, request.value.comment ?? null);
    if (ack === null) throw alertNotFound(id);
    return alertView(alert, ack);
  }

  private async withAcks(alerts: StoredAlert[]): Promise<AlertView[]> {
    const acks = await this.acks.findFor(alerts.map((a) => a.alertId));
    return alerts.map((a) => alertView(a, acks.get(a.alertId)));
  }
}
