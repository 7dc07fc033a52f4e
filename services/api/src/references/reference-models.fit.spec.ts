import type { ModelSpec } from '@driftline/contracts';
import { buildReferenceProfile, Cbpe, PcaReconstruction, type RawValue } from '@driftline/stats';
import { fitReferenceModels, OUTPUT_COLUMNS } from './reference-models.fit';

const window = { size: '1h', step: '5m', allowedLateness: '0s' };

function fit(spec: Omit<ModelSpec, 'window' | 'modelId'>, rows: Record<string, RawValue>[]) {
  const profile = buildReferenceProfile(rows, { types: spec.features, ...OUTPUT_COLUMNS });
  return fitReferenceModels({ modelId: 'm', window, ...spec }, profile, rows);
}

describe('fitReferenceModels', () => {
  const rows = Array.from({ length: 50 }, (_, i) => ({
    a: String(i),
    b: String((i * 7) % 13),
    c: i % 2 === 0 ? 'even' : 'odd',
    d: i % 5 === 0 ? '' : String(i / 2),
    score: String((i % 10) / 10),
    target: i % 10 >= 5 ? 'yes' : 'no',
  }));

  it('fits PCA on the numeric features only, with the same model as a direct fit', () => {
    const models = fit({}, rows);
    expect(models.pca?.features).toEqual(['a', 'b', 'd']);
    const direct = PcaReconstruction.fit(
      ['a', 'b', 'd'],
      rows.map((r) => [Number(r.a), Number(r.b), r.d === '' ? null : Number(r.d)]),
    );
    expect(models.pca).toEqual(direct.toJSON());
  });

  it('fits PCA on the declared numeric features when the spec declares features', () => {
    expect(fit({ features: { a: 'numeric', d: 'numeric', c: 'categorical' } }, rows).pca?.features).toEqual([
      'a',
      'd',
    ]);
  });

  it('calibrates a binary model on its positive label', () => {
    const models = fit({ task: 'binary', positiveLabel: 'yes' }, rows);
    const cbpe = Cbpe.fromJSON(models.calibration!);
    // every score below 0.5 has target "no", every other "yes"
    expect(cbpe.probability(0.2)).toBe(0);
    expect(cbpe.probability(0.7)).toBe(1);
    expect(models.skipped).toEqual({});
  });

  it('says why it skipped a model', () => {
    const models = fit({ task: 'regression', features: { b: 'categorical', d: 'categorical' } }, rows);
    expect(models).toEqual({
      pca: null,
      calibration: null,
      skipped: {
        pca: 'needs at least two numeric features, the reference has 0',
        calibration: 'only for a model whose task is binary',
      },
    });
    const few = fit(
      { task: 'binary' },
      rows.slice(0, 10).map(({ a, b }) => ({ a, b })),
    );
    expect(few.skipped).toEqual({
      pca: 'needs at least 20 rows, the reference has 10',
      calibration: 'needs the score and target columns',
    });
  });
});
