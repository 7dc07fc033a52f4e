import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from './webhook.signature';

describe('webhook signatures', () => {
  const body = '{"triggerId":"t-1"}';
  const t = 1_790_000_000;

  it('is the hex HMAC-SHA256 of "<t>.<raw body>", as a receiver in any language computes it', () => {
    const expected = createHmac('sha256', 's3cret').update(`${t}.${body}`).digest('hex');
    expect(signWebhook('s3cret', body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it.each([
    ['a fresh signature', 's3cret', body, t + 10, { ok: true }],
    ['another secret', 'other', body, t, { ok: false, reason: 'signature mismatch' }],
    ['a changed body', 's3cret', `${body} `, t, { ok: false, reason: 'signature mismatch' }],
    [
      'a signature older than 5 minutes',
      's3cret',
      body,
      t + 301,
      { ok: false, reason: 'signature timestamp out of tolerance' },
    ],
  ])('%s', (_, secret, received, now, result) => {
    expect(verifyWebhook(secret, received, signWebhook('s3cret', body, t), now)).toEqual(result);
  });

  it.each([undefined, 't=abc,v1=00', `t=${t}`, `v1=${'0'.repeat(64)}`])('refuses the header %p', (header) => {
    expect(verifyWebhook('s3cret', body, header, t).ok).toBe(false);
  });
});
