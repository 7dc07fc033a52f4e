import { checkModelSpec } from './model-spec.checks';

const window = { size: '1h', step: '5m', allowedLateness: '10m' };

describe('checkModelSpec', () => {
  it('accepts a spec whose durations, window and methods are consistent', () => {
    const spec = {
      modelId: 'bikes',
      window: { ...window, idleTimeout: '1h30m' },
      labelHorizon: '7d',
      features: { temp: 'numeric', season: 'categorical' },
      methods: { temp: 'wasserstein', season: 'jensenshannon', hum: 'ks' },
    };
    expect(checkModelSpec(spec)).toEqual({ ok: true, value: spec });
  });

  it('reports every semantic problem: bad durations, a ragged window, methods of the other type', () => {
    const result = checkModelSpec({
      modelId: 'bikes',
      window: { size: '1h', step: '7m', allowedLateness: '0s' },
      labelHorizon: '7 days',
      features: { temp: 'numeric', season: 'categorical' },
      methods: { temp: 'chisquare', season: 'ks', hum: 'ks' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      '/window/size: 3600000 ms is not a whole number of steps of 420000 ms.',
      expect.stringMatching(/^\/labelHorizon: Invalid duration "7 days"/),
      expect.stringMatching(/^\/methods\/temp: chisquare does not apply to a numeric feature/),
      expect.stringMatching(/^\/methods\/season: ks does not apply to a categorical feature/),
    ]);
  });

  it('stops at shape errors before reading durations', () => {
    const result = checkModelSpec({ modelId: 'bikes', window: { size: 'soon', step: '5m' } });
    expect(result).toEqual({ ok: false, errors: ['/window/allowedLateness is required'] });
  });
});
