import { createIsolatedDatabase, waitFor, type IsolatedDatabase } from '@driftline/testing';
import { Client } from 'pg';
import { openDatabase, type Database } from '../database';
import type { SeenEvent } from './seen-event.repository';

const T = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const seen = (modelId: string, eventId: string, hour = 0): SeenEvent => ({
  modelId,
  eventId,
  eventTimeMs: T + hour * HOUR,
});
const keys = (events: { modelId: string; eventId: string }[]) =>
  events.map((e) => `${e.modelId}/${e.eventId}`).sort();

describe('seen_events on Postgres', () => {
  let isolated: IsolatedDatabase;
  let db: Database;

  /** Backends of this database waiting for a lock. */
  const lockWaits = async (): Promise<number> => {
    const client = new Client({ connectionString: isolated.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      return rows[0].n;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    isolated = await createIsolatedDatabase();
    db = await openDatabase({ url: isolated.url, poolSize: 4, applicationName: 'seen-events-int' });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await isolated?.drop();
  }, 60_000);

  it('stores the new keys and returns those stored before, per model and kind', async () => {
    expect(await db.seenEvents.store('prediction', [seen('a', 'e1'), seen('a', 'e2')])).toEqual([]);
    const again = [seen('a', 'e3'), seen('a', 'e2'), seen('b', 'e1'), seen('a', 'e1')];
    expect(keys(await db.seenEvents.store('prediction', again))).toEqual(['a/e1', 'a/e2']);
    expect(keys(await db.seenEvents.store('prediction', again))).toEqual(['a/e1', 'a/e2', 'a/e3', 'b/e1']);
    // ground truth has its own ids
    expect(await db.seenEvents.store('groundTruth', [seen('a', 'e1')])).toEqual([]);
    expect(await db.seenEvents.store('groundTruth', [])).toEqual([]);
  });

  it('takes ids with quotes, backslashes, commas, braces and spaces as they are', async () => {
    const odd = ['say "hi"', 'C:\\path\\', 'a,b', '{x}', ' NULL ', 'NULL', 'é€🙂'].map((id) =>
      seen('odd', id),
    );
    expect(await db.seenEvents.store('prediction', odd)).toEqual([]);
    expect(keys(await db.seenEvents.store('prediction', odd))).toEqual(keys(odd));
  });

  it('takes a batch far over the 65,535 bind parameter limit in one statement', async () => {
    const many = Array.from({ length: 40_000 }, (_, i) => seen('big', `e${i}`));
    expect(await db.seenEvents.store('prediction', many)).toEqual([]);
    expect(await db.seenEvents.store('prediction', many.slice(0, 10))).toHaveLength(10);
  });

  it('makes a second transaction wait for the first that stored a key, then sees it as new only if that rolled back', async () => {
    for (const outcome of ['rollback', 'commit'] as const) {
      const key = seen('c', `x-${outcome}`);
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let firstStored = (): void => undefined;
      const stored = new Promise<void>((resolve) => (firstStored = resolve));
      const first = db
        .transaction(async (tx) => {
          await tx.seenEvents.store('prediction', [key]);
          firstStored();
          await held;
          if (outcome === 'rollback') throw new Error('rolled back');
        })
        .catch(() => undefined);
      await stored;
      const second = db.transaction((tx) => tx.seenEvents.store('prediction', [key]));
      await waitFor(async () => (await lockWaits()) === 1, { timeoutMs: 10_000, message: 'second waiting' });
      release();
      await first;
      // seen before only if the first one committed
      expect(keys(await second)).toEqual(outcome === 'commit' ? [`c/x-${outcome}`] : []);
    }
  });

  it('gives the newest event time per model and deletes each model’s older events, block window by block window', async () => {
    await db.seenEvents.store('prediction', [
      seen('r', 'old1', 0),
      seen('r', 'old2', 1),
      seen('r', 'new', 30),
    ]);
    await db.seenEvents.store('groundTruth', [seen('r', 'old3', 2)]);
    // a late event does not move the newest event time back
    await db.seenEvents.store('groundTruth', [seen('r', 'late', 10)]);
    const newest = new Map((await db.seenEvents.newest()).map((n) => [n.modelId, n.eventTime.getTime()]));
    expect(newest.get('r')).toBe(T + 30 * HOUR);
    expect([...newest.keys()].sort()).toEqual(['a', 'b', 'big', 'c', 'odd', 'r']);

    // one block window at a time: a sweep in windows of one block deletes the same rows
    const cutoffs = [{ modelId: 'r', before: new Date(T + 6 * HOUR) }];
    let deleted = 0;
    let windows = 0;
    for (let block: number | null = 0; block !== null; windows++) {
      const swept = await db.seenEvents.deleteBefore(cutoffs, block, 1);
      deleted += swept.deleted;
      block = swept.next;
    }
    expect(deleted).toBe(3);
    expect(windows).toBeGreaterThan(1);
    // the other models have no cutoff: they keep all theirs
    expect((await db.seenEvents.deleteBefore([], 0, 1_000_000)).deleted).toBe(0);
    expect(await db.seenEvents.deleteBefore(cutoffs, 0, 1_000_000)).toEqual({ deleted: 0, next: null });
    // a deleted key is new again; the kept one is not
    const stored = await db.seenEvents.store('prediction', [seen('r', 'old1'), seen('r', 'new', 30)]);
    expect(keys(stored)).toEqual(['r/new']);
  });
});
