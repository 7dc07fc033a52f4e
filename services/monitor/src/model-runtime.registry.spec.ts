import { MemoryStateTable, testModel } from '../../../test/monitor/monitor.fixtures';
import { ModelRuntimes, TRACKER_KEY, type StoredTracker } from './model-runtime.registry';
import type { PaneEvent } from './model.pane';

const T = Date.UTC(2026, 0, 1, 12, 0);
const event: PaneEvent = { features: { x: 0.5, plan: 'a' }, prediction: '1', score: 0.7 };

function setup() {
  const tables = { windowState: new MemoryStateTable(), paneState: new MemoryStateTable() };
  let n = 0;
  const runtimes = new ModelRuntimes(() => `token-${++n}`);
  return { tables, runtimes };
}

describe('ModelRuntimes', () => {
  it('persists the tracker state with a new token and one row per changed pane', async () => {
    const { tables, runtimes } = setup();
    const runtime = await runtimes.acquire(tables, testModel());
    runtime.tracker.add({ value: event, eventTime: T + 1_000, partition: 0, now: 0 });
    runtime.tracker.add({ value: event, eventTime: T + 301_000, partition: 0, now: 0 });
    await runtimes.persist(tables, runtime);
    const stored = tables.windowState.rows.get(`m1/${TRACKER_KEY}`)?.state as StoredTracker;
    expect(stored.token).toBe('token-1');
    expect(runtime.token).toBe('token-1');
    expect([...tables.paneState.rows.keys()]).toEqual([`m1/pane:${T}`, `m1/pane:${T + 300_000}`]);
  });

  it('keeps the tracker in memory while the stored token is its own', async () => {
    const { tables, runtimes } = setup();
    const model = testModel();
    const runtime = await runtimes.acquire(tables, model);
    runtime.tracker.add({ value: event, eventTime: T, partition: 0, now: 0 });
    await runtimes.persist(tables, runtime);
    expect(await runtimes.acquire(tables, model)).toBe(runtime);
  });

  it('reloads from the tables when another transaction wrote since (token differs)', async () => {
    const { tables, runtimes } = setup();
    const model = testModel();
    const mine = await runtimes.acquire(tables, model);
    mine.tracker.add({ value: event, eventTime: T, partition: 0, now: 0 });
    await runtimes.persist(tables, mine);
    // another instance adds two events and commits
    const other = new ModelRuntimes(() => 'other-token');
    const theirs = await other.acquire(tables, model);
    theirs.tracker.add({ value: event, eventTime: T + 1_000, partition: 0, now: 0 });
    theirs.tracker.add({ value: event, eventTime: T + 2_000, partition: 0, now: 0 });
    await other.persist(tables, theirs);

    const reloaded = await runtimes.acquire(tables, model);
    expect(reloaded).not.toBe(mine);
    expect(reloaded.token).toBe('other-token');
    expect(reloaded.tracker.snapshot()).toEqual(theirs.tracker.snapshot());
  });

  it('a runtime whose transaction rolled back is reloaded as stored', async () => {
    const { tables, runtimes } = setup();
    const model = testModel();
    const runtime = await runtimes.acquire(tables, model);
    runtime.tracker.add({ value: event, eventTime: T, partition: 0, now: 0 });
    await runtimes.persist(tables, runtime);
    const committed = runtime.tracker.snapshot();
    // the next batch changes memory, but its save never reaches the tables
    runtime.tracker.add({ value: event, eventTime: T + 5_000, partition: 0, now: 0 });
    runtime.token = 'uncommitted';
    const reloaded = await runtimes.acquire(tables, model);
    expect(reloaded.tracker.snapshot()).toEqual(committed);
  });

  it('starts over, deleting the stored panes, when the reference changed', async () => {
    const { tables, runtimes } = setup();
    const runtime = await runtimes.acquire(tables, testModel());
    runtime.tracker.add({ value: event, eventTime: T, partition: 0, now: 0 });
    await runtimes.persist(tables, runtime);
    const fresh = await runtimes.acquire(tables, testModel({}, 'ref-2'));
    expect(fresh.tracker.livePanes).toBe(0);
    expect(tables.paneState.rows.size).toBe(0);
  });
});

describe('ModelRuntimes.evictUnusedSince', () => {
  it('drops quiet models unless the idle timer still has panes of theirs to close', async () => {
    const { tables, runtimes } = setup();
    const plain = await runtimes.acquire(tables, testModel());
    const idle = await runtimes.acquire(
      tables,
      testModel({
        modelId: 'm2',
        window: { size: '10m', step: '5m', allowedLateness: '0s', idleTimeout: '1m' },
      }),
    );
    idle.tracker.add({ value: event, eventTime: T, partition: 0, now: 0 });
    plain.lastSeenAt = 100;
    idle.lastSeenAt = 100;
    expect(runtimes.evictUnusedSince(50)).toEqual([]);
    expect(runtimes.evictUnusedSince(200)).toEqual(['m1']);
    expect(runtimes.all().map((r) => r.model.modelId)).toEqual(['m2']);
  });
});
