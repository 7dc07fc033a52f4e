export * from './topics';
export * from './prediction.event';
export * from './ground-truth.event';
export * from './alert.event';
export * from './retrain-trigger.event';
export * from './dead-letter.record';
export * from './event.validator';
export * from './model-spec';
