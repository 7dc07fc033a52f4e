import type { DeadLetterRecord } from '@driftline/contracts';
import { countedDeadLetters, forgetRevokedLag, recordBatch } from './service.consumer';
import { ServiceMetrics } from './service.metrics';

const letter = (sourceTopic: string, reasons: string[]): DeadLetterRecord => ({
  sourceTopic,
  sourcePartition: 0,
  sourceOffset: '1',
  consumerGroup: 'g',
  key: null,
  valueBase64: null,
  reasons,
  failedAt: '2026-01-01T00:00:00Z',
});

describe('the consumer series', () => {
  it('count the committed records by partition, set the lag the batch left, and time it', async () => {
    const metrics = new ServiceMetrics('consumer-test');
    recordBatch(metrics, { topic: 't', partition: 2, processed: 5, deadLettered: 0, durationMs: 40, lag: 7 });
    recordBatch(metrics, { topic: 't', partition: 2, processed: 3, deadLettered: 1, durationMs: 60, lag: 0 });
    const consumed = (await metrics.eventsConsumed.get()).values;
    expect(consumed.map((v) => [v.labels, v.value])).toEqual([[{ topic: 't', partition: '2' }, 8]]);
    expect((await metrics.consumerLag.get()).values.map((v) => v.value)).toEqual([0]);
    const sum = (await metrics.batchDuration.get()).values.find((v) => v.metricName?.endsWith('_sum'));
    expect(sum?.value).toBeCloseTo(0.1, 6);
  });

  it('drop the lag of partitions a new assignment took away, and keep the held ones', async () => {
    const metrics = new ServiceMetrics('consumer-test');
    for (const partition of [0, 1, 2]) {
      recordBatch(metrics, { topic: 't', partition, processed: 1, deadLettered: 0, durationMs: 1, lag: 9 });
    }
    await forgetRevokedLag(metrics, { t: [1], u: [0] });
    const lag = (await metrics.consumerLag.get()).values;
    expect(lag.map((v) => [v.labels.partition, v.value])).toEqual([['1', 9]]);
  });

  it('count dead letters by source topic and reason once they were sent, not when sending failed', async () => {
    const metrics = new ServiceMetrics('consumer-test');
    let fail = false;
    const sink = countedDeadLetters(
      {
        send: async () => {
          if (fail) throw new Error('broker down');
        },
      },
      metrics,
    );
    await sink.send([letter('p', ['value is not valid JSON: x']), letter('p', ['/a is required'])]);
    fail = true;
    await expect(sink.send([letter('p', ['/a is required'])])).rejects.toThrow('broker down');
    const values = (await metrics.deadLetters.get()).values;
    expect(Object.fromEntries(values.map((v) => [`${v.labels.topic} ${v.labels.reason}`, v.value]))).toEqual({
      'p malformed_json': 1,
      'p invalid_event': 1,
    });
  });
});
