import type { RetrainTriggerEvent } from '@driftline/contracts';
import type { NewRetrainDelivery, PipelineRecord, RetrainCooldown } from '@driftline/db';
import type { ValidBatch } from '@driftline/kafka';
import { RetrainTriggerFactory } from '../../../test/factories/retrain.factory';
import { strictMock } from '../../../test/utils/strict-mock';
import { createLogger, ServiceMetrics } from '@driftline/common';
import { TriggerIntakeService, type IntakeUnitOfWork } from './trigger-intake.service';

const HOUR = 3_600_000;
const NOW = Date.UTC(2024, 4, 1, 12, 0, 10);
const DEADLINE_MS = 24 * HOUR;

function pipeline(overrides: Partial<PipelineRecord> = {}): PipelineRecord {
  return {
    id: 'airflow',
    url: 'http://127.0.0.1:9/hook',
    secret: 'secret-secret-secret',
    matchers: [],
    cooldownMs: 6 * HOUR,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}

/** Postgres as the intake sees it: unique (trigger, pipeline), the latest cooldown kept. */
function memoryStore(pipelines: PipelineRecord[]) {
  const deliveries: NewRetrainDelivery[] = [];
  const cooldowns = new Map<string, RetrainCooldown>();
  const effects: (() => void)[] = [];
  const tx: IntakeUnitOfWork = {
    pipelines: strictMock<IntakeUnitOfWork['pipelines']>({ findAll: async () => pipelines }),
    retrainDeliveries: strictMock<IntakeUnitOfWork['retrainDeliveries']>({
      recordedPipelines: async (triggerId) =>
        deliveries.filter((d) => d.triggerId === triggerId).map((d) => d.pipelineId),
      cooldown: async (modelId, pipelineId) => cooldowns.get(`${modelId}/${pipelineId}`) ?? null,
      record: async (delivery) => {
        if (
          deliveries.some((d) => d.triggerId === delivery.triggerId && d.pipelineId === delivery.pipelineId)
        )
          return false;
        deliveries.push(delivery);
        return true;
      },
      startCooldown: async (modelId, pipelineId, cooldown) => {
        const current = cooldowns.get(`${modelId}/${pipelineId}`);
        if (!current || current.triggeredAt < cooldown.triggeredAt)
          cooldowns.set(`${modelId}/${pipelineId}`, cooldown);
      },
    }),
    afterCommit: (effect) => effects.push(effect),
  };
  const commit = () => effects.splice(0).forEach((effect) => effect());
  return { tx, deliveries, commit };
}

function batchOf(...triggers: RetrainTriggerEvent[]): ValidBatch<RetrainTriggerEvent> {
  return {
    topic: 'driftline.retrain-triggers.v1',
    partition: 0,
    records: triggers.map((value, i) => ({
      topic: 'driftline.retrain-triggers.v1',
      partition: 0,
      offset: String(i),
      key: value.modelId,
      timestamp: String(NOW),
      value,
    })),
  };
}

function intake() {
  const metrics = new ServiceMetrics('dispatcher-test');
  const wake = jest.fn();
  const service = new TriggerIntakeService(
    { now: () => NOW },
    DEADLINE_MS,
    metrics,
    createLogger('dispatcher-test', 'silent'),
    wake,
  );
  const counted = async () => ({
    triggers: (await metrics.retrainTriggers.get()).values.reduce((s, v) => s + v.value, 0),
    skipped:
      (await metrics.retrainDeliveries.get()).values.find((v) => v.labels.status === 'skipped')?.value ?? 0,
  });
  return { service, wake, counted };
}

const at = (hours: number) => new Date(Date.UTC(2024, 4, 1, 12) + hours * HOUR).toISOString();

describe('TriggerIntakeService', () => {
  it('records one pending delivery per matching pipeline, with the trigger as the body', async () => {
    const store = memoryStore([
      pipeline({ id: 'all' }),
      pipeline({ id: 'bikes-only', matchers: [{ name: 'modelId', op: '=~', value: 'bikes.*' }] }),
      pipeline({ id: 'taxis-only', matchers: [{ name: 'modelId', op: '=', value: 'taxis' }] }),
      pipeline({ id: 'not-manual', matchers: [{ name: 'reason', op: '!~', value: 'manual:.*' }] }),
    ]);
    const trigger = RetrainTriggerFactory.create({ modelId: 'bikes-v2', reason: 'manual: new data' });
    const { service } = intake();
    await service.record(batchOf(trigger), store.tx);

    expect(store.deliveries).toEqual(
      ['all', 'bikes-only'].map((pipelineId) => ({
        triggerId: trigger.triggerId,
        pipelineId,
        modelId: 'bikes-v2',
        body: JSON.stringify(trigger),
        status: 'pending',
        reason: null,
        recordedAt: new Date(NOW),
        nextAttemptAt: new Date(NOW),
        deadlineAt: new Date(NOW + DEADLINE_MS),
      })),
    );
  });

  it('skips a second trigger of the same model within the cooldown, per pipeline, and counts it', async () => {
    const store = memoryStore([
      pipeline({ id: 'slow', cooldownMs: 6 * HOUR }),
      pipeline({ id: 'fast', cooldownMs: HOUR }),
    ]);
    const first = RetrainTriggerFactory.create({ createdAt: at(0) });
    const second = RetrainTriggerFactory.create({ createdAt: at(2) });
    const otherModel = RetrainTriggerFactory.create({ modelId: 'taxis', createdAt: at(2) });
    const { service, counted } = intake();
    await service.record(batchOf(first, second, otherModel), store.tx);
    store.commit();

    const outcome = store.deliveries.map((d) => [d.triggerId, d.pipelineId, d.status, d.reason]);
    expect(outcome).toEqual([
      [first.triggerId, 'slow', 'pending', null],
      [first.triggerId, 'fast', 'pending', null],
      [second.triggerId, 'slow', 'skipped', `cooldown: within 6h of trigger ${first.triggerId}`],
      [second.triggerId, 'fast', 'pending', null],
      [otherModel.triggerId, 'slow', 'pending', null],
      [otherModel.triggerId, 'fast', 'pending', null],
    ]);
    expect(await counted()).toEqual({ triggers: 3, skipped: 1 });
  });

  it('measures the cooldown from the last delivered trigger, not from skipped ones', async () => {
    const store = memoryStore([pipeline({ cooldownMs: 6 * HOUR })]);
    const hours = [0, 4, 8, 12];
    const triggers = hours.map((h) => RetrainTriggerFactory.create({ createdAt: at(h) }));
    await intake().service.record(batchOf(...triggers), store.tx);
    // 4 h is within 6 h of 0 h; 8 h is not (the skipped one at 4 h does not extend it); 12 h is within 6 h of 8 h
    expect(store.deliveries.map((d) => d.status)).toEqual(['pending', 'skipped', 'pending', 'skipped']);
  });

  it('changes nothing for a trigger consumed again, in the same batch or a later one', async () => {
    const store = memoryStore([pipeline()]);
    const trigger = RetrainTriggerFactory.create();
    const { service, wake } = intake();
    await service.record(batchOf(trigger, trigger), store.tx);
    store.commit();
    await service.record(batchOf(trigger), store.tx);
    store.commit();
    expect(store.deliveries).toHaveLength(1);
    expect(store.deliveries[0].status).toBe('pending');
    expect(wake).toHaveBeenCalledTimes(1);
  });

  it('counts and wakes the sender only once the transaction has committed', async () => {
    const store = memoryStore([pipeline()]);
    const { service, wake, counted } = intake();
    await service.record(batchOf(RetrainTriggerFactory.create()), store.tx);
    expect(wake).not.toHaveBeenCalled();
    expect(await counted()).toEqual({ triggers: 0, skipped: 0 });
    store.commit();
    expect(wake).toHaveBeenCalledTimes(1);
    expect(await counted()).toEqual({ triggers: 1, skipped: 0 });
  });

  it('records nothing for a trigger no pipeline matches, and does not wake the sender', async () => {
    const store = memoryStore([pipeline({ matchers: [{ name: 'modelId', op: '=', value: 'taxis' }] })]);
    const { service, wake } = intake();
    await service.record(batchOf(RetrainTriggerFactory.create({ modelId: 'bikes' })), store.tx);
    store.commit();
    expect(store.deliveries).toEqual([]);
    expect(wake).not.toHaveBeenCalled();
  });
});
