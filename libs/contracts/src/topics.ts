/** Base names of the v1 topics; deployments prefix them with KAFKA_TOPIC_PREFIX. */
export const TOPIC_BASE_NAMES = {
  predictions: 'driftline.predictions.v1',
  groundTruth: 'driftline.ground-truth.v1',
  alerts: 'driftline.alerts.v1',
  retrainTriggers: 'driftline.retrain-triggers.v1',
  deadLetter: 'driftline.dead-letter.v1',
} as const;

export type TopicKind = keyof typeof TOPIC_BASE_NAMES;
export type TopicNames = Record<TopicKind, string>;

export function topicNames(prefix = ''): TopicNames {
  return {
    predictions: prefix + TOPIC_BASE_NAMES.predictions,
    groundTruth: prefix + TOPIC_BASE_NAMES.groundTruth,
    alerts: prefix + TOPIC_BASE_NAMES.alerts,
    retrainTriggers: prefix + TOPIC_BASE_NAMES.retrainTriggers,
    deadLetter: prefix + TOPIC_BASE_NAMES.deadLetter,
  };
}
