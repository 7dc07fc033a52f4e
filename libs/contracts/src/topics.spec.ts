import { topicNames } from './topics';

describe('topicNames', () => {
  it('prefixes every v1 topic with the namespace', () => {
    expect(topicNames('t1.')).toEqual({
      predictions: 't1.driftline.predictions.v1',
      groundTruth: 't1.driftline.ground-truth.v1',
      alerts: 't1.driftline.alerts.v1',
      retrainTriggers: 't1.driftline.retrain-triggers.v1',
      deadLetter: 't1.driftline.dead-letter.v1',
    });
  });

  it('uses the bare names without a prefix', () => {
    expect(topicNames().predictions).toBe('driftline.predictions.v1');
  });
});
