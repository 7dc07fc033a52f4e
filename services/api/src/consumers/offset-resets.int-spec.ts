import { openDatabase, type Database } from '@driftline/db';
import { testDatabaseUrl, uniqueName } from '@driftline/testing';
import type { ErrorBody } from '@driftline/common';
import { readJson, startApi, type RunningApi } from '../models/api-app.fixture';
import type { OffsetResetList } from './offset-resets.controller';

describe('GET /v1/offset-resets on the real app and Postgres', () => {
  let api: RunningApi;
  let db: Database;
  const topic = uniqueName('resets.driftline.predictions.v1');

  beforeAll(async () => {
    api = await startApi();
    db = await openDatabase({ url: testDatabaseUrl(), poolSize: 2, applicationName: 'offset-resets-spec' });
    for (const partition of [0, 1, 2]) {
      await db.offsets.recordReset({
        groupId: 'driftline-monitor',
        topic,
        partition,
        reason: partition === 2 ? 'records_lost' : 'beyond_end',
        oldOffset: '4804',
        newOffset: partition === 2 ? '5000' : '0',
        recordsLost: partition === 2 ? '196' : null,
        detail: `partition ${partition}`,
      });
    }
  });
  afterAll(async () => {
    await db?.close();
    await api?.close();
  });

  it('lists what the consumers recorded, newest first, a page at a time', async () => {
    const first = await readJson<OffsetResetList>(
      await api.fetch(`/v1/offset-resets?topic=${topic}&limit=2`),
    );
    expect(first.resets.map((r) => [r.partition, r.reason, r.oldOffset, r.newOffset, r.recordsLost])).toEqual(
      [
        [2, 'records_lost', '4804', '5000', '196'],
        [1, 'beyond_end', '4804', '0', null],
      ],
    );
    expect(Date.parse(first.resets[0].detectedAt)).not.toBeNaN();
    expect(first.nextCursor).toBe(first.resets[1].id);
    const rest = await readJson<OffsetResetList>(
      await api.fetch(`/v1/offset-resets?topic=${topic}&limit=2&cursor=${first.nextCursor}`),
    );
    expect(rest.resets.map((r) => r.partition)).toEqual([0]);
    expect(rest.nextCursor).toBeNull();
  });

  it.each([
    ['a limit out of range', 'limit=0', /limit is an integer/],
    ['a cursor that is not one', 'cursor=abc', /cursor is the nextCursor/],
  ])('answers 400 invalid_query for %s', async (_, query, message) => {
    const response = await api.fetch(`/v1/offset-resets?${query}`);
    expect(response.status).toBe(400);
    const body = await readJson<ErrorBody>(response);
    expect(body.error.code).toBe('invalid_query');
    expect(body.error.message).toMatch(message);
  });

  it('answers 400 unknown_parameter for a parameter it does not take', async () => {
    const response = await api.fetch(`/v1/offset-resets?since=yesterday`);
    expect(response.status).toBe(400);
    expect((await readJson<ErrorBody>(response)).error).toMatchObject({
      code: 'unknown_parameter',
      message: 'unknown query parameter since; this route takes cursor, groupId, limit, topic',
    });
  });
});
