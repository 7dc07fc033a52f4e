import type { AlertEvent } from '@driftline/contracts';
import type { AlertGroupRepository, NotificationRouteRepository } from '@driftline/db';
import type { Clock, Logger, ServiceMetrics } from '@driftline/common';
import { AlertRouter, type RouteTimers } from './alert.router';
import { firstFlushAt } from './group.flush';

/** What one batch changed. */
export interface IntakeResult {
  firing: number;
  resolved: number;
  /** New alerts no route took (and no default channel). */
  unrouted: AlertEvent[];
}

export interface IntakeSettings {
  defaults: RouteTimers;
  /** ALERT_DEFAULT_CHANNELS. */
  defaultChannels: readonly string[];
}

/** The repositories of the batch transaction the intake writes with. */
export interface IntakeUnitOfWork {
  alertGroups: AlertGroupRepository;
  routes: NotificationRouteRepository;
}

/**
 * Records each alert's latest state and, for a new alert, the aggregation groups it joins, in the
 * batch transaction: a redelivered event changes nothing, a resolution reaches the groups that hold
 * the alert already. Sending is the flush's job.
 */
export class AlertIntakeService {
  constructor(
    private readonly settings: IntakeSettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: ServiceMetrics,
  ) {}

  async record(alerts: readonly AlertEvent[], tx: IntakeUnitOfWork): Promise<IntakeResult> {
    const now = this.clock.now();
    const result: IntakeResult = { firing: 0, resolved: 0, unrouted: [] };
    let router: AlertRouter | undefined;
    for (const alert of alerts) {
      const change = await tx.alertGroups.recordAlert(alert, new Date(now));
      if (change === 'unchanged') continue;
      if (alert.status === 'resolved') {
        result.resolved++;
        continue;
      }
      result.firing++;
      router ??= new AlertRouter(
        await tx.routes.findAll(),
        this.settings.defaults,
        this.settings.defaultChannels,
      );
      const groups = router.route(alert);
      if (groups.length === 0) result.unrouted.push(alert);
      for (const { route, groupKey, groupLabels } of groups) {
        const opening = {
          routeId: route.id,
          groupKey,
          groupLabels,
          channels: [...route.channels],
          groupIntervalMs: route.timers.groupIntervalMs,
          repeatIntervalMs: route.timers.repeatIntervalMs,
          openedAt: new Date(now),
          firstFlushAt: new Date(firstFlushAt(now, route.timers.groupWaitMs)),
        };
        await tx.alertGroups.join(opening, alert.alertId);
      }
    }
    return result;
  }

  /** Once the batch committed: counts, and says which alerts nobody will hear of. */
  report(result: IntakeResult): void {
    if (result.firing > 0) this.metrics.alertsReceived.inc({ status: 'firing' }, result.firing);
    if (result.resolved > 0) this.metrics.alertsReceived.inc({ status: 'resolved' }, result.resolved);
    for (const alert of result.unrouted) {
      this.metrics.alertsUnrouted.inc();
      this.logger.warn(
        {
          alertId: alert.alertId,
          modelId: alert.modelId,
          monitorId: alert.monitorId,
          metric: alert.metric,
          feature: alert.feature,
          severity: alert.severity,
        },
        'alert matched no route and ALERT_DEFAULT_CHANNELS is empty: nobody is notified',
      );
    }
  }
}
