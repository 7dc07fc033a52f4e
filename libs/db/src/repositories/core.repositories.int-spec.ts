import { Client } from 'pg';
import { createIsolatedDatabase, type IsolatedDatabase } from '@driftline/testing';
import { openDatabase, type Database } from '../database';

const at = (iso: string) => new Date(iso);
const point = (
  value: number,
  overrides: Partial<{ feature: string; metric: string; modelId: string }> = {},
) => ({
  modelId: 'm1',
  windowStart: at('2024-05-01T12:00:00Z'),
  windowEnd: at('2024-05-01T12:01:00Z'),
  feature: '',
  metric: 'prediction_count',
  value,
  ...overrides,
});

describe('libs/db core repositories on Postgres', () => {
  let isolated: IsolatedDatabase;
  let db: Database;

  beforeAll(async () => {
    isolated = await createIsolatedDatabase();
    db = await openDatabase({ url: isolated.url, poolSize: 4, applicationName: 'db-int-spec' });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await isolated?.drop();
  }, 60_000);

  it('migrates a fresh database once when two processes open it together, with a pool of 1', async () => {
    const fresh = await createIsolatedDatabase();
    try {
      const [a, b] = await Promise.all([
        openDatabase({ url: fresh.url, poolSize: 1, applicationName: 'a' }),
        openDatabase({ url: fresh.url, poolSize: 1, applicationName: 'b' }),
      ]);
      await a.metrics.increment([point(1)]);
      expect((await b.metrics.find({ modelId: 'm1' })).map((p) => p.value)).toEqual([1]);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await fresh.drop();
    }
  }, 60_000);

  it('opens every connection of its pool with the settings it is given, and Postgres defaults without', async () => {
    const monitorLike = await openDatabase({
      url: isolated.url,
      poolSize: 2,
      applicationName: 'settings',
      settings: { synchronous_commit: 'off' },
    });
    try {
      // two at once: each on a connection of its own
      expect(
        await Promise.all([
          monitorLike.setting('synchronous_commit'),
          monitorLike.setting('synchronous_commit'),
        ]),
      ).toEqual(['off', 'off']);
      expect(await db.setting('synchronous_commit')).toBe('on');
    } finally {
      await monitorLike.close();
    }
  });

  it('increment adds to the stored value, folding duplicates of one call; upsert replaces', async () => {
    await db.metrics.increment([point(2), point(3), point(1, { feature: 'age', metric: 'missing_count' })]);
    await db.metrics.increment([point(4)]);
    const counted = await db.metrics.find({ modelId: 'm1', metric: 'prediction_count' });
    expect(counted.map((p) => p.value)).toEqual([9]);

    await db.metrics.upsert([{ ...point(0.25, { metric: 'psi', feature: 'age' }), detail: { bins: 10 } }]);
    await db.metrics.upsert([{ ...point(0.5, { metric: 'psi', feature: 'age' }), detail: { bins: 12 } }]);
    const psi = await db.metrics.find({ modelId: 'm1', metric: 'psi' });
    expect(psi.map((p) => [p.feature, p.value, p.detail])).toEqual([['age', 0.5, { bins: 12 }]]);
  });

  it('folds the points of one call by key whatever their order: the last upserted wins, increments add', async () => {
    const key = (feature: string, minute: number) => ({
      modelId: 'fold',
      windowStart: new Date(Date.UTC(2026, 0, 1, 0, minute)),
      windowEnd: new Date(Date.UTC(2026, 0, 1, 0, minute + 1)),
      feature,
      metric: 'psi',
    });
    await db.metrics.upsert([
      { ...key('b', 1), value: 1 },
      { ...key('a', 2), value: 2 },
      { ...key('b', 1), value: 3 },
      { ...key('a', 1), value: 4 },
      { ...key('a', 2), value: 5 },
    ]);
    await db.metrics.increment([
      { ...key('c', 1), value: 1 },
      { ...key('a', 1), value: 10 },
      { ...key('c', 1), value: 2 },
      { ...key('d', 1), value: 0 },
    ]);
    // a 0 stored first, then added to: the row exists, and adding 0 leaves it as it is
    await db.metrics.increment([
      { ...key('d', 1), value: 0 },
      { ...key('c', 1), value: 0 },
    ]);
    const stored = await db.metrics.find({ modelId: 'fold' });
    expect(stored.map((p) => [p.windowStart.getUTCMinutes(), p.feature, p.value])).toEqual([
      [1, 'a', 14],
      [1, 'b', 3],
      [1, 'c', 3],
      [1, 'd', 0],
      [2, 'a', 5],
    ]);
  });

  it('rolls back every write of a failed transaction', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.metrics.increment([point(100, { modelId: 'rollback' })]);
        await tx.offsets.save('g', 'rollback-topic', 0, '100');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.metrics.find({ modelId: 'rollback' })).toEqual([]);
    expect(await db.offsets.findAll('g', 'rollback-topic')).toEqual([]);
  });

  it('serialises two transactions on one partition offset row', async () => {
    await db.offsets.save('g', 'race', 0, '10');
    const order: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstLocked: () => void = () => undefined;
    const locked = new Promise<void>((resolve) => (firstLocked = resolve));

    const first = db.transaction(async (tx) => {
      order.push(`first saw ${(await tx.offsets.lock('g', 'race', 0))?.nextOffset}`);
      firstLocked();
      await firstHolds;
      await tx.offsets.save('g', 'race', 0, '20');
    });
    await locked;
    const second = db.transaction(async (tx) => {
      order.push(`second saw ${(await tx.offsets.lock('g', 'race', 0))?.nextOffset}`);
    });
    await new Promise((r) => setTimeout(r, 200));
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first saw 10', 'second saw 20']);
  });

  it('gives null for a partition never stored and 64-bit offsets as exact strings', async () => {
    await db.transaction(async (tx) => {
      expect(await tx.offsets.lock('g', 'fresh', 3)).toBeNull();
      await tx.offsets.save('g', 'fresh', 3, '9007199254740993');
    });
    expect(await db.offsets.findAll('g', 'fresh')).toEqual([
      { partition: 3, nextOffset: '9007199254740993' },
    ]);
  });

  it('keeps the fingerprint of the last record beside the offset, and offset resets newest first', async () => {
    await db.offsets.save('g', 'fp', 0, '42', '1700000000000:abc');
    await db.transaction(async (tx) => {
      expect(await tx.offsets.lock('g', 'fp', 0)).toEqual({
        nextOffset: '42',
        lastRecord: '1700000000000:abc',
      });
      await tx.offsets.save('g', 'fp', 0, '0', null);
    });
    expect(await db.offsets.findPositions('g', 'fp')).toEqual([
      { partition: 0, nextOffset: '0', lastRecord: null },
    ]);
    const reset = (partition: number, reason: 'beyond_end' | 'records_lost') => ({
      groupId: 'g',
      topic: 'fp',
      partition,
      reason,
      oldOffset: '42',
      newOffset: '0',
      recordsLost: reason === 'records_lost' ? '42' : null,
      detail: reason,
    });
    for (const partition of [0, 1, 2])
      await db.offsets.recordReset(reset(partition, partition === 1 ? 'records_lost' : 'beyond_end'));
    const first = await db.offsets.findResets({ topic: 'fp', limit: 2 });
    expect(first.map((r) => [r.partition, r.reason, r.recordsLost])).toEqual([
      [2, 'beyond_end', null],
      [1, 'records_lost', '42'],
    ]);
    const rest = await db.offsets.findResets({ topic: 'fp', beforeId: first[1].id, limit: 2 });
    expect(rest.map((r) => r.partition)).toEqual([0]);
    expect(await db.offsets.findResets({ topic: 'other', limit: 10 })).toEqual([]);
  });

  it('outbox: claimed messages are skipped by a parallel claim until marked sent', async () => {
    await db.outbox.add([
      { topic: 't', key: 'k1', payload: { n: 1 } },
      { topic: 't', key: null, payload: { n: 2 } },
    ]);
    let releaseFirst: () => void = () => undefined;
    const holds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let claimed: () => void = () => undefined;
    const firstClaimed = new Promise<void>((resolve) => (claimed = resolve));
    const first = db.transaction(async (tx) => {
      const mine = await tx.outbox.claimUnsent(1);
      claimed();
      await holds;
      await tx.outbox.markSent(mine.map((m) => m.id));
      return mine.map((m) => m.payload);
    });
    await firstClaimed;
    const second = await db.transaction((tx) => tx.outbox.claimUnsent(10));
    releaseFirst();
    expect(await first).toEqual([{ n: 1 }]);
    expect(second.map((m) => m.payload)).toEqual([{ n: 2 }]);
    expect((await db.outbox.claimUnsent(10)).map((m) => m.payload)).toEqual([{ n: 2 }]);
  });

  it('operator state: save overwrites by (model, key), delete removes only the given keys', async () => {
    await db.paneState.save([
      { modelId: 'm', key: 'p1', state: { n: 1 } },
      { modelId: 'm', key: 'p2', state: { n: 2 } },
    ]);
    await db.paneState.save([{ modelId: 'm', key: 'p1', state: { n: 10 } }]);
    await db.paneState.delete('m', ['p2']);
    expect(await db.paneState.findByModel('m')).toEqual([{ modelId: 'm', key: 'p1', state: { n: 10 } }]);
    expect(await db.windowState.findByModel('m')).toEqual([]);
  });

  it('operator state: findKey reads one key of several models, deleteKeys removes (model, key) pairs', async () => {
    await db.windowState.save([
      { modelId: 'a', key: 'tracker', state: { t: 'a' } },
      { modelId: 'a', key: 'other', state: { t: 'a2' } },
      { modelId: 'b', key: 'tracker', state: { t: 'b' } },
      { modelId: 'c', key: 'tracker', state: { t: 'c' } },
    ]);
    const found = await db.windowState.findKey(['a', 'b', 'none'], 'tracker');
    expect(found.sort((x, y) => (x.modelId < y.modelId ? -1 : 1))).toEqual([
      { modelId: 'a', key: 'tracker', state: { t: 'a' } },
      { modelId: 'b', key: 'tracker', state: { t: 'b' } },
    ]);
    await db.windowState.deleteKeys([
      { modelId: 'a', key: 'tracker' },
      { modelId: 'c', key: 'tracker' },
      { modelId: 'b', key: 'other' },
    ]);
    expect((await db.windowState.findAll()).map((s) => `${s.modelId}/${s.key}`).sort()).toEqual([
      'a/other',
      'b/tracker',
    ]);
  });

  it('stores the rewritten monitor documents as text (pane and tracker state) or json, lz4-compressed where the server has lz4', async () => {
    const client = new Client({ connectionString: isolated.url });
    await client.connect();
    const { rows: columns } = await client.query<{ table: string; type: string; compression: string | null }>(
      `SELECT c.relname AS table, format_type(a.atttypid, a.atttypmod) AS type,
              nullif(a.attcompression, '') AS compression
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE (c.relname, a.attname) IN (('pane_state', 'state'), ('window_state', 'state'), ('window_summaries', 'summary'))
        ORDER BY 1`,
    );
    const { rows } = await client.query<{ lz4: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)) AS lz4`,
    );
    await client.end();
    const [{ lz4 }] = rows;
    const compression = lz4 ? 'l' : null;
    expect(columns).toEqual([
      { table: 'pane_state', type: 'text', compression },
      { table: 'window_state', type: 'text', compression },
      { table: 'window_summaries', type: 'json', compression },
    ]);
    const big = { counts: Array.from({ length: 20_000 }, (_, i) => i % 7) };
    await db.paneState.save([{ modelId: 'big', key: 'pane:0', state: big }]);
    expect(await db.paneState.findByModel('big')).toEqual([{ modelId: 'big', key: 'pane:0', state: big }]);
  });
});
