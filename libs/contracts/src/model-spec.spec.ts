import { CATEGORICAL_METHODS, NUMERIC_METHODS } from '@driftline/stats';
import { DRIFT_METHOD_NAMES, resolveModelSpec, validateModelSpec, type ModelSpec } from './model-spec';

const minimal: ModelSpec = { modelId: 'bikes', window: { size: '1h', step: '5m', allowedLateness: '10m' } };

describe('validateModelSpec', () => {
  it('accepts a minimal spec and a complete one', () => {
    expect(validateModelSpec(minimal)).toEqual({ ok: true, value: minimal });
    const complete: ModelSpec = {
      ...minimal,
      description: 'hourly rentals',
      task: 'binary',
      positiveLabel: 'yes',
      features: { temp: 'numeric', season: 'categorical' },
      window: { ...minimal.window, idleTimeout: '30m' },
      labelHorizon: '3d',
      methods: { temp: 'psi', season: 'chisquare' },
      thresholds: { '*': 0.05, temp: 0.2 },
      bins: 20,
      driftShare: 0.3,
      correction: 'bh',
    };
    expect(validateModelSpec(complete).ok).toBe(true);
  });

  it('reports every problem of a spec, each with its path', () => {
    const result = validateModelSpec({
      modelId: 'bad id',
      task: 'ranking',
      features: { temp: 'float' },
      window: { size: 5, step: '5m' },
      methods: { temp: 'anova' },
      thresholds: { temp: -1 },
      bins: 1.5,
      driftShare: 0,
      extra: true,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.sort()).toEqual(
      [
        "(root) has unknown property 'extra'",
        '/modelId must match pattern "^[A-Za-z0-9][A-Za-z0-9._:-]*$"',
        '/task must be equal to one of the allowed values',
        '/features/temp must be equal to one of the allowed values',
        '/window/allowedLateness is required',
        '/window/size must be of type string',
        '/methods/temp must be equal to one of the allowed values',
        '/thresholds/temp must be >= 0',
        '/bins must be of type integer',
        '/bins must be >= 2',
        '/driftShare must be > 0',
      ].sort(),
    );
  });

  it('requires the model id and the window', () => {
    const result = validateModelSpec({});
    expect(result).toEqual({ ok: false, errors: ['/modelId is required', '/window is required'] });
  });
});

describe('DRIFT_METHOD_NAMES', () => {
  it('names exactly the methods libs/stats implements', () => {
    const implemented = new Set<string>([...NUMERIC_METHODS, ...CATEGORICAL_METHODS]);
    expect([...DRIFT_METHOD_NAMES].sort()).toEqual([...implemented].sort());
  });
});

describe('resolveModelSpec', () => {
  it('fills the STATS.md defaults and keeps what the spec sets', () => {
    expect(resolveModelSpec({ ...minimal, bins: 20 })).toEqual({
      ...minimal,
      bins: 20,
      positiveLabel: '1',
      labelHorizon: '7d',
      driftShare: 0.5,
      correction: 'none',
    });
  });
});
