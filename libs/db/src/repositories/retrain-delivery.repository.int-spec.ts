import { createIsolatedDatabase, uniqueName, type IsolatedDatabase } from '@driftline/testing';
import { openDatabase, type Database, type NewRetrainDelivery } from '../index';

const at = (iso: string) => new Date(iso);

function pending(overrides: Partial<NewRetrainDelivery> = {}): NewRetrainDelivery {
  return {
    triggerId: uniqueName('trigger'),
    pipelineId: uniqueName('pipeline'),
    modelId: uniqueName('model'),
    body: '{"triggerId":"t"}',
    status: 'pending',
    reason: null,
    recordedAt: at('2024-05-01T12:00:00Z'),
    nextAttemptAt: at('2024-05-01T12:00:00Z'),
    deadlineAt: at('2024-05-02T12:00:00Z'),
    ...overrides,
  };
}

describe('pipeline and retrain delivery repositories on Postgres', () => {
  // a database of its own: claimDue takes every due delivery, whoever recorded it
  let isolated: IsolatedDatabase;
  let db: Database;

  beforeAll(async () => {
    isolated = await createIsolatedDatabase();
    db = await openDatabase({ url: isolated.url, poolSize: 3, applicationName: 'retrain-repos' });
  });
  afterAll(async () => {
    await db?.close();
    await isolated?.drop();
  });

  describe('pipelines', () => {
    it('creates once, replaces keeping the secret when none is given, pages by id and deletes', async () => {
      const base = uniqueName('p');
      const write = (suffix: string) => ({
        id: `${base}-${suffix}`,
        url: `http://127.0.0.1:9/${suffix}`,
        secret: `secret-of-${suffix}-0123456789`,
        matchers: [{ name: 'modelId', op: '=' as const, value: 'bikes' }],
        cooldownMs: 3_600_000,
      });
      const created = await db.pipelines.create(write('a'));
      expect(created).toMatchObject({ ...write('a'), matchers: write('a').matchers });
      expect(await db.pipelines.create(write('a'))).toBeNull();
      await db.pipelines.create(write('b'));
      await db.pipelines.create(write('c'));

      const replaced = await db.pipelines.replace({
        ...write('a'),
        url: 'http://127.0.0.1:9/new',
        secret: null,
      });
      expect(replaced).toMatchObject({ url: 'http://127.0.0.1:9/new', secret: write('a').secret });
      expect(await db.pipelines.replace({ ...write('zz'), secret: null })).toBeNull();

      const first = await db.pipelines.page({ afterId: base, limit: 2 });
      expect(first.map((p) => p.id)).toEqual([`${base}-a`, `${base}-b`]);
      const second = await db.pipelines.page({ afterId: first[1].id, limit: 2 });
      expect(second[0].id).toBe(`${base}-c`);

      // a failed write: the error keeps the statement, not the secret
      const failed = await db.pipelines.create({ ...write('d'), cooldownMs: -1 }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(Error);
      expect(JSON.stringify(failed)).not.toContain(write('d').secret);
      expect(String((failed as Error).message)).toMatch(/check constraint/);

      expect(await db.pipelines.delete(`${base}-b`)).toBe(true);
      expect(await db.pipelines.delete(`${base}-b`)).toBe(false);
      expect(await db.pipelines.find(`${base}-b`)).toBeNull();
    });
  });

  describe('retrain deliveries', () => {
    it('records a trigger once per pipeline', async () => {
      const delivery = pending();
      expect(await db.retrainDeliveries.record(delivery)).toBe(true);
      expect(await db.retrainDeliveries.record({ ...delivery, body: 'other' })).toBe(false);
      expect(await db.retrainDeliveries.recordedPipelines(delivery.triggerId)).toEqual([delivery.pipelineId]);
      const [stored] = await db.retrainDeliveries.findPage({ triggerId: delivery.triggerId, limit: 10 });
      expect(stored).toMatchObject({
        status: 'pending',
        body: delivery.body,
        attempts: [],
        finishedAt: null,
      });
    });

    it('keeps the latest trigger of a cooldown, whatever order they are stored in', async () => {
      const modelId = uniqueName('model');
      const pipelineId = uniqueName('pipeline');
      expect(await db.retrainDeliveries.cooldown(modelId, pipelineId)).toBeNull();
      const later = { triggerId: 't-2', triggeredAt: at('2024-05-01T14:00:00Z') };
      await db.retrainDeliveries.startCooldown(modelId, pipelineId, later);
      await db.retrainDeliveries.startCooldown(modelId, pipelineId, {
        triggerId: 't-1',
        triggeredAt: at('2024-05-01T12:00:00Z'),
      });
      expect(await db.retrainDeliveries.cooldown(modelId, pipelineId)).toEqual(later);
    });

    it('stores a skipped delivery as finished', async () => {
      const skipped = pending({
        status: 'skipped',
        reason: 'cooldown',
        nextAttemptAt: null,
        deadlineAt: null,
      });
      await db.retrainDeliveries.record(skipped);
      const [stored] = await db.retrainDeliveries.findPage({ triggerId: skipped.triggerId, limit: 1 });
      expect(stored).toMatchObject({ status: 'skipped', reason: 'cooldown', finishedAt: skipped.recordedAt });
    });

    it('claims due deliveries once, under a lease, and logs each attempt', async () => {
      const now = at('2030-01-01T00:00:00Z');
      const delivery = pending({
        nextAttemptAt: at('2029-12-31T23:59:59Z'),
        deadlineAt: at('2030-01-02T00:00:00Z'),
      });
      await db.retrainDeliveries.record(delivery);
      const leaseUntil = at('2030-01-01T00:00:20Z');

      // two senders at once: SKIP LOCKED hands the row to one of them
      const [a, b] = await Promise.all([
        db.transaction((tx) => tx.retrainDeliveries.claimDue(now, leaseUntil, 1000)),
        db.transaction((tx) => tx.retrainDeliveries.claimDue(now, leaseUntil, 1000)),
      ]);
      const mine = (list: typeof a) => list.filter((c) => c.triggerId === delivery.triggerId);
      expect(mine(a).length + mine(b).length).toBe(1);
      const [claim] = [...mine(a), ...mine(b)];
      expect(claim).toMatchObject({ attempt: 1, body: delivery.body, deadlineAt: delivery.deadlineAt });
      // within the lease nobody else takes it
      expect(mine(await db.retrainDeliveries.claimDue(now, leaseUntil, 1000))).toEqual([]);

      expect(
        await db.retrainDeliveries.completeAttempt({
          deliveryId: claim.id,
          attempt: 1,
          durationMs: 12,
          httpStatus: 503,
          error: null,
          outcome: 'retry',
          nextAttemptAt: at('2030-01-01T00:00:05Z'),
          reason: null,
          finishedAt: null,
        }),
      ).toBe(true);

      // after the lease of attempt 2 ran out, attempt 3 begins; attempt 2's late answer changes nothing
      const second = mine(
        await db.retrainDeliveries.claimDue(at('2030-01-01T00:00:05Z'), at('2030-01-01T00:00:06Z'), 1000),
      );
      expect(second[0].attempt).toBe(2);
      const third = mine(await db.retrainDeliveries.claimDue(at('2030-01-01T00:00:07Z'), leaseUntil, 1000));
      expect(third[0].attempt).toBe(3);
      const late = {
        deliveryId: claim.id,
        durationMs: 5,
        httpStatus: 200,
        error: null,
        outcome: 'delivered' as const,
        nextAttemptAt: null,
        reason: null,
        finishedAt: at('2030-01-01T00:00:08Z'),
      };
      expect(await db.retrainDeliveries.completeAttempt({ ...late, attempt: 2 })).toBe(false);
      expect(await db.retrainDeliveries.completeAttempt({ ...late, attempt: 3 })).toBe(true);

      const [stored] = await db.retrainDeliveries.findPage({ triggerId: delivery.triggerId, limit: 1 });
      expect(stored.status).toBe('delivered');
      expect(stored.finishedAt).toEqual(at('2030-01-01T00:00:08Z'));
      expect(stored.attempts.map((x) => [x.attempt, x.httpStatus, x.outcome])).toEqual([
        [1, 503, 'retry'],
        [2, 200, 'delivered'],
        [3, 200, 'delivered'],
      ]);
      // delivered: never claimed again
      expect(mine(await db.retrainDeliveries.claimDue(at('2031-01-01T00:00:00Z'), leaseUntil, 1000))).toEqual(
        [],
      );
    });

    it('pages newest first and filters by pipeline and status', async () => {
      const pipelineId = uniqueName('pipeline');
      for (let i = 0; i < 3; i++) await db.retrainDeliveries.record(pending({ pipelineId }));
      await db.retrainDeliveries.record(pending({ pipelineId, status: 'skipped', reason: 'cooldown' }));
      const all = await db.retrainDeliveries.findPage({ pipelineId, limit: 10 });
      expect(all).toHaveLength(4);
      expect(Number(all[0].id)).toBeGreaterThan(Number(all[1].id));
      const next = await db.retrainDeliveries.findPage({ pipelineId, beforeId: all[1].id, limit: 10 });
      expect(next.map((d) => d.id)).toEqual(all.slice(2).map((d) => d.id));
      expect(await db.retrainDeliveries.findPage({ pipelineId, status: 'skipped', limit: 10 })).toHaveLength(
        1,
      );
    });
  });
});
