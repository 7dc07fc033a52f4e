import type { ChannelRecord, ClaimedNotification, NotificationAttemptResult } from '@driftline/db';
import { type Logger, ServiceMetrics } from '@driftline/common';
import { strictMock } from '../../../test/utils/strict-mock';
import type { ChannelSender } from './channels/channel.sender';
import type { SendResult } from './delivery.policy';
import { DeliveryService, type DeliveryStore } from './delivery.service';

const NOW = Date.parse('2030-01-01T12:00:00Z');
const channel: ChannelRecord = {
  id: 'oncall',
  type: 'slack',
  settings: { type: 'slack', channel: '#ml' },
  secret: 'xoxb-1',
  createdAt: new Date(NOW),
  updatedAt: new Date(NOW),
};
const claimed: ClaimedNotification = {
  id: 'n1',
  channelId: 'oncall',
  channelType: 'slack',
  kind: 'firing',
  title: '[FIRING:1] bikes',
  payload: { type: 'slack', channel: '#ml', text: 't', blocks: [] },
  attempt: 2,
  createdAt: new Date(NOW - 60_000),
  deadlineAt: new Date(NOW + 3_600_000),
};

function setUp(options: { result?: SendResult; channel?: ChannelRecord | null; current?: boolean }) {
  const completed: NotificationAttemptResult[] = [];
  const sends: string[] = [];
  const store = strictMock<DeliveryStore>({
    channels: strictMock<DeliveryStore['channels']>({
      find: async () => (options.channel === undefined ? channel : options.channel),
    }),
    notifications: strictMock<DeliveryStore['notifications']>({
      claimDue: jest.fn().mockResolvedValueOnce([claimed]).mockResolvedValue([]),
      completeAttempt: async (result) => {
        completed.push(result);
        return options.current ?? true;
      },
    }),
  });
  const sender = strictMock<ChannelSender>({
    send: async (n) => {
      sends.push(n.id);
      return options.result ?? { ok: true, httpStatus: 200 };
    },
  });
  const unexpected = strictMock<ChannelSender>({});
  const logger = strictMock<Logger>({ info: jest.fn(), warn: jest.fn(), error: jest.fn() });
  const metrics = new ServiceMetrics('notifier-test');
  const service = new DeliveryService(
    store,
    { slack: sender, email: unexpected, webhook: unexpected },
    { backoff: { baseMs: 1000, maxMs: 60_000 }, leaseMs: 30_000, batchSize: 8 },
    { now: () => NOW },
    logger,
    metrics,
    () => 0.5,
  );
  const count = async (name: string) =>
    (await metrics.registry.getSingleMetric(name)?.get())?.values.find((v) => v.labels.channel === 'slack')
      ?.value ?? 0;
  return { service, completed, sends, logger, count };
}

describe('DeliveryService', () => {
  it('sends a due notification and marks it sent', async () => {
    const { service, completed, sends, count } = setUp({});
    expect(await service.deliverDue()).toBe(1);
    expect(sends).toEqual(['n1']);
    expect(completed).toEqual([
      expect.objectContaining({
        notificationId: 'n1',
        attempt: 2,
        outcome: 'sent',
        httpStatus: 200,
        finishedAt: new Date(NOW),
      }),
    ]);
    expect(await count('driftline_notifications_total')).toBe(1);
  });

  it('records a 429 with its Retry-After and retries no sooner', async () => {
    const { service, completed, count } = setUp({
      result: { ok: false, retryable: true, error: 'ratelimited', httpStatus: 429, retryAfterMs: 5000 },
    });
    await service.deliverDue();
    expect(completed[0]).toMatchObject({
      outcome: 'retry',
      httpStatus: 429,
      retryAfterMs: 5000,
      error: 'ratelimited',
      nextAttemptAt: new Date(NOW + 5000),
      finishedAt: null,
    });
    expect(await count('driftline_notification_retries_total')).toBe(1);
  });

  it('fails without sending when the channel was deleted meanwhile', async () => {
    const { service, completed, sends, count } = setUp({ channel: null });
    await service.deliverDue();
    expect(sends).toEqual([]);
    expect(completed[0]).toMatchObject({ outcome: 'failed', reason: 'channel "oncall" was deleted' });
    expect(await count('driftline_notification_failures_total')).toBe(1);
  });

  it('counts nothing for an attempt whose lease ran out: a later attempt owns the notification', async () => {
    const { service, logger, count } = setUp({ current: false });
    await service.deliverDue();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ notificationId: 'n1', attempt: 2 }),
      'attempt ended after its lease ran out: a later attempt owns the notification',
    );
    expect(await count('driftline_notifications_total')).toBe(0);
  });
});
