import { DriftlineClient } from './driftline.client';
import type { ClientError } from './client.stats';
import type { PredictionInput } from './event.kinds';
import { busy, refused, TransportStandIn } from './transport.mock';
import { waitFor } from '@driftline/testing';

const prediction = (i: number): PredictionInput => ({
  modelId: 'churn',
  modelVersion: '3',
  predictionId: `p-${i}`,
  features: { age: 40 + (i % 7) },
  prediction: 1,
});

/** A client on a stand-in transport with no waiting between retries. */
function clientOn(
  transport: TransportStandIn,
  tuning: Partial<{ maxBuffered: number; batchSize: number }> = {},
) {
  const errors: ClientError[] = [];
  const client = new DriftlineClient({
    transport,
    batchSize: tuning.batchSize ?? 100,
    maxBuffered: tuning.maxBuffered ?? 1000,
    lingerMs: 10,
    retry: { maxAttempts: 3, baseMs: 0, maxMs: 0 },
    onError: (e) => errors.push(e),
  });
  return { client, errors };
}

describe('DriftlineClient', () => {
  it('sends full batches of one kind and the rest on flush, filling in eventId and timestamp', async () => {
    const transport = new TransportStandIn();
    const { client } = clientOn(transport);
    for (let i = 0; i < 250; i++) client.prediction(prediction(i));
    client.groundTruth({
      modelId: 'churn',
      predictionId: 'p-1',
      label: 1,
      timestamp: new Date('2026-01-02T03:04:05Z'),
    });
    const stats = await client.flush();
    expect(stats).toMatchObject({ sent: 251, buffered: 0 });
    expect(transport.attempts.map((b) => [b.kind, b.events.length])).toEqual([
      ['prediction', 100],
      ['prediction', 100],
      ['prediction', 50],
      ['groundTruth', 1],
    ]);
    const [label] = transport.attempts[3].events;
    expect(label).toMatchObject({ timestamp: '2026-01-02T03:04:05.000Z', label: 1 });
    expect(label.eventId).toMatch(/^[0-9a-f-]{36}$/);
    const ids = new Set(transport.attempts.flatMap((b) => b.events.map((e) => e.eventId)));
    expect(ids.size).toBe(251);
  });

  it('sends a partial batch once the linger passes, without a flush', async () => {
    const transport = new TransportStandIn();
    const { client } = clientOn(transport);
    client.prediction(prediction(1));
    await waitUntil(() => client.stats().sent === 1);
    expect(transport.attempts).toHaveLength(1);
  });

  it('holds at most maxBuffered events, in flight included, and counts what it turns away', async () => {
    const transport = new TransportStandIn();
    transport.hold();
    const { client, errors } = clientOn(transport, { maxBuffered: 10, batchSize: 4 });
    const accepted = Array.from({ length: 25 }, (_, i) => client.prediction(prediction(i)));
    expect(accepted.filter(Boolean)).toHaveLength(10);
    expect(accepted.slice(10).some(Boolean)).toBe(false);
    expect(client.stats()).toMatchObject({ sent: 0, buffered: 10, dropped: { buffer_full: 15 } });
    expect(errors.filter((e) => e.reason === 'buffer_full')).toHaveLength(15);
    transport.release();
    expect(await client.flush()).toMatchObject({ sent: 10, buffered: 0 });
  });

  it('retries what is worth retrying and sends it once the receiver recovers', async () => {
    const transport = new TransportStandIn((attempt) => (attempt <= 2 ? busy() : { ok: true }));
    const { client, errors } = clientOn(transport);
    client.prediction(prediction(1));
    expect(await client.flush()).toMatchObject({ sent: 1, dropped: { retries_exhausted: 0 } });
    expect(transport.attempts).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('drops a batch after maxAttempts, and at once when the receiver refuses it, counting each event', async () => {
    const down = new TransportStandIn(() => busy());
    const failing = clientOn(down);
    for (let i = 0; i < 5; i++) failing.client.prediction(prediction(i));
    expect(await failing.client.flush()).toMatchObject({
      sent: 0,
      buffered: 0,
      dropped: { retries_exhausted: 5 },
    });
    expect(down.attempts).toHaveLength(3);
    expect(failing.errors).toEqual([
      {
        reason: 'retries_exhausted',
        count: 5,
        message: `stand-in: ${(busy() as { message: string }).message}`,
      },
    ]);

    const refusing = new TransportStandIn(() => refused);
    const rejected = clientOn(refusing);
    rejected.client.prediction(prediction(1));
    expect(await rejected.client.flush()).toMatchObject({ dropped: { rejected: 1 } });
    expect(refusing.attempts).toHaveLength(1);
  });

  it('drops an invalid event with its reasons, and never throws, even when onError does', () => {
    const transport = new TransportStandIn();
    const client = new DriftlineClient({
      transport,
      onError: () => {
        throw new Error('the app handler broke');
      },
    });
    const bad = { ...prediction(1), modelId: undefined } as unknown as PredictionInput;
    expect(client.prediction(bad)).toBe(false);
    expect(client.prediction(null as unknown as PredictionInput)).toBe(false);
    expect(client.stats().dropped.invalid).toBe(2);

    const errors: ClientError[] = [];
    const told = new DriftlineClient({ transport, onError: (e) => errors.push(e) });
    told.groundTruth({ modelId: 'churn', predictionId: 'p-1', label: 1, timestamp: 'yesterday' });
    expect(errors).toEqual([
      {
        reason: 'invalid',
        count: 1,
        message:
          'invalid groundTruth event: /timestamp must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T12:00:00Z',
      },
    ]);
  });

  it('close() sends what it can until its deadline, counts the rest, and refuses events after', async () => {
    const transport = new TransportStandIn();
    transport.hold();
    const { client } = clientOn(transport, { batchSize: 2 });
    for (let i = 0; i < 5; i++) client.prediction(prediction(i));
    const stats = await client.close(50);
    expect(stats).toMatchObject({ sent: 0, buffered: 0, dropped: { close_deadline: 5 } });
    expect(transport.closed).toBe(true);
    expect(client.prediction(prediction(9))).toBe(false);
    expect(client.stats().dropped.closed).toBe(1);
    // the send that was held ends later: it is not counted a second time
    transport.release();
    await waitUntil(() => transport.attempts.length >= 1);
    expect(client.stats()).toMatchObject({ sent: 0, dropped: { close_deadline: 5 } });
    expect(await client.close()).toBe(stats);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  await waitFor(condition, { message: 'the client caught up' });
}
