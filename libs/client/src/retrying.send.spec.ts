import { sendWithRetries } from './retrying.send';
import { busy, refused, TransportStandIn } from './transport.mock';

const event = {
  eventId: 'e-1',
  modelId: 'm',
  predictionId: 'p-1',
  timestamp: '2026-01-01T00:00:00Z',
  label: 1,
};
const policy = { maxAttempts: 4, baseMs: 100, maxMs: 1000 };

describe('sendWithRetries', () => {
  it('waits with full jitter between attempts, and at least what a Retry-After asks', async () => {
    const answers = [busy(), busy(2500), busy(), { ok: true as const }];
    const transport = new TransportStandIn((attempt) => answers[attempt - 1]);
    const waits: number[] = [];
    const result = await sendWithRetries(transport, 'groundTruth', [event], policy, {
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
    });
    expect(result).toEqual({ ok: true, attempts: 4 });
    // 0.5 of 100, of 200 (the Retry-After wins), of 400
    expect(waits).toEqual([50, 2500, 200]);
  });

  it('gives up after maxAttempts, at once on a refusal, and before a retry when told to stop', async () => {
    const sleep = async () => undefined;
    const down = await sendWithRetries(new TransportStandIn(() => busy()), 'groundTruth', [event], policy, {
      sleep,
    });
    expect(down).toMatchObject({ ok: false, reason: 'retries_exhausted', attempts: 4 });
    const no = await sendWithRetries(new TransportStandIn(() => refused), 'groundTruth', [event], policy, {
      sleep,
    });
    expect(no).toMatchObject({ ok: false, reason: 'rejected', attempts: 1, last: { status: 401 } });
    const stopped = await sendWithRetries(
      new TransportStandIn(() => busy()),
      'groundTruth',
      [event],
      policy,
      {
        sleep,
        stop: () => true,
      },
    );
    expect(stopped).toMatchObject({ ok: false, reason: 'abandoned', attempts: 1 });
  });
});
