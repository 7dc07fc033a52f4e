import { buildReferenceProfile } from '@driftline/stats';
import { REFERENCE_ROWS, testModel } from '../../../test/monitor/monitor.fixtures';
import { monitoredModel } from './monitored.model';

describe('monitoredModel', () => {
  it('is null without a reference', () => {
    expect(monitoredModel({ spec: testModel().spec, reference: null })).toBeNull();
  });

  it('monitors the declared features only, and finds the prediction and score columns by role', () => {
    const model = testModel({ features: { plan: 'categorical' } });
    expect(model.features).toEqual(['plan']);
    expect([model.predictionColumn, model.scoreColumn]).toEqual(['prediction', 'score']);
    expect(model.window).toEqual({ size: 600_000, step: 300_000, allowedLateness: 0, emitEmpty: false });
    expect(model.labelHorizonMs).toBe(7 * 86_400_000);
  });

  it('keys pane state by reference and window, so panes of another cannot be merged', () => {
    expect(testModel().stateKey).toBe('ref-1/600000/300000');
    expect(testModel({}, 'ref-2').stateKey).not.toBe(testModel().stateKey);
  });

  it('has no CBPE without a calibration in the profile, and none for a task other than binary', () => {
    const profile = buildReferenceProfile(REFERENCE_ROWS).toJSON();
    const spec = { ...testModel().spec, task: 'regression' as const };
    const model = monitoredModel({
      spec,
      reference: { id: 'r', profile: { ...profile, calibration: null } },
    });
    expect(model?.cbpe).toBeNull();
    expect(model?.pca).toBeNull();
  });
});
