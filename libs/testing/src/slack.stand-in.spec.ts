import { ErrorCode, WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { startSlackStandIn, type SlackStandIn } from './slack.stand-in';

describe('startSlackStandIn', () => {
  let slack: SlackStandIn;
  beforeEach(async () => {
    slack = await startSlackStandIn({ token: 'xoxb-right' });
  });
  afterEach(() => slack.close());

  const client = (token = 'xoxb-right') =>
    new WebClient(token, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });

  it('accepts chat.postMessage from @slack/web-api and records text and Block Kit blocks', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Drift* on `churn` — PSI 0.31' } }];
    const result = await client().chat.postMessage({ channel: '#ml-alerts', text: 'Drift on churn', blocks });
    expect(result.ok).toBe(true);
    expect(result.channel).toBe('#ml-alerts');
    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]).toMatchObject({
      channel: '#ml-alerts',
      text: 'Drift on churn',
      blocks,
      ts: result.ts,
    });
    expect(slack.calls[0]).toMatchObject({ method: 'chat.postMessage', token: 'xoxb-right' });
  });

  it('gives each message its own ts', async () => {
    const a = await client().chat.postMessage({ channel: 'C1', text: 'a' });
    const b = await client().chat.postMessage({ channel: 'C1', text: 'b', thread_ts: a.ts });
    expect(a.ts).not.toBe(b.ts);
    expect(slack.messages[1].threadTs).toBe(a.ts);
  });

  it('rejects a wrong token with invalid_auth', async () => {
    await expect(client('xoxb-wrong').chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: 'invalid_auth' },
    });
    expect(slack.messages).toHaveLength(0);
  });

  it('fails the next N posts with the given error, then succeeds', async () => {
    slack.failNext(2, 'channel_not_found');
    const post = () => client().chat.postMessage({ channel: 'C1', text: 'x' });
    for (let i = 0; i < 2; i++) {
      const error = (await post().catch((e: unknown) => e)) as WebAPIPlatformError;
      expect(error.data.error).toBe('channel_not_found');
    }
    await expect(post()).resolves.toMatchObject({ ok: true });
    expect(slack.calls.map((c) => c.response.ok)).toEqual([false, false, true]);
  });

  it('answers 429 with Retry-After, which the client reports as rate limiting', async () => {
    slack.rateLimitNext(1, 30);
    await expect(client().chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 30,
    });
    expect(slack.calls[0].status).toBe(429);
    await expect(client().chat.postMessage({ channel: 'C1', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('lets a retrying client succeed after waiting out Retry-After', async () => {
    slack.rateLimitNext(1, 1);
    const retrying = new WebClient('xoxb-right', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 1, minTimeout: 0 },
    });
    await expect(retrying.chat.postMessage({ channel: 'C1', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
    expect(slack.calls.map((c) => c.status)).toEqual([429, 200]);
    expect(slack.messages).toHaveLength(1);
  });

  it('answers auth.test for a client checking its token', async () => {
    await expect(client().auth.test()).resolves.toMatchObject({ ok: true, team_id: 'T0000TEST' });
  });

  it('hands each posted message to onMessage, and no failed post', async () => {
    const seen: string[] = [];
    const hooked = await startSlackStandIn({ onMessage: (m) => seen.push(`${m.channel} ${m.text}`) });
    try {
      const post = (text: string) =>
        new WebClient(hooked.token, { slackApiUrl: hooked.apiUrl, retryConfig: { retries: 0 } }).chat
          .postMessage({ channel: '#ml-alerts', text })
          .catch(() => undefined);
      hooked.failNext(1);
      await post('lost');
      await post('drift on churn');
      expect(seen).toEqual(['#ml-alerts drift on churn']);
    } finally {
      await hooked.close();
    }
  });
});
