import { createIsolatedDatabase, waitFor, type IsolatedDatabase } from '@driftline/testing';
import { openDatabase, type Database, type UnitOfWork } from '../database';
import { WINDOWS_CLOSED_CHANNEL } from './pending-evaluation.repository';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 0, 1);
const key = (modelId: string, hour: number) => ({
  modelId,
  windowStart: new Date(T + hour * HOUR),
  windowEnd: new Date(T + (hour + 1) * HOUR),
});
const closed = (count: number) => ({
  eventCount: count,
  lateEvents: 1,
  duplicateEvents: 0,
  stateKey: 'r/1/1',
});

/** What a batch closing the window writes: its summary with counts, and its queue entry. */
async function close(tx: UnitOfWork, modelId: string, hour: number, count: number): Promise<void> {
  await tx.windowSummaries.save([{ ...key(modelId, hour), summary: { count }, closed: closed(count) }]);
  await tx.pendingEvaluations.add([key(modelId, hour)]);
}

/** Runs `work` in a transaction held open until the returned release is called. */
function holdTransaction(db: Database, work: (tx: UnitOfWork) => Promise<void>) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const done = db.transaction(async (tx) => {
    await work(tx);
    ready();
    await released;
  });
  return { started, release, done };
}

describe('pending_window_evaluations on Postgres', () => {
  let isolated: IsolatedDatabase;
  let db: Database;

  beforeAll(async () => {
    isolated = await createIsolatedDatabase();
    db = await openDatabase({ url: isolated.url, poolSize: 4, applicationName: 'pending-evaluations-int' });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await isolated?.drop();
  }, 60_000);

  afterEach(async () => {
    await db.transaction(async (tx) =>
      tx.pendingEvaluations.remove((await tx.pendingEvaluations.claim(100)).map((c) => c.id)),
    );
  });

  it('queues a window once however often it closes, with its newest summary and revision', async () => {
    await db.transaction((tx) => close(tx, 'm1', 0, 5));
    await db.transaction((tx) => close(tx, 'm1', 0, 7));
    expect(await db.pendingEvaluations.count()).toBe(1);
    const [entry] = await db.transaction((tx) => tx.pendingEvaluations.claim(10));
    expect(entry).toMatchObject({
      ...key('m1', 0),
      stored: { summary: { count: 7 }, closed: closed(7), revision: 1 },
    });
  });

  it('gives claimed entries to one transaction only, oldest first; a close of a claimed window does not wait', async () => {
    await db.transaction(async (tx) => {
      await close(tx, 'm1', 0, 1);
      await close(tx, 'm2', 0, 1);
      await close(tx, 'm1', 1, 1);
    });
    let first: string[] = [];
    const held = holdTransaction(db, async (tx) => {
      first = (await tx.pendingEvaluations.claim(2)).map(
        (c) => `${c.modelId}@${c.windowStart.getTime() - T}`,
      );
    });
    await held.started;
    expect(first).toEqual(['m1@0', 'm2@0']);
    const second = await db.transaction((tx) => tx.pendingEvaluations.claim(10));
    expect(second.map((c) => c.modelId)).toEqual(['m1']);
    // the same window closing again while it is being evaluated: its entry stays, its summary moves on
    await db.transaction((tx) => close(tx, 'm1', 0, 9));
    held.release();
    await held.done;
  });

  it('is due only at the revision read, and behind no older entry of its model left out of the claim', async () => {
    await db.transaction(async (tx) => {
      await close(tx, 'm1', 0, 1);
      await close(tx, 'm1', 1, 1);
      await close(tx, 'm2', 0, 1);
    });
    const all = await db.transaction((tx) => tx.pendingEvaluations.claim(10));
    const [m1a, m1b, m2a] = all;
    expect(await db.transaction((tx) => tx.pendingEvaluations.due(all))).toEqual(
      new Set([m1a.id, m1b.id, m2a.id]),
    );
    expect(await db.transaction((tx) => tx.pendingEvaluations.due([m1b, m2a]))).toEqual(new Set([m2a.id]));
    await db.transaction((tx) => close(tx, 'm2', 0, 2));
    expect(await db.transaction((tx) => tx.pendingEvaluations.due(all))).toEqual(new Set([m1a.id, m1b.id]));
  });

  it('notifies listeners when a transaction that queued windows commits, not before', async () => {
    let heard = 0;
    const listener = db.listen(WINDOWS_CLOSED_CHANNEL, () => heard++);
    // the listener reports itself once connected (what was missed meanwhile is polled for)
    await waitFor(async () => heard === 1, { timeoutMs: 10_000, message: 'listening' });
    const held = holdTransaction(db, (tx) => close(tx, 'm3', 0, 1));
    await held.started;
    expect(heard).toBe(1);
    held.release();
    await held.done;
    await waitFor(async () => heard === 2, { timeoutMs: 10_000, message: 'notified at commit' });
    await listener.close();
  });
});
