import { startWebhookReceiver, type WebhookReceiver } from '@driftline/testing';
import { HttpTransport } from './http.transport';

const event = {
  eventId: 'g-1',
  modelId: 'churn',
  predictionId: 'p-1',
  timestamp: '2026-01-01T00:00:00Z',
  label: 1,
};

// A stand-in answering as the API does; the real API is in driftline.client.int-spec.ts.
describe('HttpTransport', () => {
  let api: WebhookReceiver;
  beforeAll(async () => {
    api = await startWebhookReceiver();
  });
  afterAll(() => api.close());

  it('POSTs the batch as a JSON array with the key, and tells what an answer is worth', async () => {
    const transport = new HttpTransport({ url: `${api.url}/`, key: 'dl_k', requestTimeoutMs: 5000 });
    const shaped = (code: string) => JSON.stringify({ error: { code, message: `${code} here` } });
    api.respondWith(
      202,
      { status: 429, headers: { 'retry-after': '2' }, body: shaped('rate_limited') },
      { status: 400, body: shaped('invalid_events') },
      { status: 502, body: '<html>bad gateway</html>' },
    );
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await transport.send('groundTruth', [event]));
    expect(outcomes).toEqual([
      { ok: true },
      {
        ok: false,
        retryable: true,
        retryAfterMs: 2000,
        status: 429,
        message: 'HTTP 429 rate_limited: rate_limited here',
      },
      {
        ok: false,
        retryable: false,
        retryAfterMs: null,
        status: 400,
        message: 'HTTP 400 invalid_events: invalid_events here',
      },
      {
        ok: false,
        retryable: true,
        retryAfterMs: null,
        status: 502,
        message: 'HTTP 502: <html>bad gateway</html>',
      },
    ]);
    expect(api.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/ground-truth',
      headers: { authorization: 'Bearer dl_k', 'content-type': 'application/json' },
    });
    expect(JSON.parse(api.requests[0].text)).toEqual([event]);
  });
});
