import { ServiceMetrics } from './service.metrics';

const line = (text: string, series: string) => text.split('\n').find((l) => l.startsWith(series));

describe('ServiceMetrics.exposition', () => {
  it('sums the series of its sources with its own, by name and labels', async () => {
    const main = new ServiceMetrics('monitor');
    const workers = [1, 2].map(() => new ServiceMetrics('monitor', { defaultMetrics: false }));
    workers[0].eventsConsumed.inc({ topic: 't', partition: '0' }, 5);
    workers[1].eventsConsumed.inc({ topic: 't', partition: '1' }, 7);
    workers[1].eventsConsumed.inc({ topic: 't', partition: '0' }, 2);
    workers[0].lateEvents.inc(3);
    workers[1].batchDuration.observe({ topic: 't' }, 0.2);
    workers[0].batchDuration.observe({ topic: 't' }, 0.3);
    main.addSource(() => Promise.all(workers.map((w) => w.registry.getMetricsAsJSON())));

    const text = await main.exposition();
    expect(line(text, 'driftline_events_consumed_total{topic="t",partition="0"')).toMatch(/ 7$/);
    expect(line(text, 'driftline_events_consumed_total{topic="t",partition="1"')).toMatch(/ 7$/);
    expect(line(text, 'driftline_late_events_total{')).toMatch(/ 3$/);
    expect(line(text, 'driftline_batch_duration_seconds_count{')).toMatch(/ 2$/);
    expect(line(text, 'driftline_batch_duration_seconds_bucket{le="0.25"')).toMatch(/ 1$/);
    // the process series come from the main registry only
    expect(text.split('\n').filter((l) => l.startsWith('driftline_process_cpu_seconds_total'))).toHaveLength(
      1,
    );
  });

  it('without sources serves its registry as it is', async () => {
    const metrics = new ServiceMetrics('api', { defaultMetrics: false });
    metrics.lateEvents.inc();
    expect(await metrics.exposition()).toBe(await metrics.registry.metrics());
  });
});
