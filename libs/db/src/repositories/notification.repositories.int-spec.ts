import { randomUUID } from 'node:crypto';
import { createIsolatedDatabase, uniqueName, type IsolatedDatabase } from '@driftline/testing';
import { AlertFactory } from '../../../../test/factories/alert.factory';
import {
  openDatabase,
  type ChannelSettings,
  type Database,
  type GroupOpening,
  type NewNotification,
} from '../index';

const at = (iso: string) => new Date(iso);

describe('notification repositories on Postgres', () => {
  let database: IsolatedDatabase;
  let db: Database;

  // a database of its own: claimDue would take other suites' due notifications
  beforeAll(async () => {
    database = await createIsolatedDatabase();
    db = await openDatabase({ url: database.url, poolSize: 2, applicationName: 'notification-repos' });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('keeps a channel secret on replace of the same type, drops it when the type changes', async () => {
    const id = uniqueName('chan');
    const created = await db.channels.create({
      id,
      settings: { type: 'slack', channel: '#ml' },
      secret: 'xoxb-secret',
    });
    expect(created).toMatchObject({ id, type: 'slack', settings: { type: 'slack', channel: '#ml' } });
    expect(
      await db.channels.create({ id, settings: { type: 'slack', channel: '#x' }, secret: null }),
    ).toBeNull();
    const kept = await db.channels.replace({
      id,
      settings: { type: 'slack', channel: '#ops' },
      secret: undefined,
    });
    expect(kept).toMatchObject({ settings: { channel: '#ops' }, secret: 'xoxb-secret' });
    const moved = await db.channels.replace({
      id,
      settings: { type: 'webhook', url: 'https://ci.example.com' },
      secret: undefined,
    });
    expect(moved).toMatchObject({ type: 'webhook', secret: null });
    expect(await db.channels.delete(id)).toBe(true);
    expect(await db.channels.find(id)).toBeNull();
  });

  it('keeps the secret out of a failed write, so a log of the error cannot show it', async () => {
    const settings = { type: 'pager', channel: '#ml' } as unknown as ChannelSettings;
    const failed: unknown = await db.channels
      .create({ id: uniqueName('bad'), settings, secret: 'xoxb-leak-me' })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/check constraint/);
    expect(JSON.stringify(failed)).not.toContain('xoxb-leak-me');
    expect(JSON.stringify(Object.entries(failed as object))).not.toContain('xoxb-leak-me');
  });

  it('pages routes by order, then id', async () => {
    const prefix = uniqueName('r');
    for (const [suffix, order] of [
      ['b', 2],
      ['a', 2],
      ['c', 1],
    ] as const) {
      await db.routes.create({
        id: `${prefix}-${suffix}`,
        order: order + 900_000,
        matchers: [{ name: 'severity', op: '=', value: 'critical' }],
        channels: ['x'],
        groupBy: ['modelId'],
        groupWaitMs: 1000,
        groupIntervalMs: null,
        repeatIntervalMs: null,
        continue: false,
      });
    }
    const first = await db.routes.page({ after: { order: 900_000, id: '' }, limit: 2 });
    expect(first.map((r) => r.id)).toEqual([`${prefix}-c`, `${prefix}-a`]);
    const next = await db.routes.page({ after: { order: first[1].order, id: first[1].id }, limit: 2 });
    expect(next.map((r) => r.id)).toEqual([`${prefix}-b`]);
    expect(next[0]).toMatchObject({ groupWaitMs: 1000, groupIntervalMs: null, continue: false });
  });

  it('lists silences by state and expires one: a pending silence then never starts', async () => {
    const now = at('2030-01-01T12:00:00Z');
    const base = {
      matchers: [{ name: 'modelId', op: '=' as const, value: 'bikes' }],
      createdBy: 'me',
      comment: 'c',
    };
    const active = await db.silences.create({
      ...base,
      startsAt: at('2030-01-01T11:00:00Z'),
      endsAt: at('2030-01-01T13:00:00Z'),
    });
    const pending = await db.silences.create({
      ...base,
      startsAt: at('2030-01-01T14:00:00Z'),
      endsAt: at('2030-01-01T15:00:00Z'),
    });
    expect((await db.silences.findActive(now)).map((s) => s.id)).toContain(active.id);
    expect((await db.silences.page({ state: 'pending', now, limit: 1000 })).map((s) => s.id)).toContain(
      pending.id,
    );

    const expired = await db.silences.expire(pending.id, now);
    expect(expired).toMatchObject({ startsAt: now, endsAt: now });
    expect((await db.silences.page({ state: 'expired', now, limit: 1000 })).map((s) => s.id)).toContain(
      pending.id,
    );
    expect(await db.silences.replace(pending.id, { ...base, startsAt: now, endsAt: now }, now)).toBeNull();
    expect(await db.silences.find('not-a-uuid')).toBeNull();
  });

  it('records an alert idempotently: a redelivery or a late firing event changes nothing', async () => {
    const alert = AlertFactory.create({ modelId: uniqueName('m') });
    const now = at('2030-01-01T12:00:00Z');
    expect(await db.alertGroups.recordAlert(alert, now)).toBe('new');
    expect(await db.alertGroups.recordAlert(alert, now)).toBe('unchanged');
    expect(await db.alertGroups.recordAlert(AlertFactory.resolved(alert), now)).toBe('resolved');
    expect(await db.alertGroups.recordAlert(AlertFactory.resolved(alert), now)).toBe('unchanged');
    expect(await db.alertGroups.recordAlert(alert, now)).toBe('unchanged');
    expect(await db.alertGroups.firing([alert.modelId], 'drift_statistic')).toEqual([]);
  });

  it('opens a group once, claims it when due, saves its log and deletes it when empty', async () => {
    const modelId = uniqueName('m');
    const [a, b] = [AlertFactory.create({ modelId }), AlertFactory.create({ modelId, feature: 'hum' })];
    const now = at('2030-01-01T12:00:00Z');
    const opening: GroupOpening = {
      routeId: uniqueName('route'),
      groupKey: JSON.stringify([['modelId', modelId]]),
      groupLabels: { modelId },
      channels: ['x'],
      groupIntervalMs: 300_000,
      repeatIntervalMs: 3_600_000,
      openedAt: now,
      firstFlushAt: at('2030-01-01T12:00:30Z'),
    };
    for (const [i, alert] of [a, b].entries()) {
      // members come in the order they were received
      await db.alertGroups.recordAlert(alert, new Date(now.getTime() + i));
      await db.alertGroups.join({ ...opening, firstFlushAt: at('2030-01-01T12:09:00Z') }, alert.alertId);
    }
    await db.transaction(async (tx) => {
      expect(await tx.alertGroups.claimDue(at('2030-01-01T12:00:29Z'))).toBeNull();
    });
    const group = await db.transaction(async (tx) => {
      const due = await tx.alertGroups.claimDue(at('2030-01-01T12:09:00Z'));
      expect(due).toMatchObject({ routeId: opening.routeId, groupLabels: { modelId }, log: null });
      // another flusher skips the locked group
      expect(await db.alertGroups.claimDue(at('2030-01-01T12:09:00Z')).then((g) => g?.id)).not.toBe(due!.id);
      expect((await tx.alertGroups.members(due!.id)).map((m) => m.alertId)).toEqual([a.alertId, b.alertId]);
      const log = { firing: [a.alertId, b.alertId], resolved: [], at: at('2030-01-01T12:09:00Z') };
      await tx.alertGroups.saveFlush(due!.id, {
        log,
        remove: [b.alertId],
        nextFlushAt: at('2030-01-01T12:14:00Z'),
      });
      return due!;
    });
    const saved = await db.transaction((tx) => tx.alertGroups.claimDue(at('2030-01-01T12:14:00Z')));
    expect(saved).toMatchObject({ id: group.id, log: { firing: [a.alertId, b.alertId], resolved: [] } });
    expect((await db.alertGroups.members(group.id)).map((m) => m.alertId)).toEqual([a.alertId]);
    await db.alertGroups.saveFlush(group.id, { log: null, remove: [a.alertId], nextFlushAt: null });
    expect(await db.alertGroups.members(group.id)).toEqual([]);
  });

  it('claims a due notification once per lease, logs each attempt and keeps a stale one from finishing it', async () => {
    const id = randomUUID();
    const channelId = uniqueName('chan');
    const notification: NewNotification = {
      id,
      channelId,
      channelType: 'slack',
      routeId: 'r',
      groupKey: '[]',
      kind: 'firing',
      title: '[FIRING:1] bikes',
      alertIds: ['a1'],
      payload: { type: 'slack', channel: '#ml', text: 't', blocks: [] },
      status: 'pending',
      reason: null,
      createdAt: at('2030-01-01T12:00:00Z'),
      nextAttemptAt: at('2030-01-01T12:00:00Z'),
      deadlineAt: at('2030-01-01T13:00:00Z'),
    };
    await db.notifications.record([notification]);
    const first = await db.notifications.claimDue(at('2030-01-01T12:00:01Z'), at('2030-01-01T12:00:31Z'), 10);
    expect(first.filter((c) => c.id === id)).toEqual([expect.objectContaining({ attempt: 1, channelId })]);
    expect(
      (await db.notifications.claimDue(at('2030-01-01T12:00:02Z'), at('2030-01-01T12:00:32Z'), 10)).map(
        (c) => c.id,
      ),
    ).not.toContain(id);
    // the lease ran out (a sender died): another attempt starts
    const second = await db.notifications.claimDue(
      at('2030-01-01T12:00:31Z'),
      at('2030-01-01T12:01:01Z'),
      10,
    );
    expect(second.find((c) => c.id === id)?.attempt).toBe(2);
    const result = {
      notificationId: id,
      durationMs: 12,
      httpStatus: 200,
      error: null,
      retryAfterMs: null,
      outcome: 'sent' as const,
      nextAttemptAt: null,
      reason: null,
      finishedAt: at('2030-01-01T12:00:32Z'),
    };
    expect(await db.notifications.completeAttempt({ ...result, attempt: 1 })).toBe(false);
    expect(await db.notifications.completeAttempt({ ...result, attempt: 2 })).toBe(true);
    const [stored] = await db.notifications.findPage({ channelId, limit: 10 });
    expect(stored).toMatchObject({ id, status: 'sent', finishedAt: result.finishedAt, nextAttemptAt: null });
    expect(stored.attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'sent', httpStatus: 200 }),
      expect.objectContaining({ attempt: 2, outcome: 'sent', durationMs: 12 }),
    ]);
    expect(await db.notifications.findPage({ channelId, status: 'pending', limit: 10 })).toEqual([]);
  });
});
