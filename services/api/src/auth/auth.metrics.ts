import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { DRIFTLINE_CONFIG, type DriftlineConfig } from '@driftline/config';
import { METRICS, type ServiceMetrics } from '@driftline/common';
import type { RefusalReason } from './api-key.principal';

/** The api's series about keys: whether auth is off, and the requests it refused. */
@Injectable()
export class AuthMetrics {
  readonly refusals: Counter<'reason'>;

  constructor(@Inject(METRICS) metrics: ServiceMetrics, @Inject(DRIFTLINE_CONFIG) config: DriftlineConfig) {
    const disabled = new Gauge({
      name: 'driftline_auth_disabled',
      help: '1 while the api runs with DRIFTLINE_AUTH=off: every route is open to anyone who reaches it',
      registers: [metrics.registry],
      // the same in every worker of a cluster (API_WORKERS): not summed over them
      aggregator: 'max',
    });
    disabled.set(config.auth.enabled ? 0 : 1);
    this.refusals = new Counter({
      name: 'driftline_auth_refusals_total',
      help: 'Requests refused by the api: missing, malformed or unknown key (401), or a key without the scope (403)',
      labelNames: ['reason'] as const,
      registers: [metrics.registry],
    });
  }

  refused(reason: RefusalReason): void {
    this.refusals.inc({ reason });
  }
}
