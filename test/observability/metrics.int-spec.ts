import { uniqueName, testKafkaBrokers, waitFor } from '@driftline/testing';
import { Kafka, logLevel } from 'kafkajs';
import { postEvents } from '../../scripts/demo-api.client';
import { E2eStack } from '../e2e/e2e.stack';
import { PredictionFactory } from '../factories/event.factory';
import { declaredFamilies, scrape, sumOf, type Sample } from './prometheus.text';

const SERVICES = ['api', 'monitor', 'notifier', 'dispatcher'] as const;

/** What every service serves, and what each consuming service adds on top. */
const EVERY_SERVICE = [
  'driftline_http_requests_total',
  'driftline_http_request_duration_seconds',
  'driftline_process_cpu_seconds_total',
];
const CONSUMER = [
  'driftline_events_consumed_total',
  'driftline_consumer_lag',
  'driftline_batch_duration_seconds',
  'driftline_dead_letters_total',
];
const OWN: Record<(typeof SERVICES)[number], string[]> = {
  api: [],
  monitor: [
    ...CONSUMER,
    'driftline_windows_evaluated_total',
    'driftline_windows_pending_evaluation',
    'driftline_window_evaluation_failures_total',
    'driftline_window_close_delay_seconds',
    'driftline_window_evaluation_delay_seconds',
    'driftline_late_events_total',
    'driftline_alerts_firing',
  ],
  notifier: [...CONSUMER, 'driftline_notifications_total', 'driftline_notification_failures_total'],
  dispatcher: [...CONSUMER, 'driftline_retrain_triggers_total'],
};

// Needs `npm run build`: the four services run from dist/, as `npm run up` runs them.
describe('/metrics of every service (the built stack on a real broker and Postgres)', () => {
  let stack: E2eStack;
  const url = (service: (typeof SERVICES)[number]) => {
    const found = stack.urls[service];
    if (found === undefined) throw new Error(`${service} did not start`);
    return found;
  };

  beforeAll(async () => {
    stack = await E2eStack.start({ services: ['notifier', 'dispatcher'], env: { LOG_LEVEL: 'info' } });
  }, 180_000);

  afterAll(() => stack?.stop(), 60_000);

  it.each(SERVICES)(
    '%s serves its driftline_* series, and counts its own scrapes by route',
    async (service) => {
      const first = await scrape(url(service));
      const families = declaredFamilies(first.text);
      for (const name of [...EVERY_SERVICE, ...OWN[service]])
        expect([name, families.has(name)]).toEqual([name, true]);
      for (const name of families.keys()) expect(name).toMatch(/^driftline_/);
      for (const sample of first.samples) expect(sample.labels.service).toBe(service);

      const { samples } = await scrape(url(service));
      expect(
        sumOf(samples, 'driftline_http_requests_total', { method: 'GET', route: '/metrics', status: '200' }),
      ).toBeGreaterThanOrEqual(1);
    },
  );

  it('moves the consumer series with a flow: events consumed by partition, lag back to 0, a dead letter by reason, requests by route pattern', async () => {
    const modelId = uniqueName('obs-model');
    const events = Array.from({ length: 30 }, (_, i) =>
      PredictionFactory.create({ modelId: `${modelId}-${i % 3}` }),
    );
    await postEvents(stack.api, 'predictions', events, stack.adminKey);
    const predictions = `${stack.topicPrefix}driftline.predictions.v1`;

    // one malformed record, straight to the broker (the api refuses bad JSON itself)
    const kafka = new Kafka({
      clientId: uniqueName('obs'),
      brokers: [testKafkaBrokers()],
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: predictions, messages: [{ key: modelId, value: '{"eventId": ' }] });
    await producer.disconnect();

    const consumedBy = (samples: Sample[]) =>
      samples.filter((s) => s.name === 'driftline_events_consumed_total' && s.labels.topic === predictions);
    const monitor = await waitFor(
      async () => {
        const { samples } = await scrape(url('monitor'));
        const consumed = consumedBy(samples).reduce((sum, s) => sum + s.value, 0);
        const lags = samples.filter(
          (s) => s.name === 'driftline_consumer_lag' && s.labels.topic === predictions,
        );
        const caughtUp = lags.length > 0 && lags.every((s) => s.value === 0);
        const dead = sumOf(samples, 'driftline_dead_letters_total', { topic: predictions });
        return consumed === events.length && caughtUp && dead === 1 ? samples : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250, message: 'the monitor consumed every event and caught up' },
    );

    const partitions = consumedBy(monitor).map((s) => s.labels.partition);
    expect(partitions.length).toBeGreaterThan(0);
    for (const partition of partitions) expect(['0', '1', '2']).toContain(partition);
    expect(
      sumOf(monitor, 'driftline_dead_letters_total', { topic: predictions, reason: 'malformed_json' }),
    ).toBe(1);
    expect(sumOf(monitor, 'driftline_batch_duration_seconds_count', { topic: predictions })).toBeGreaterThan(
      0,
    );

    await stack.fetch(`/v1/models/${modelId}-absent`, { headers: { 'x-request-id': 'obs-req-1' } });
    await fetch(`${stack.api}/v1/models/${modelId}`, { headers: { authorization: 'Bearer obs-secret-abc' } });
    await stack.fetch(`/no/such/${modelId}`);
    const { samples: api, text } = await scrape(stack.api);
    expect(
      sumOf(api, 'driftline_http_requests_total', {
        method: 'POST',
        route: '/v1/predictions',
        status: '202',
      }),
    ).toBe(1);
    expect(
      sumOf(api, 'driftline_http_requests_total', { method: 'GET', route: '/v1/models/:id', status: '404' }),
    ).toBe(1);
    expect(
      sumOf(api, 'driftline_http_requests_total', { method: 'GET', route: '/v1/models/:id', status: '401' }),
    ).toBe(1);
    expect(sumOf(api, 'driftline_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    expect(text).not.toContain(modelId); // raw paths never become labels

    const logLines = stack
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logLines.find((l) => l.requestId === 'obs-req-1')).toMatchObject({
      service: 'api',
      route: '/v1/models/:id',
      status: 404,
    });
    expect(stack.output()).not.toContain('obs-secret-abc');
  }, 150_000);
});
