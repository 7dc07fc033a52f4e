import { createIsolatedDatabase, type IsolatedDatabase } from '@driftline/testing';
import { openDatabase, type Database } from '../database';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 0, 1);
const window = (modelId: string, startHour: number, summary: unknown) => ({
  modelId,
  windowStart: new Date(T + startHour * HOUR),
  windowEnd: new Date(T + (startHour + 1) * HOUR),
  summary,
});

describe('window_summaries on Postgres', () => {
  let isolated: IsolatedDatabase;
  let db: Database;

  beforeAll(async () => {
    isolated = await createIsolatedDatabase();
    db = await openDatabase({ url: isolated.url, poolSize: 2, applicationName: 'window-summaries-int' });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await isolated?.drop();
  }, 60_000);

  it('stores a window once (a re-evaluation overwrites it), finds it by its bounds, deletes by end', async () => {
    await db.transaction((tx) =>
      tx.windowSummaries.save([
        window('m1', 0, { v: 1 }),
        window('m1', 1, { v: 2 }),
        window('m2', 0, { v: 3 }),
      ]),
    );
    await db.windowSummaries.save([window('m1', 0, { v: 4 })]);
    expect(await db.windowSummaries.find('m1', new Date(T), new Date(T + HOUR))).toEqual(
      window('m1', 0, { v: 4 }),
    );
    expect(await db.windowSummaries.find('m1', new Date(T), new Date(T + 2 * HOUR))).toBeNull();
    // the window [0h, 1h) ends before 1h + 1 ms, [1h, 2h) does not; m2's are untouched
    expect(await db.windowSummaries.deleteBefore('m1', new Date(T + HOUR + 1))).toBe(1);
    expect(await db.windowSummaries.find('m1', new Date(T), new Date(T + HOUR))).toBeNull();
    expect(await db.windowSummaries.find('m1', new Date(T + HOUR), new Date(T + 2 * HOUR))).not.toBeNull();
    expect(await db.windowSummaries.find('m2', new Date(T), new Date(T + HOUR))).not.toBeNull();
  });
});
