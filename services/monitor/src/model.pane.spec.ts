import type { FeatureValue } from '@driftline/contracts';
import {
  buildReferenceProfile,
  ExpectedConfusion,
  parseFinite,
  PcaReconstruction,
  Random,
  ReconstructionErrorSum,
  type RawValue,
} from '@driftline/stats';
import { modelPaneFactory, paneColumns, type PaneEvent } from './model.pane';
import { monitoredModel, type MonitoredModel } from './monitored.model';

const rng = new Random(11);
const ROWS: Record<string, RawValue>[] = Array.from({ length: 200 }, (_, i) => {
  const x = rng.normal(0, 1);
  return {
    x: Number(x.toFixed(2)),
    y: Number((x + rng.normal(0, 0.5)).toFixed(2)),
    plan: ['a', 'b', 'c'][i % 3],
    z: Number(rng.normal(5, 2).toFixed(1)),
    prediction: i % 2 === 0 ? '1' : '0',
    score: Number(rng.uniform().toFixed(2)),
    target: i % 3 === 0 ? '1' : '0',
  };
});

function pcaModel(): MonitoredModel {
  const profile = buildReferenceProfile(ROWS, {
    prediction: 'prediction',
    score: 'score',
    target: 'target',
    types: { plan: 'categorical', prediction: 'categorical' },
  }).toJSON();
  const pcaFeatures = ['x', 'y', 'z'];
  const pca = PcaReconstruction.fit(
    pcaFeatures,
    ROWS.map((row) => pcaFeatures.map((f) => parseFinite(row[f]))),
  ).toJSON();
  const model = monitoredModel({
    spec: {
      modelId: 'm1',
      task: 'binary',
      window: { size: '10m', step: '5m', allowedLateness: '0s' },
      // z is in the PCA model but not watched: read by name
      features: { x: 'numeric', plan: 'categorical', y: 'numeric' },
    },
    reference: { id: 'ref-1', profile: { ...profile, pca } },
  });
  if (model?.pca == null) throw new Error('fixture model has a PCA model');
  return model;
}

/** The pane's figures as one lookup by name per column, the way a pane was first updated. */
function byName(model: MonitoredModel, events: PaneEvent[]): unknown {
  const pane = modelPaneFactory(model).empty();
  for (const event of events) {
    for (const name of model.features) pane.columns[name].update(event.features[name]);
    pane.columns[model.predictionColumn as string].update(event.prediction);
    pane.columns[model.scoreColumn as string].update(event.score);
    if (event.score !== null)
      model.cbpe?.update(pane.cbpe as ExpectedConfusion, event.score, String(event.prediction) === '1');
    model.pca?.updateFromFeatures(pane.pca as ReconstructionErrorSum, event.features, parseFinite);
  }
  return pane.toJSON();
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('ModelPane.update', () => {
  const model = pcaModel();

  it('reads the features in any order, with extra, missing and text values, as lookups by name', () => {
    const events: PaneEvent[] = Array.from({ length: 400 }, (_, i) => {
      const values: Record<string, FeatureValue> = {
        x: rng.normal(0.3, 1),
        plan: ['a', 'b', 'c', 'd'][rng.int(4)],
        y: i % 7 === 0 ? String(rng.normal(0, 1).toFixed(3)) : rng.normal(0, 1),
        z: i % 11 === 0 ? null : rng.normal(5, 2),
        extra: 1,
      };
      const order =
        i % 4 === 0
          ? [...model.features, 'z', 'extra']
          : i % 4 === 1
            ? shuffled(Object.keys(values))
            : i % 4 === 2
              ? ['extra', ...model.features]
              : model.features.slice(0, 2);
      const features: Record<string, FeatureValue> = {};
      for (const name of order) features[name] = values[name];
      return { features, prediction: i % 3 === 0 ? '1' : '0', score: i % 5 === 0 ? null : rng.uniform() };
    });
    expect([...model.features].sort()).toEqual(['plan', 'x', 'y']);
    expect(paneColumns(model)).toEqual([...model.features, 'prediction', 'score']);
    const pane = modelPaneFactory(model).empty();
    for (const event of events) pane.update(event);
    expect(pane.toJSON()).toEqual(byName(model, events));
    expect(pane.pca?.count).toBe(events.length);
  });
});
