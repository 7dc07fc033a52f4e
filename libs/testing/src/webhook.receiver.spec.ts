import { startWebhookReceiver, type WebhookReceiver } from './webhook.receiver';

describe('startWebhookReceiver', () => {
  let receiver: WebhookReceiver;
  afterEach(() => receiver.close());

  it('records method, path, headers and the exact body bytes', async () => {
    receiver = await startWebhookReceiver();
    const body = '{"triggerId":"t-1","reason":"PSI 0.31 > 0.2 — ✓"}';
    const response = await fetch(`${receiver.url}/hooks/retrain?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Driftline-Signature': 'sha256=abc' },
      body,
    });
    expect(response.status).toBe(200);
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hooks/retrain?x=1');
    expect(request.headers['x-driftline-signature']).toBe('sha256=abc');
    expect(request.body.equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(request.text).toBe(body);
  });

  it('answers the scripted statuses in order, then the default', async () => {
    receiver = await startWebhookReceiver({
      responses: [500, { status: 429, headers: { 'retry-after': '7' } }],
    });
    receiver.respondWith(503);
    const post = () => fetch(receiver.url, { method: 'POST', body: 'x' });
    const first = await post();
    const second = await post();
    const third = await post();
    const fourth = await post();
    expect([first.status, second.status, third.status, fourth.status]).toEqual([500, 429, 503, 200]);
    expect(second.headers.get('retry-after')).toBe('7');
    expect(receiver.requests.map((r) => r.status)).toEqual([500, 429, 503, 200]);
  });

  it('answers what respond decides from the request once the script is used up', async () => {
    receiver = await startWebhookReceiver({
      responses: [503],
      respond: (request) => (request.headers['x-token'] === 'right' ? 202 : { status: 401, body: 'no' }),
    });
    const post = (token: string) => fetch(receiver.url, { method: 'POST', headers: { 'x-token': token } });
    const statuses = [
      (await post('right')).status,
      (await post('right')).status,
      (await post('wrong')).status,
    ];
    expect(statuses).toEqual([503, 202, 401]);
    expect(receiver.requests.map((r) => r.status)).toEqual([503, 202, 401]);
  });
});
