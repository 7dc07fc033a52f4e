import { validateChannelSpec, validateRouteSpec, validateSilenceSpec } from './notification-spec';

describe('notification specs', () => {
  it.each([
    { channelId: 'oncall', type: 'slack', slack: { channel: '#ml-alerts' } },
    { channelId: 'oncall', type: 'slack', slack: { channel: 'C0123', token: 'xoxb-1' } },
    { channelId: 'ml-mail', type: 'email', email: { to: ['ml@example.com', 'oncall@example.com'] } },
    { channelId: 'hook', type: 'webhook', webhook: { url: 'https://ci.example.com/hook', secret: null } },
  ])('accepts the channel %j', (spec) => {
    expect(validateChannelSpec(spec)).toEqual({ ok: true, value: spec });
  });

  it('names every reason a channel is invalid, with its path', () => {
    const result = validateChannelSpec({
      channelId: 'bad id',
      type: 'pager',
      email: { to: ['not-an-address'] },
      webhook: { url: 'ftp://x', secret: 'short' },
      extra: 1,
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : [...result.errors].sort()).toEqual(
      [
        "(root) has unknown property 'extra'",
        '/channelId must match pattern "^[A-Za-z0-9][A-Za-z0-9._:-]*$"',
        '/type must be equal to one of the allowed values',
        '/email/to/0 must match pattern "^[^\\s@<>,;]+@[^\\s@<>,;]+$"',
        '/webhook/url must match pattern "^https?://"',
        '/webhook/secret must NOT have fewer than 16 characters',
      ].sort(),
    );
  });

  it('checks a route: matchers, channels, group labels', () => {
    const route = {
      routeId: 'critical',
      order: 1,
      matchers: [{ name: 'severity', op: '=~', value: 'critical|warning' }],
      channels: ['oncall'],
      groupBy: ['modelId', 'severity'],
      groupWait: '30s',
      continue: true,
    };
    expect(validateRouteSpec(route).ok).toBe(true);
    const bad = validateRouteSpec({ ...route, order: 1.5, channels: [], groupBy: ['model-id'], op: '=' });
    expect(bad.ok ? [] : [...bad.errors].sort()).toEqual(
      [
        "(root) has unknown property 'op'",
        '/order must be of type integer',
        '/channels must NOT have fewer than 1 items',
        '/groupBy/0 must match pattern "^[A-Za-z_][A-Za-z0-9_]*$"',
      ].sort(),
    );
  });

  it('needs a silence to match something and to say who and why', () => {
    const bad = validateSilenceSpec({ matchers: [], endsAt: 'tomorrow' });
    expect(bad.ok ? [] : [...bad.errors].sort()).toEqual(
      [
        '/createdBy is required',
        '/comment is required',
        '/matchers must NOT have fewer than 1 items',
        '/endsAt must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T12:00:00Z',
      ].sort(),
    );
  });
});
