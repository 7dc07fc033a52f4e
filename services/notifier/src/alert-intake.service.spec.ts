import type { AlertChange, GroupOpening, RouteRecord } from '@driftline/db';
import { type Logger, ServiceMetrics } from '@driftline/common';
import { AlertFactory } from '../../../test/factories/alert.factory';
import { strictMock } from '../../../test/utils/strict-mock';
import { AlertIntakeService, type IntakeUnitOfWork } from './alert-intake.service';

const NOW = Date.parse('2030-01-01T12:00:00Z');
const DEFAULTS = { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 14_400_000 };
const route: RouteRecord = {
  id: 'ml',
  order: 1,
  matchers: [{ name: 'modelId', op: '=', value: 'bikes' }],
  channels: ['oncall'],
  groupBy: ['modelId'],
  groupWaitMs: 5_000,
  groupIntervalMs: null,
  repeatIntervalMs: null,
  continue: false,
  createdAt: new Date(NOW),
  updatedAt: new Date(NOW),
};

function setUp(changes: AlertChange[]) {
  const joined: { group: GroupOpening; alertId: string }[] = [];
  const findAll = jest.fn(async () => [route]);
  const tx = strictMock<IntakeUnitOfWork>({
    alertGroups: strictMock<IntakeUnitOfWork['alertGroups']>({
      recordAlert: jest.fn(async () => changes.shift()!),
      join: async (group, alertId) => void joined.push({ group, alertId }),
    }),
    routes: strictMock<IntakeUnitOfWork['routes']>({ findAll }),
  });
  const logger = strictMock<Logger>({ warn: jest.fn() });
  const metrics = new ServiceMetrics('notifier-test');
  const intake = new AlertIntakeService(
    { defaults: DEFAULTS, defaultChannels: [] },
    { now: () => NOW },
    logger,
    metrics,
  );
  return { intake, tx, joined, findAll, logger, metrics };
}

describe('AlertIntakeService', () => {
  it('puts a new firing alert in the group of its route, first flushed after the route’s group_wait', async () => {
    const { intake, tx, joined } = setUp(['new']);
    const alert = AlertFactory.create({ modelId: 'bikes' });
    expect(await intake.record([alert], tx)).toEqual({ firing: 1, resolved: 0, unrouted: [] });
    expect(joined).toEqual([
      {
        alertId: alert.alertId,
        group: {
          routeId: 'ml',
          groupKey: '[["modelId","bikes"]]',
          groupLabels: { modelId: 'bikes' },
          channels: ['oncall'],
          groupIntervalMs: 300_000,
          repeatIntervalMs: 14_400_000,
          openedAt: new Date(NOW),
          firstFlushAt: new Date(NOW + 5_000),
        },
      },
    ]);
  });

  it('changes nothing for a redelivered event, and leaves a resolution to the groups that hold the alert', async () => {
    const { intake, tx, joined, findAll } = setUp(['unchanged', 'resolved']);
    const alert = AlertFactory.create({ modelId: 'bikes' });
    expect(await intake.record([alert, AlertFactory.resolved(alert)], tx)).toEqual({
      firing: 0,
      resolved: 1,
      unrouted: [],
    });
    expect(joined).toEqual([]);
    expect(findAll).not.toHaveBeenCalled();
  });

  it('reports an alert no route takes: counted and logged once the batch committed', async () => {
    const { intake, tx, joined, logger, metrics } = setUp(['new']);
    const alert = AlertFactory.create({ modelId: 'taxis' });
    const result = await intake.record([alert], tx);
    expect(result.unrouted).toEqual([alert]);
    expect(joined).toEqual([]);
    expect(logger.warn).not.toHaveBeenCalled();

    intake.report(result);
    expect(
      (await metrics.registry.getSingleMetric('driftline_alerts_unrouted_total')?.get())?.values[0].value,
    ).toBe(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ alertId: alert.alertId, modelId: 'taxis' }),
      'alert matched no route and ALERT_DEFAULT_CHANNELS is empty: nobody is notified',
    );
  });
});
