import { startWebhookReceiver, type WebhookReceiver } from '@driftline/testing';
import { runCli, tempDir, writeJsonl } from './cli.fixture';

const refusal = (status: number, code: string, message: string) => ({
  status,
  body: JSON.stringify({ error: { code, message, details: null, requestId: 'r-1' } }),
});

// An API stand-in answering as the API's key check does; the real API is in the *.int-spec.ts files.
describe('the API commands and keys', () => {
  let api: WebhookReceiver;
  beforeEach(async () => {
    api = await startWebhookReceiver();
  });
  afterEach(() => api.close());

  it('send the key as a bearer token, from --key or DRIFTLINE_API_KEY, to DRIFTLINE_API_URL', async () => {
    api.respondWith({ status: 200, body: '[]' });
    expect(await runCli(['models', '--api', api.url, '--key', 'dl_flag'])).toMatchObject({ code: 0 });
    const saved = { ...process.env };
    Object.assign(process.env, { DRIFTLINE_API_URL: api.url, DRIFTLINE_API_KEY: 'dl_env' });
    try {
      api.respondWith({ status: 200, body: '{"alerts":[],"nextCursor":null}' });
      expect(await runCli(['alerts'])).toEqual({ code: 0, stdout: 'no alerts\n', stderr: '' });
    } finally {
      process.env = saved;
    }
    expect(api.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/v1/models?limit=1000', 'Bearer dl_flag'],
      ['/v1/alerts?limit=100', 'Bearer dl_env'],
    ]);
  });

  it('exit 3 with the API’s one line when it refuses the key (401, 403)', async () => {
    api.respondWith(refusal(401, 'unauthenticated', 'a valid API key is required'));
    expect(await runCli(['models', '--api', api.url])).toEqual({
      code: 3,
      stdout: '',
      stderr: 'driftline: HTTP 401 unauthenticated: a valid API key is required\n',
    });
    api.respondWith(refusal(403, 'forbidden', 'the key lacks the read scope'));
    expect((await runCli(['windows', 'bikes', '--api', api.url, '--key', 'k'])).stderr).toBe(
      'driftline: HTTP 403 forbidden: the key lacks the read scope\n',
    );
  });

  it('replay stops at a refused key: nothing more is sent, exit 3', async () => {
    api.respondWith(refusal(401, 'unauthenticated', 'a valid API key is required'));
    const event = (i: number) => ({
      eventId: `e-${i}`,
      modelId: 'm',
      modelVersion: '1',
      predictionId: `p-${i}`,
      timestamp: '2026-01-01T00:00:00Z',
      features: { x: i },
      prediction: 1,
    });
    const file = writeJsonl(
      tempDir(),
      'events.jsonl',
      Array.from({ length: 6 }, (_, i) => event(i)),
    );
    const run = await runCli([
      'replay',
      '--file',
      file,
      '--rate',
      '1000',
      '--batch',
      '2',
      '--api',
      api.url,
      '--key',
      'bad',
    ]);
    expect(run).toEqual({
      code: 3,
      stdout: '',
      stderr:
        'driftline: HTTP 401 unauthenticated: a valid API key is required (replay stopped: 0 of 6 events sent)\n',
    });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({
      path: '/v1/predictions',
      headers: { authorization: 'Bearer bad' },
    });
  });
});
