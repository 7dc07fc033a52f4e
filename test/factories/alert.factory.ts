import type { AlertEvent } from '@driftline/contracts';
import { randomUUID } from 'node:crypto';

export const AlertFactory = {
  /** A firing per-feature drift alert of model bikes, with its evidence. */
  create(overrides: Partial<AlertEvent> = {}): AlertEvent {
    const modelId = overrides.modelId ?? 'bikes';
    const monitorId = overrides.monitorId ?? 'temp-drift';
    const feature = overrides.feature === undefined ? 'temp' : overrides.feature;
    const alertId = overrides.alertId ?? randomUUID();
    return {
      alertId,
      fingerprint: `${modelId}/${monitorId}/${feature ?? ''}`,
      status: 'firing',
      severity: 'warning',
      modelId,
      monitorId,
      metric: 'drift_statistic',
      feature,
      value: 0.42,
      threshold: 0.1,
      windowStart: '2024-07-01T00:00:00.000Z',
      windowEnd: '2024-07-01T01:00:00.000Z',
      startsAt: '2024-07-01T01:00:05.000Z',
      endsAt: null,
      summary: `${feature ?? 'the data set'} drifted on ${modelId}`,
      url: `http://localhost:8080/v1/alerts/${alertId}`,
      labels: { team: 'ml' },
      topFeatures: [
        { feature: 'temp', method: 'wasserstein', statistic: 0.42, pValue: null, threshold: 0.1 },
      ],
      ...overrides,
    };
  },

  /** The resolved event of the same alert. */
  resolved(alert: AlertEvent, endsAt = '2024-07-01T03:00:05.000Z'): AlertEvent {
    return { ...alert, status: 'resolved', endsAt };
  },
};
