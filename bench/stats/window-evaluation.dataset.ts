import { buildReferenceProfile, type RawValue } from '@driftline/stats';
import { BenchDataset, CATEGORICAL_FEATURES, NUMERIC_FEATURES } from '../monitor/prediction.generator';
import { modelPaneFactory } from '../../services/monitor/src/model.pane';
import { monitoredModel, type MonitoredModel } from '../../services/monitor/src/monitored.model';
import type { WindowToEvaluate } from '../../services/monitor/src/window.evaluator';

/** A monitored model as `npm run bench` registers it: 20 numeric and 5 categorical features. */
export function benchModel(seed: number, referenceRows = 1000): MonitoredModel {
  const dataset = new BenchDataset(1, seed);
  const [header, ...lines] = dataset.referenceCsv(0, referenceRows).trim().split('\n');
  const names = header.split(',');
  const categorical = new Set(CATEGORICAL_FEATURES);
  const rows = lines.map((line) => {
    const row: Record<string, RawValue> = {};
    line.split(',').forEach((v, i) => (row[names[i]] = categorical.has(names[i]) ? v : Number(v)));
    return row;
  });
  const types: Record<string, 'numeric' | 'categorical'> = {};
  for (const f of NUMERIC_FEATURES) types[f] = 'numeric';
  for (const f of CATEGORICAL_FEATURES) types[f] = 'categorical';
  const profile = buildReferenceProfile(rows, { prediction: 'prediction', types }).toJSON();
  const model = monitoredModel({
    spec: dataset.spec(dataset.modelIds[0]),
    reference: { id: `ref-${seed}`, profile },
  });
  if (model === null) throw new Error('the bench model has a reference');
  return model;
}

/**
 * The stored summary (JSON text, as the window row holds it) of a closed window of `events` live
 * events of the model, built as the monitor builds it: 12 panes, merged.
 */
export function storedWindowSummary(model: MonitoredModel, seed: number, events: number): string {
  const dataset = new BenchDataset(1, seed);
  const factory = modelPaneFactory(model);
  const panes = Array.from({ length: 12 }, () => factory.empty());
  for (let i = 0; i < events; i++) {
    const { features, prediction } = dataset.next(0);
    panes[i % panes.length].update({ features, prediction, score: null });
  }
  const window = panes.reduce((into, pane) => into.merge(pane), factory.empty());
  return JSON.stringify(window.toJSON());
}

/** The closed window the pending-window evaluator hands to evaluateWindowDrift, from its stored JSON. */
export function windowFromStored(
  model: MonitoredModel,
  stored: string,
  eventCount: number,
): WindowToEvaluate {
  return {
    start: Date.UTC(2026, 11, 2, 12, 0),
    end: Date.UTC(2026, 11, 2, 12, 2),
    eventCount,
    lateEvents: 0,
    duplicateEvents: 0,
    summary: modelPaneFactory(model).fromJSON(JSON.parse(stored)),
  };
}
