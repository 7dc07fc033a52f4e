import { canonicalMetricName, featureKey, featureOf, findMetric, METRIC_CATALOGUE } from './metric.catalogue';

describe('the metric catalogue', () => {
  it('names every metric once, in snake_case, and no alias shadows a name', () => {
    const names = METRIC_CATALOGUE.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    const aliases = METRIC_CATALOGUE.flatMap((m) => m.aliases ?? []);
    for (const alias of aliases) expect(names).not.toContain(alias);
  });

  it('resolves the older camelCase names to the catalogue names', () => {
    expect(findMetric('rocAuc')?.name).toBe('roc_auc');
    expect(canonicalMetricName('f1Macro')).toBe('f1_macro');
    expect(canonicalMetricName('accuracy')).toBe('accuracy');
    expect(canonicalMetricName('not_a_metric')).toBe('not_a_metric');
    expect(findMetric('not_a_metric')).toBeUndefined();
  });

  it('says "no feature" one way: null outside the metric_points key column', () => {
    expect(featureKey(null)).toBe('');
    expect(featureKey(undefined)).toBe('');
    expect(featureKey('temp')).toBe('temp');
    expect(featureOf('')).toBeNull();
    expect(featureOf('temp')).toBe('temp');
  });
});
