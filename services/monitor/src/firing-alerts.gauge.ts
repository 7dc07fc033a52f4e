import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, METRICS, type ServiceMetrics } from '@driftline/common';
import type { Database } from '@driftline/db';

/** driftline_alerts_firing is read from the alerts table (the monitor writes it) at each scrape. */
@Injectable()
export class FiringAlertsGauge {
  constructor(@Inject(METRICS) metrics: ServiceMetrics, @Inject(DATABASE) database: Database) {
    metrics.countFiringAlerts(() => database.alerts.countFiring());
  }
}
