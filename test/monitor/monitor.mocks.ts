import type { PredictionEvent } from '@driftline/contracts';
import type { ValidBatch } from '@driftline/kafka';
import { silentLogger } from '@driftline/kafka';
import { PredictionFactory } from '../factories/event.factory';
import { strictMock } from '../utils/strict-mock';
import type { MonitoredModel } from '../../services/monitor/src/monitored.model';
import type {
  ModelDefinitionStore,
  MonitorUnitOfWork,
  StoredDefinition,
} from '../../services/monitor/src/monitor.store';
import { topicNames } from '@driftline/contracts';
import { PerformanceService } from '../../services/monitor/src/performance.service';
import { RuleEvaluator } from '../../services/monitor/src/rules/rule.evaluator';
import { WindowOutcomeWriter } from '../../services/monitor/src/window-outcome.writer';
import { WindowService } from '../../services/monitor/src/window.service';
import { MemoryStateTable } from './monitor.fixtures';

export const logger = silentLogger;

/** A clock the test moves. */
export class TestClock {
  constructor(public time: number) {}
  now(): number {
    return this.time;
  }
}

/** Definitions as the control plane stores them for these models; any other id is unknown. */
export function definitionsOf(models: MonitoredModel[]): ModelDefinitionStore {
  return strictMock<ModelDefinitionStore>({
    find: jest.fn(async (ids: string[], known: readonly string[]) => {
      const found = new Map<string, StoredDefinition>();
      for (const m of models) {
        if (!ids.includes(m.modelId)) continue;
        const id = m.stateKey.split('/')[0];
        found.set(m.modelId, {
          spec: m.spec,
          reference: { id, profile: known.includes(id) ? null : m.profile.toJSON() },
        });
      }
      return found;
    }),
  });
}

export type MockParts = { [K in keyof MonitorUnitOfWork]?: Partial<MonitorUnitOfWork[K]> };

/**
 * A unit of work whose window and pane state live in memory and whose other repositories are strict
 * mocks: only the members given exist, any other call throws.
 */
export function unitOfWork(parts: MockParts = {}): MonitorUnitOfWork {
  const members: Partial<MonitorUnitOfWork> = {
    windowState: new MemoryStateTable(),
    paneState: new MemoryStateTable(),
    // models without monitors unless a test gives some
    monitors: { forModels: async () => [] },
  };
  for (const [name, part] of Object.entries(parts)) {
    (members as Record<string, unknown>)[name] = strictMock(part as object);
  }
  return strictMock<MonitorUnitOfWork>(members);
}

export function batch(events: PredictionEvent[], partition = 0): ValidBatch<PredictionEvent> {
  return {
    topic: 'predictions',
    partition,
    records: events.map((value, i) => ({
      topic: 'predictions',
      partition,
      offset: String(i),
      key: value.modelId,
      timestamp: '0',
      value,
    })),
  };
}

export function prediction(modelId: string, time: number, id: string, x = 0.5): PredictionEvent {
  return PredictionFactory.create({
    modelId,
    predictionId: id,
    timestamp: new Date(time).toISOString(),
    features: { x, plan: 'a' },
    prediction: '1',
    score: 0.75,
  });
}

/** The window services over one outcome writer whose rule evaluator uses `clock`. */
export function windowServices(clock: { now(): number } = new TestClock(0)): {
  performance: PerformanceService;
  windows: WindowService;
  outcomes: WindowOutcomeWriter;
} {
  const outcomes = new WindowOutcomeWriter(
    new RuleEvaluator(topicNames(''), 'http://localhost:8080', clock, logger),
  );
  const performance = new PerformanceService(outcomes);
  return { performance, windows: new WindowService(), outcomes };
}
