import { triggerLabels, validatePipelineSpec, type PipelineSpec } from './pipeline-spec';

const spec: PipelineSpec = {
  pipelineId: 'airflow-bikes',
  url: 'https://airflow.example.com/api/v1/dags/retrain/dagRuns',
  secret: 's3cr3t-s3cr3t-s3cr3t',
  matchers: [{ name: 'modelId', op: '=~', value: 'bikes.*' }],
  cooldown: '6h',
};

describe('validatePipelineSpec', () => {
  it('accepts a complete spec and one without matchers or cooldown', () => {
    expect(validatePipelineSpec(spec)).toEqual({ ok: true, value: spec });
    expect(validatePipelineSpec({ pipelineId: 'p', url: 'http://127.0.0.1:9000/hook' }).ok).toBe(true);
  });

  it('reports every problem with its path, unknown fields included', () => {
    const result = validatePipelineSpec({
      pipelineId: 'bad id',
      url: 'ftp://example.com',
      secret: 'short',
      matchers: [{ name: 'severity', op: '==', value: 1 }],
      cooldown: '',
      retries: 3,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.sort()).toEqual(
      [
        "(root) has unknown property 'retries'",
        '/cooldown must NOT have fewer than 1 characters',
        '/matchers/0/name must be equal to one of the allowed values',
        '/matchers/0/op must be equal to one of the allowed values',
        '/matchers/0/value must be of type string',
        '/pipelineId must match pattern "^[A-Za-z0-9][A-Za-z0-9._:-]*$"',
        '/secret must NOT have fewer than 16 characters',
        '/url must match pattern "^https?://"',
      ].sort(),
    );
  });
});

describe('triggerLabels', () => {
  it('exposes the model, its version and the reason to matchers', () => {
    expect(
      triggerLabels({
        triggerId: 't-1',
        modelId: 'bikes',
        modelVersion: 'v3',
        reason: 'drift',
        alertIds: ['a-1'],
        windowStart: '2024-05-01T12:00:00Z',
        windowEnd: '2024-05-01T13:00:00Z',
        createdAt: '2024-05-01T13:00:05Z',
      }),
    ).toEqual({ modelId: 'bikes', modelVersion: 'v3', reason: 'drift' });
  });
});
