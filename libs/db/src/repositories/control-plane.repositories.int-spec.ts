import { testDatabaseUrl, uniqueName } from '@driftline/testing';
import { openDatabase, type Database, type WindowResult } from '../index';

const at = (iso: string) => new Date(iso);

function windowOf(modelId: string, start: string, end: string, eventCount: number): WindowResult {
  return {
    modelId,
    windowStart: at(start),
    windowEnd: at(end),
    eventCount,
    result: { windowStart: start, windowEnd: end, eventCount, drift: { columns: [], driftShare: 0 } },
  };
}

describe('control-plane repositories on Postgres', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase({ url: testDatabaseUrl(), poolSize: 2, applicationName: 'control-plane-repos' });
  });
  afterAll(() => db.close());

  describe('models', () => {
    it('registers a model once, takes over one only seen in events, and updates it', async () => {
      const id = uniqueName('model');
      const seen = uniqueName('seen');
      await db.models.ensure([seen]);

      const created = await db.models.register(id, 'first', { modelId: id, bins: 10 });
      expect(created).toMatchObject({ id, description: 'first', settings: { modelId: id, bins: 10 } });
      expect(await db.models.register(id, 'again', { modelId: id })).toBeNull();
      expect(await db.models.register(seen, null, { modelId: seen })).toMatchObject({
        settings: { modelId: seen },
      });

      const updated = await db.models.update(id, 'second', { modelId: id, bins: 20 });
      expect(updated).toMatchObject({ description: 'second', settings: { bins: 20 } });
      expect(updated!.updatedAt.getTime()).toBeGreaterThanOrEqual(created!.updatedAt.getTime());
      expect(await db.models.find(id)).toEqual(updated);
      expect(await db.models.update(uniqueName('missing'), null, {})).toBeNull();
      expect(await db.models.find(uniqueName('missing'))).toBeNull();
    });
  });

  describe('reference profiles', () => {
    it('returns the newest profile of a model', async () => {
      const id = uniqueName('model');
      expect(await db.references.latest(id)).toBeNull();
      const first = await db.references.save(id, 'upload', 3, { version: 1, rows: 3 });
      const second = await db.references.save(id, 'pin', 5, { version: 1, rows: 5 });
      expect(first).not.toEqual(second);
      expect(await db.references.latest(id)).toMatchObject({
        id: second,
        modelId: id,
        name: 'pin',
        rowCount: 5,
        profile: { version: 1, rows: 5 },
      });
    });
  });

  describe('window results', () => {
    it('upserts windows, reads the latest and a range, and patches performance', async () => {
      const id = uniqueName('model');
      await db.windows.upsert([
        windowOf(id, '2024-05-01T00:00:00.000Z', '2024-05-01T01:00:00.000Z', 10),
        windowOf(id, '2024-05-01T00:05:00.000Z', '2024-05-01T01:05:00.000Z', 12),
        windowOf(id, '2024-05-01T00:10:00.000Z', '2024-05-01T01:10:00.000Z', 7),
      ]);
      await db.windows.upsert([windowOf(id, '2024-05-01T00:05:00.000Z', '2024-05-01T01:05:00.000Z', 13)]);

      const latest = await db.windows.latest(id);
      expect(latest).toEqual(windowOf(id, '2024-05-01T00:10:00.000Z', '2024-05-01T01:10:00.000Z', 7));

      const range = await db.windows.range(id, at('2024-05-01T00:05:00Z'), at('2024-05-01T01:05:00Z'));
      expect(range.map((w) => w.eventCount)).toEqual([13]);
      expect((await db.windows.range(id)).map((w) => w.eventCount)).toEqual([10, 13, 7]);

      const performance = { labelledShare: 0.5, metrics: { accuracy: 0.75 } };
      expect(
        await db.windows.patchPerformance(
          id,
          at('2024-05-01T00:00:00Z'),
          at('2024-05-01T01:00:00Z'),
          performance,
        ),
      ).toBe(true);
      const [patched] = await db.windows.range(id, undefined, at('2024-05-01T01:00:00Z'));
      expect(patched.result).toEqual({
        ...windowOf(id, '2024-05-01T00:00:00.000Z', '2024-05-01T01:00:00.000Z', 10).result,
        performance,
      });
      expect(
        await db.windows.patchPerformance(
          id,
          at('2024-05-02T00:00:00Z'),
          at('2024-05-02T01:00:00Z'),
          performance,
        ),
      ).toBe(false);
    });

    it('writes windows inside a transaction only when it commits', async () => {
      const id = uniqueName('model');
      await expect(
        db.transaction(async (tx) => {
          await tx.windows.upsert([windowOf(id, '2024-05-01T00:00:00.000Z', '2024-05-01T01:00:00.000Z', 1)]);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await db.windows.latest(id)).toBeNull();
    });
  });
});
