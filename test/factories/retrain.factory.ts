import { randomUUID } from 'node:crypto';
import type { PipelineSpec, RetrainTriggerEvent } from '@driftline/contracts';

export const RetrainTriggerFactory = {
  create(overrides: Partial<RetrainTriggerEvent> = {}): RetrainTriggerEvent {
    return {
      triggerId: randomUUID(),
      modelId: 'bikes',
      modelVersion: '1.0.0',
      reason: 'drift share 0.6 > 0.5 for 2 windows',
      alertIds: [randomUUID()],
      windowStart: '2024-05-01T11:00:00.000Z',
      windowEnd: '2024-05-01T12:00:00.000Z',
      createdAt: '2024-05-01T12:00:05.000Z',
      ...overrides,
    };
  },
};

export const PipelineSpecFactory = {
  create(overrides: Partial<PipelineSpec> = {}): PipelineSpec {
    return {
      pipelineId: `pipeline-${randomUUID().slice(0, 8)}`,
      url: 'http://127.0.0.1:9/retrain',
      secret: `secret-${randomUUID()}`,
      matchers: [],
      cooldown: '6h',
      ...overrides,
    };
  },
};
