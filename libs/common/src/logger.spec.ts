import { createLogger } from './logger';

describe('createLogger', () => {
  it('never writes an Authorization header, however a request is logged', () => {
    const lines: string[] = [];
    const logger = createLogger('api', 'info', { write: (line: string) => lines.push(line) });
    const headers = { authorization: 'Bearer dlk_secret', 'x-request-id': 'r-1' };
    logger.info({ req: { headers } }, 'request');
    logger.info({ headers }, 'headers');
    expect(lines.join('')).not.toContain('dlk_secret');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toMatchObject([
      { req: { headers: { authorization: '[redacted]', 'x-request-id': 'r-1' } } },
      { headers: { authorization: '[redacted]' } },
    ]);
  });
});
