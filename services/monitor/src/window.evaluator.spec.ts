import { columnDrift, datasetDrift, type RawValue } from '@driftline/stats';
import type { ClosedWindow } from '@driftline/windowing';
import { REFERENCE_ROWS, testModel } from '../../../test/monitor/monitor.fixtures';
import { modelPaneFactory, type ModelPane, type PaneEvent } from './model.pane';
import { evaluateWindow } from './window.evaluator';

const model = testModel();
const START = Date.UTC(2026, 0, 1, 12, 0);

function closed(events: PaneEvent[]): ClosedWindow<ModelPane> {
  const factory = modelPaneFactory(model);
  // two panes, merged as the tracker merges them
  const first = factory.empty();
  const second = factory.empty();
  events.forEach((e, i) => (i % 2 === 0 ? first : second).update(e));
  return {
    key: 'm1',
    start: START,
    end: START + 600_000,
    eventCount: events.length,
    lateEvents: 2,
    duplicateEvents: 1,
    closedBy: 'watermark',
    summary: factory.empty().merge(first).merge(second),
  };
}

const current: PaneEvent[] = Array.from({ length: 90 }, (_, i) => ({
  features: { x: i % 10 === 0 ? null : (i % 7) - 1.5, plan: ['a', 'b', 'b', 'c'][i % 4] },
  prediction: i % 3 === 0 ? '1' : '0',
  score: (i % 10) / 10,
}));

const values = (rows: readonly Record<string, RawValue>[], name: string) => rows.map((r) => r[name]);

describe('evaluateWindow', () => {
  const { row, points } = evaluateWindow(model, closed(current), null);

  it('gives the exact binned and categorical figures of columnDrift on the same rows', () => {
    const x = columnDrift(
      'x',
      values(REFERENCE_ROWS, 'x'),
      current.map((e) => e.features.x),
      {
        method: 'psi',
        bins: 10,
      },
    );
    const plan = columnDrift(
      'plan',
      values(REFERENCE_ROWS, 'plan'),
      current.map((e) => e.features.plan),
      {
        type: 'categorical',
        method: 'chisquare',
      },
    );
    const [gotX, gotPlan] = row.result.drift.columns;
    expect(gotX.statistic).toBeCloseTo(x.statistic as number, 12);
    expect(gotX.missingShare).toBe(0.1);
    expect(gotX.drifted).toBe(x.drifted);
    expect(gotPlan.statistic).toBeCloseTo(plan.statistic as number, 12);
    expect(gotPlan.pValue).toBeCloseTo(plan.pValue as number, 12);
    const dataset = datasetDrift([x, plan]);
    expect(row.result.drift.driftShare).toBe(dataset.driftShare);
    expect(row.result.drift.datasetDrift).toBe(dataset.datasetDrift);
  });

  it('names the prediction and score drift __prediction__ and __score__', () => {
    expect(row.result.drift.predictionDrift?.map((c) => [c.column, c.method])).toEqual([
      ['__prediction__', 'ztest'],
      ['__score__', 'ks'],
    ]);
  });

  it('writes counts, missing shares and per-column figures as metric points', () => {
    const find = (feature: string, metric: string) =>
      points.find((p) => p.feature === feature && p.metric === metric)?.value;
    expect(find('', 'event_count')).toBe(90);
    expect(find('', 'late_events')).toBe(2);
    expect(find('', 'duplicate_events')).toBe(1);
    expect(row.result.duplicateEvents).toBe(1);
    expect(find('x', 'missing_share')).toBe(0.1);
    expect(find('x', 'drift_statistic')).toBe(row.result.drift.columns[0].statistic);
    expect(find('x', 'drift_p_value')).toBeUndefined();
    expect(find('plan', 'drift_p_value')).toBe(row.result.drift.columns[1].pValue);
    expect(find('__prediction__', 'drifted')).toBe(row.result.drift.predictionDrift?.[0].drifted ? 1 : 0);
    expect(
      points.every((p) => p.windowStart.getTime() === START && p.windowEnd.getTime() === START + 600_000),
    ).toBe(true);
  });

  it('reports a column with no value in the window as skipped, with a missing share of 1', () => {
    const empty = current.map((e) => ({ ...e, features: { ...e.features, plan: null } }));
    const result = evaluateWindow(model, closed(empty), null);
    expect(result.row.result.drift.columns.map((c) => c.column)).toEqual(['x']);
    expect(result.row.result.drift.skipped).toEqual([{ column: 'plan', reason: 'no value in the window' }]);
    expect(result.points.find((p) => p.feature === 'plan' && p.metric === 'missing_share')?.value).toBe(1);
  });

  it('adds the performance known so far with its labelled share', () => {
    const performance = {
      labelledShare: 0.5,
      metrics: {
        accuracy: 0.8,
        precision: 1,
        recall: 0.5,
        f1: 2 / 3,
        rocAuc: 0.75,
        logLoss: null,
        brier: null,
        confusionMatrix: { tp: 1, fp: 0, fn: 1, tn: 3 },
      },
    };
    const result = evaluateWindow(model, closed(current), performance);
    expect(result.row.result.performance).toEqual(performance);
    const metrics = result.points.filter((p) => ['labelled_share', 'accuracy', 'roc_auc'].includes(p.metric));
    // stored under the catalogue's snake_case names
    expect(metrics.map((p) => [p.metric, p.value])).toEqual([
      ['labelled_share', 0.5],
      ['accuracy', 0.8],
      ['roc_auc', 0.75],
    ]);
  });
});

describe('evaluateWindow of a model with a task', () => {
  it('writes a labelled share of 0 while no prediction of the window is labelled', () => {
    const { points } = evaluateWindow(model, closed(current), null);
    expect(points.filter((p) => p.metric === 'labelled_share').map((p) => p.value)).toEqual([0]);
  });
});
