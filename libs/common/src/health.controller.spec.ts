import { ApiError } from './api.error';
import { HealthController, type ReadinessCheck } from './health.controller';

const check = (name: string, ok: boolean, problems?: string[]): ReadinessCheck => ({
  name,
  check: async () => ok,
  ...(problems === undefined ? {} : { problems: () => problems }),
});

async function notReady(checks: ReadinessCheck[]): Promise<ApiError> {
  const error = await new HealthController(checks).ready().catch((e: unknown) => e);
  if (!(error instanceof ApiError)) throw new Error('expected an ApiError');
  return error;
}

describe('HealthController.ready', () => {
  it('is ready when every check passes, whatever problems a passing check could name', async () => {
    await expect(
      new HealthController([check('kafka', true, []), check('database', true)]).ready(),
    ).resolves.toEqual({ status: 'ready', checks: { kafka: true, database: true } });
  });

  it('says in words what an operator must fix when a check knows it', async () => {
    const error = await notReady([
      check('kafka', false, ['t partition 0: stored offset 400 is past the end']),
      check('database', true),
    ]);
    expect(error.status).toBe(503);
    expect(error.code).toBe('not_ready');
    expect(error.message).toBe('t partition 0: stored offset 400 is past the end');
    expect(error.details).toEqual({
      checks: { kafka: false, database: true },
      problems: ['t partition 0: stored offset 400 is past the end'],
    });
  });

  it('falls back to a generic message when no failing check explains itself', async () => {
    const error = await notReady([check('kafka', true), check('database', false)]);
    expect(error.message).toBe('a dependency is unavailable');
    expect(error.details).toEqual({ checks: { kafka: true, database: false } });
  });
});
