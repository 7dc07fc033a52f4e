import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '@driftline/db';
import { testDatabaseUrl, uniqueName } from '@driftline/testing';
import type { ErrorBody } from '@driftline/common';
import { readJson, startApi, type RunningApi } from '../models/api-app.fixture';
import type { ChannelList } from './channels.service';
import type { DeliveryList } from './deliveries.service';
import type { ChannelView, RouteView, SilenceView } from './notification.mapper';
import type { RouteList } from './routes.service';
import type { SilenceList } from './silences.service';

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('notifications API on the real app and Postgres', () => {
  let api: RunningApi;
  let db: Database;
  const call = async <T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> => {
    const response = await api.fetch(`${path}`, init);
    return {
      status: response.status,
      body: response.status === 204 ? (undefined as T) : await readJson<T>(response),
    };
  };
  const errorOf = async (path: string, init?: RequestInit) => call<ErrorBody>(path, init);

  beforeAll(async () => {
    api = await startApi();
    db = await openDatabase({
      url: testDatabaseUrl(),
      poolSize: 2,
      applicationName: 'notifications-api-test',
    });
  });
  afterAll(async () => {
    await db.close();
    await api.close();
  });

  describe('/v1/channels', () => {
    it('creates, reads, lists, replaces and deletes channels; a token or secret is never returned', async () => {
      const id = uniqueName('oncall');
      const token = `xoxb-${randomUUID()}`;
      const created = await call<ChannelView>(
        '/v1/channels',
        json('POST', {
          channelId: id,
          type: 'slack',
          slack: { channel: '#ml-alerts', token },
        }),
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        channelId: id,
        type: 'slack',
        slack: { channel: '#ml-alerts', hasToken: true },
      });
      expect(JSON.stringify(created.body)).not.toContain(token);

      const read = await call<ChannelView>(`/v1/channels/${id}`);
      expect(read.body).toEqual(created.body);
      expect(JSON.stringify(read.body)).not.toContain(token);

      // leaving the token out keeps it; null removes it
      const kept = await call<ChannelView>(
        `/v1/channels/${id}`,
        json('PUT', { type: 'slack', slack: { channel: '#ops' } }),
      );
      expect(kept.body.slack).toEqual({ channel: '#ops', hasToken: true });
      expect((await db.channels.find(id))?.secret).toBe(token);
      const cleared = await call<ChannelView>(
        `/v1/channels/${id}`,
        json('PUT', { channelId: id, type: 'slack', slack: { channel: '#ops', token: null } }),
      );
      expect(cleared.body.slack).toEqual({ channel: '#ops', hasToken: false });

      const secret = `s-${randomUUID()}`;
      const hook = await call<ChannelView>(
        '/v1/channels',
        json('POST', {
          channelId: `${id}-hook`,
          type: 'webhook',
          webhook: { url: 'https://ci.example.com/driftline', secret },
        }),
      );
      expect(hook.body).toMatchObject({
        webhook: { url: 'https://ci.example.com/driftline', hasSecret: true },
      });
      expect(JSON.stringify(hook.body)).not.toContain(secret);

      const mail = await call<ChannelView>(
        '/v1/channels',
        json('POST', {
          channelId: `${id}-mail`,
          type: 'email',
          email: { to: ['ml@example.com'] },
        }),
      );
      expect(mail.body).toMatchObject({ type: 'email', email: { to: ['ml@example.com'] } });

      const first = await call<ChannelList>(
        `/v1/channels?limit=1&cursor=${encodeURIComponent(cursorBefore(id))}`,
      );
      expect(first.body.channels.map((c) => c.channelId)).toEqual([id]);
      const next = await call<ChannelList>(`/v1/channels?limit=2&cursor=${first.body.nextCursor}`);
      expect(next.body.channels.map((c) => c.channelId)).toEqual([`${id}-hook`, `${id}-mail`]);
      expect(JSON.stringify(next.body)).not.toContain(secret);

      expect((await call(`/v1/channels/${id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await errorOf(`/v1/channels/${id}`)).body.error.code).toBe('channel_not_found');
    });

    it('answers 409 for a channel that exists and 404 for one that does not', async () => {
      const id = uniqueName('twice');
      const spec = { channelId: id, type: 'email', email: { to: ['a@example.com'] } };
      await call('/v1/channels', json('POST', spec));
      const again = await errorOf('/v1/channels', json('POST', spec));
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'channel_exists', details: { channelId: id } });
      const missing = await errorOf(`/v1/channels/${uniqueName('nope')}`, json('PUT', spec));
      expect(missing.status).toBe(400);
      expect(missing.body.error.code).toBe('channel_id_mismatch');
      const unknown = await errorOf(`/v1/channels/${id}-x`, json('PUT', { ...spec, channelId: undefined }));
      expect(unknown.status).toBe(404);
      expect((await errorOf(`/v1/channels/${id}-x`, { method: 'DELETE' })).status).toBe(404);
    });

    it('answers 400 unknown_field for a field the spec does not know, then every other reason', async () => {
      const response = await errorOf(
        '/v1/channels',
        json('POST', {
          channelId: uniqueName('bad'),
          type: 'slack',
          email: { to: ['x@example.com'] },
          pager: true,
        }),
      );
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('unknown_field');
      expect(response.body.error.details).toEqual({ fields: ['/pager'] });
      const mismatched = await errorOf(
        '/v1/channels',
        json('POST', {
          channelId: uniqueName('bad'),
          type: 'slack',
          email: { to: ['x@example.com'] },
        }),
      );
      expect(mismatched.body.error.details).toEqual([
        '/slack is required for a slack channel',
        '/email does not apply to a slack channel',
      ]);
      expect(typeof mismatched.body.error.requestId).toBe('string');
    });

    it('keeps a channel a route sends to: 409 channel_in_use', async () => {
      const channelId = uniqueName('used');
      const routeId = uniqueName('route');
      await call(
        '/v1/channels',
        json('POST', { channelId, type: 'email', email: { to: ['a@example.com'] } }),
      );
      await call('/v1/routes', json('POST', { routeId, order: 5, channels: [channelId] }));
      const refused = await errorOf(`/v1/channels/${channelId}`, { method: 'DELETE' });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({
        code: 'channel_in_use',
        details: { channelId, routes: [routeId] },
      });
      expect((await call(`/v1/routes/${routeId}`, { method: 'DELETE' })).status).toBe(204);
      expect((await call(`/v1/channels/${channelId}`, { method: 'DELETE' })).status).toBe(204);
    });
  });

  describe('/v1/routes', () => {
    let channelId: string;
    beforeAll(async () => {
      channelId = uniqueName('route-target');
      await call('/v1/channels', json('POST', { channelId, type: 'slack', slack: { channel: '#ml' } }));
    });

    it('creates a route with defaults written out, reads it back, replaces and deletes it', async () => {
      const routeId = uniqueName('critical');
      const created = await call<RouteView>(
        '/v1/routes',
        json('POST', {
          routeId,
          order: 10,
          matchers: [{ name: 'severity', op: '=~', value: 'critical|warning' }],
          channels: [channelId],
          groupWait: '90s',
          repeatInterval: '1h30m',
        }),
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        routeId,
        order: 10,
        groupBy: ['modelId'],
        groupWait: '1m30s',
        groupInterval: null,
        repeatInterval: '1h30m',
        continue: false,
      });
      expect((await call<RouteView>(`/v1/routes/${routeId}`)).body).toEqual(created.body);
      const replaced = await call<RouteView>(
        `/v1/routes/${routeId}`,
        json('PUT', {
          order: 11,
          channels: [channelId],
          groupBy: ['modelId', 'severity'],
          continue: true,
        }),
      );
      expect(replaced.body).toMatchObject({
        order: 11,
        groupBy: ['modelId', 'severity'],
        groupWait: null,
        continue: true,
      });
      expect((await call(`/v1/routes/${routeId}`, { method: 'DELETE' })).status).toBe(204);
      expect((await errorOf(`/v1/routes/${routeId}`)).body.error.code).toBe('route_not_found');
    });

    it('lists routes in the order they are tried, page by page', async () => {
      const prefix = uniqueName('ordered');
      for (const [suffix, order] of [
        ['b', 700_001],
        ['a', 700_001],
        ['c', 700_000],
      ] as const) {
        await call(
          '/v1/routes',
          json('POST', { routeId: `${prefix}-${suffix}`, order, channels: [channelId] }),
        );
      }
      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${cursor}`;
        const page: { body: RouteList } = await call<RouteList>(`/v1/routes${query}`);
        all.push(...page.body.routes.map((r) => r.routeId));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      expect(all.filter((id) => id.startsWith(prefix))).toEqual([
        `${prefix}-c`,
        `${prefix}-a`,
        `${prefix}-b`,
      ]);
      expect((await errorOf('/v1/routes?cursor=nonsense')).body.error.code).toBe('invalid_query');
      expect((await errorOf('/v1/routes?sort=order')).body.error).toMatchObject({
        code: 'unknown_parameter',
        details: { parameters: ['sort'], allowed: ['cursor', 'limit'] },
      });
    });

    it('answers 400 for bad regexes, durations, unknown channels and fields', async () => {
      const response = await errorOf(
        '/v1/routes',
        json('POST', {
          routeId: uniqueName('bad'),
          order: 1,
          matchers: [{ name: 'modelId', op: '=~', value: '(' }],
          channels: [channelId, 'no-such-channel'],
          groupWait: '5 minutes',
          groupInterval: '0s',
        }),
      );
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_route');
      const details = response.body.error.details as string[];
      expect(details).toHaveLength(4);
      expect(details[0]).toMatch(/^\/matchers\/0\/value: not a regular expression/);
      expect(details[1]).toMatch(/^\/groupWait: Invalid duration "5 minutes"/);
      expect(details[2]).toBe('/groupInterval: must be from 10ms to 1d');
      expect(details[3]).toBe('/channels/1: channel "no-such-channel" does not exist');
      const unknown = await errorOf(
        '/v1/routes',
        json('POST', { routeId: uniqueName('x'), order: 1, channels: [channelId], receiver: 'x' }),
      );
      expect(unknown.body.error).toMatchObject({ code: 'unknown_field', details: { fields: ['/receiver'] } });
    });
  });

  describe('/v1/silences', () => {
    const soon = (ms: number) => new Date(Date.now() + ms).toISOString();
    const spec = () => ({
      matchers: [{ name: 'modelId', op: '=', value: uniqueName('bikes') }],
      endsAt: soon(3_600_000),
      createdBy: 'oncall@example.com',
      comment: 'retraining in progress',
    });

    it('creates an active silence, expires it with DELETE, and keeps it listable as expired', async () => {
      const created = await call<SilenceView>('/v1/silences', json('POST', spec()));
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ state: 'active', createdBy: 'oncall@example.com' });
      const id = created.body.silenceId;
      expect(
        (await call<SilenceList>('/v1/silences?state=active&limit=1000')).body.silences.map(
          (s) => s.silenceId,
        ),
      ).toContain(id);

      const expired = await call<SilenceView>(`/v1/silences/${id}`, { method: 'DELETE' });
      expect(expired.status).toBe(200);
      expect(expired.body.state).toBe('expired');
      expect(Date.parse(expired.body.endsAt)).toBeLessThanOrEqual(Date.now());
      expect((await call<SilenceView>(`/v1/silences/${id}`)).body.state).toBe('expired');
      const listed = await call<SilenceList>('/v1/silences?state=expired&limit=1000');
      expect(listed.body.silences.find((s) => s.silenceId === id)?.state).toBe('expired');
      expect(
        (await call<SilenceList>('/v1/silences?state=active&limit=1000')).body.silences.map(
          (s) => s.silenceId,
        ),
      ).not.toContain(id);

      const replaced = await errorOf(`/v1/silences/${id}`, json('PUT', spec()));
      expect(replaced.status).toBe(409);
      expect(replaced.body.error.code).toBe('silence_expired');
    });

    it('lists newest first with a cursor, and a silence starting later is pending until then', async () => {
      const pending = await call<SilenceView>(
        '/v1/silences',
        json('POST', { ...spec(), startsAt: soon(600_000) }),
      );
      expect(pending.body.state).toBe('pending');
      const newer = await call<SilenceView>('/v1/silences', json('POST', spec()));
      const first = await call<SilenceList>('/v1/silences?limit=1');
      expect(first.body.silences[0].silenceId).toBe(newer.body.silenceId);
      const second = await call<SilenceList>(`/v1/silences?limit=1&cursor=${first.body.nextCursor}`);
      expect(second.body.silences[0].silenceId).toBe(pending.body.silenceId);
      const changed = await call<SilenceView>(
        `/v1/silences/${pending.body.silenceId}`,
        json('PUT', { ...spec(), comment: 'moved' }),
      );
      expect(changed.body).toMatchObject({
        silenceId: pending.body.silenceId,
        state: 'active',
        comment: 'moved',
      });
    });

    it('answers 400 for a silence that ends in the past or before it starts, 404 for an unknown id', async () => {
      const past = await errorOf('/v1/silences', json('POST', { ...spec(), endsAt: soon(-60_000) }));
      expect(past.status).toBe(400);
      expect(past.body.error).toMatchObject({
        code: 'invalid_silence',
        details: ['/endsAt must be after startsAt', '/endsAt is in the past'],
      });
      const backwards = await errorOf('/v1/silences', json('POST', { ...spec(), startsAt: soon(7_200_000) }));
      expect(backwards.body.error.details).toEqual(['/endsAt must be after startsAt']);
      const shape = await errorOf(
        '/v1/silences',
        json('POST', { matchers: [], endsAt: 'tomorrow', createdBy: '' }),
      );
      expect((shape.body.error.details as string[]).length).toBeGreaterThanOrEqual(4);
      expect((await errorOf(`/v1/silences/${randomUUID()}`)).body.error.code).toBe('silence_not_found');
      expect((await errorOf('/v1/silences/not-a-uuid', { method: 'DELETE' })).status).toBe(404);
      expect((await errorOf('/v1/silences?state=gone')).body.error.code).toBe('invalid_query');
    });
  });

  describe('GET /v1/deliveries', () => {
    it('shows every notification with its attempts, filtered by channel and status, newest first', async () => {
      const channelId = uniqueName('log');
      const base = {
        channelId,
        channelType: 'slack' as const,
        routeId: 'r',
        groupKey: '[["modelId","bikes"]]',
        kind: 'firing' as const,
        title: '[FIRING:1] bikes',
        alertIds: ['a1'],
        payload: { type: 'slack', channel: '#ml', text: 'x', blocks: [] },
        reason: null,
        createdAt: new Date(),
        nextAttemptAt: new Date(Date.now() + 86_400_000),
        deadlineAt: new Date(Date.now() + 3_600_000),
      };
      const [older, newer] = [randomUUID(), randomUUID()];
      await db.notifications.record([{ ...base, id: older, status: 'pending' }]);
      await db.notifications.record([
        { ...base, id: newer, status: 'failed', reason: 'channel "x" does not exist' },
      ]);
      const page = await call<DeliveryList>(`/v1/deliveries?channelId=${channelId}`);
      expect(page.body.deliveries.map((d) => d.notificationId)).toEqual([newer, older]);
      expect(page.body.deliveries[1]).toMatchObject({
        status: 'pending',
        attempts: [],
        title: '[FIRING:1] bikes',
      });
      expect(JSON.stringify(page.body)).not.toContain('"payload"');
      const failed = await call<DeliveryList>(`/v1/deliveries?channelId=${channelId}&status=failed`);
      expect(failed.body.deliveries).toEqual([
        expect.objectContaining({ notificationId: newer, reason: 'channel "x" does not exist' }),
      ]);
      const paged = await call<DeliveryList>(`/v1/deliveries?channelId=${channelId}&limit=1`);
      const rest = await call<DeliveryList>(
        `/v1/deliveries?channelId=${channelId}&limit=1&cursor=${paged.body.nextCursor}`,
      );
      expect(rest.body).toEqual({
        deliveries: [expect.objectContaining({ notificationId: older })],
        nextCursor: null,
      });
      expect((await errorOf('/v1/deliveries?status=lost')).body.error.code).toBe('invalid_query');
    });
  });

  it('documents every route in the OpenAPI document', async () => {
    const { body } = await call<{ paths: Record<string, Record<string, unknown>> }>('/docs/openapi.json');
    expect(Object.keys(body.paths['/v1/channels']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(body.paths['/v1/channels/{id}']).sort()).toEqual([
      'delete',
      'get',
      'parameters',
      'put',
    ]);
    expect(Object.keys(body.paths['/v1/routes']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(body.paths['/v1/routes/{id}']).sort()).toEqual(['delete', 'get', 'parameters', 'put']);
    expect(Object.keys(body.paths['/v1/silences']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(body.paths['/v1/silences/{id}']).sort()).toEqual([
      'delete',
      'get',
      'parameters',
      'put',
    ]);
    expect(Object.keys(body.paths['/v1/deliveries'])).toEqual(['get']);
  });
});

/** A cursor that starts the channel list just before `id` (cursors are opaque; this one is made by hand). */
function cursorBefore(id: string): string {
  return Buffer.from(JSON.stringify([id.slice(0, -1)])).toString('base64url');
}
