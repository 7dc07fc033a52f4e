import { checkMonitorSpec } from './monitor-spec';

const base = { monitorId: 'bikes-drift', modelId: 'bikes', metric: 'drift_share', op: '>=', threshold: 0.5 };

describe('checkMonitorSpec', () => {
  it('fills the defaults and stores the catalogue name of an alias', () => {
    expect(checkMonitorSpec(base)).toEqual({
      ok: true,
      value: { ...base, for: 1, resolveAfter: 1, severity: 'warning', retrain: false },
    });
    const alias = checkMonitorSpec({ ...base, metric: 'rocAuc', op: '<', threshold: 0.7, minSamples: 50 });
    expect(alias.ok && alias.value.metric).toBe('roc_auc');
  });

  it.each([
    ['an unknown metric', { ...base, metric: 'vibes' }, "/metric 'vibes' is not a Driftline metric"],
    [
      'a per-feature metric without a feature',
      { ...base, metric: 'drifted' },
      '/feature is required for drifted',
    ],
    ['a model metric with a feature', { ...base, feature: 'temp' }, '/feature must be left out'],
    [
      'minSamples on a drift metric',
      { ...base, minSamples: 10 },
      '/minSamples applies to performance metrics only',
    ],
    ['an unknown field', { ...base, channels: ['x'] }, "has unknown property 'channels'"],
    ['a bad op', { ...base, op: '==' }, '/op must be equal to one of the allowed values'],
    ['for of 0', { ...base, for: 0 }, '/for must be >= 1'],
    ['a text threshold', { ...base, threshold: 'high' }, '/threshold must match a schema in anyOf'],
  ])('refuses %s', (_, input, reason) => {
    const result = checkMonitorSpec(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('; ')).toContain(reason);
  });

  it('takes "*" for each feature and "auto" thresholds', () => {
    const each = checkMonitorSpec({ ...base, metric: 'drift_statistic', feature: '*', threshold: 'auto' });
    expect(each.ok && [each.value.feature, each.value.threshold]).toEqual(['*', 'auto']);
  });
});
