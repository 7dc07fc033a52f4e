import type { GroundTruthEvent, PredictionEvent } from '@driftline/contracts';
import type { SeenEvent, SeenEventKey, SeenEventKind } from '@driftline/db';
import type { Logger, ValidBatch } from '@driftline/kafka';
import { GroundTruthFactory, PredictionFactory } from '../../../test/factories/event.factory';
import { strictMock } from '../../../test/utils/strict-mock';
import { ServiceMetrics } from '@driftline/common';
import { batchKeys, EventDedupService, type DedupStore } from './event-dedup.service';

function batchOf<T>(values: T[], topic = 'predictions'): ValidBatch<T> {
  return {
    topic,
    partition: 2,
    records: values.map((value, i) => ({
      topic,
      partition: 2,
      offset: String(100 + i),
      key: null,
      timestamp: '0',
      value,
    })),
  };
}

/** seen_events in memory, with the repository's contract: a stored key is never new again. */
function seenEvents(): DedupStore & { calls: [SeenEventKind, SeenEvent[]][] } {
  const stored = new Set<string>();
  const calls: [SeenEventKind, SeenEvent[]][] = [];
  return {
    calls,
    seenEvents: strictMock<DedupStore['seenEvents']>({
      store: async (kind: SeenEventKind, events: readonly SeenEvent[]): Promise<SeenEventKey[]> => {
        calls.push([kind, [...events]]);
        const before = events.filter((e) => stored.has(`${kind}/${e.modelId}/${e.eventId}`));
        for (const e of events) stored.add(`${kind}/${e.modelId}/${e.eventId}`);
        return before.map(({ modelId, eventId }) => ({ modelId, eventId }));
      },
    }),
  };
}

function recordingLogger(): Logger & { lines: [string, object][] } {
  const lines: [string, object][] = [];
  const keep = (level: string) => (context: object, message: string) =>
    lines.push([level, { ...context, message }]);
  return { lines, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

async function duplicatesCounted(metrics: ServiceMetrics): Promise<Record<string, number>> {
  const { values } = await metrics.duplicateEvents.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.kind), v.value]));
}

const p = (modelId: string, eventId: string, timestamp = '2024-05-01T12:00:30Z') =>
  PredictionFactory.create({ modelId, eventId, timestamp });

describe('batchKeys', () => {
  it('gives each record its key and keeps the first event of each model and eventId, in order', () => {
    const records = batchOf([p('a', 'e1'), p('b', 'e1'), p('a', 'e1'), p('a', 'e2'), p('b', 'e1')]).records;
    const { keys, first } = batchKeys(records);
    expect(keys).toEqual(['a\u0000e1', 'b\u0000e1', 'a\u0000e1', 'a\u0000e2', 'b\u0000e1']);
    expect(first.map((e) => `${e.modelId}/${e.eventId}`)).toEqual(['a/e1', 'b/e1', 'a/e2']);
  });
});

describe('EventDedupService', () => {
  it('passes a batch of new events through whole, storing each id with its event time', async () => {
    const store = seenEvents();
    const metrics = new ServiceMetrics('monitor');
    const logger = recordingLogger();
    const batch = batchOf([p('a', 'e1', '2024-05-01T14:00:00+02:00'), p('a', 'e2')]);
    const { fresh, duplicates } = await new EventDedupService(86_400_000, metrics, logger).predictions(
      batch,
      store,
    );
    expect(fresh).toBe(batch);
    expect(duplicates).toEqual([]);
    expect(store.calls).toEqual([
      [
        'prediction',
        [
          { modelId: 'a', eventId: 'e1', eventTimeMs: Date.parse('2024-05-01T12:00:00Z') },
          { modelId: 'a', eventId: 'e2', eventTimeMs: Date.parse('2024-05-01T12:00:30Z') },
        ],
      ],
    ]);
    expect(await duplicatesCounted(metrics)).toEqual({});
    expect(logger.lines).toEqual([]);
  });

  it('drops ids stored by earlier batches and repeats within the batch, keeping the first', async () => {
    const store = seenEvents();
    const metrics = new ServiceMetrics('monitor');
    const logger = recordingLogger();
    const dedup = new EventDedupService(86_400_000, metrics, logger);
    await dedup.predictions(batchOf([p('a', 'e1'), p('b', 'e9')]), store);

    const second = batchOf([
      p('a', 'e1'),
      p('a', 'e2'),
      p('b', 'e1'),
      p('a', 'e2'),
      p('b', 'e9'),
      p('a', 'e3'),
    ]);
    const { fresh, duplicates } = await dedup.predictions(second, store);
    expect(fresh.records.map((r) => r.offset)).toEqual(['101', '102', '105']);
    expect(fresh).toMatchObject({ topic: 'predictions', partition: 2 });
    expect(duplicates.map((r) => r.offset)).toEqual(['100', '103', '104']);
    // one insert per batch, each key once
    expect(store.calls[1][1].map((e) => `${e.modelId}/${e.eventId}`)).toEqual([
      'a/e1',
      'a/e2',
      'b/e1',
      'b/e9',
      'a/e3',
    ]);
    expect(await duplicatesCounted(metrics)).toEqual({ prediction: 3 });
    expect(logger.lines).toEqual([
      [
        'info',
        expect.objectContaining({
          topic: 'predictions',
          partition: 2,
          duplicates: 3,
          records: 6,
          models: { a: 2, b: 1 },
        }),
      ],
    ]);
  });

  it('keeps predictions and labels apart, and counts label duplicates under their own kind', async () => {
    const store = seenEvents();
    const metrics = new ServiceMetrics('monitor');
    const dedup = new EventDedupService(86_400_000, metrics, recordingLogger());
    await dedup.predictions(batchOf([p('a', 'same-id')]), store);
    const label = GroundTruthFactory.create({ modelId: 'a', eventId: 'same-id' });
    const labels: ValidBatch<GroundTruthEvent> = batchOf([label, label], 'ground-truth');
    const { fresh, duplicates } = await dedup.labels(labels, store);
    expect([fresh.records.length, duplicates.length]).toEqual([1, 1]);
    expect(store.calls.map(([kind]) => kind)).toEqual(['prediction', 'groundTruth']);
    expect(await duplicatesCounted(metrics)).toEqual({ ground_truth: 1 });
  });

  it('names the ten models with most duplicates in its one log line, and counts the others', async () => {
    const store = seenEvents();
    const logger = recordingLogger();
    const dedup = new EventDedupService(86_400_000, new ServiceMetrics('monitor'), logger);
    const events: PredictionEvent[] = Array.from({ length: 12 }, (_, m) => p(`m${m}`, 'e'));
    await dedup.predictions(batchOf(events), store);
    await dedup.predictions(batchOf([...events, events[11]]), store);
    expect(logger.lines).toHaveLength(1);
    const [, context] = logger.lines[0] as [string, { models: Record<string, number>; otherModels: number }];
    expect(context.models.m11).toBe(2);
    expect(Object.keys(context.models)).toHaveLength(10);
    expect(context.otherModels).toBe(2);
  });

  it('with a horizon of 0 keeps every event and stores nothing', async () => {
    const tx = { seenEvents: strictMock<DedupStore['seenEvents']>({}) };
    const batch = batchOf([p('a', 'e1'), p('a', 'e1')]);
    const dedup = new EventDedupService(0, new ServiceMetrics('monitor'), recordingLogger());
    expect(await dedup.predictions(batch, tx)).toEqual({ fresh: batch, duplicates: [] });
  });
});
