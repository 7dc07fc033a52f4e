import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED, createLogger, redactSecrets } from './logger';

function captured(): { lines: () => Record<string, unknown>[]; logger: pino.Logger } {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString();
      done();
    },
  });
  const logger = pino({ formatters: { log: (object) => redactSecrets(object) } }, sink);
  return {
    logger,
    lines: () =>
      out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('log redaction', () => {
  it('writes no credential, at the top or nested, whatever the case of its name', () => {
    const { logger, lines } = captured();
    logger.info(
      {
        headers: { Authorization: 'Bearer k-123', 'x-request-id': 'r1' },
        channel: { id: 'ml-slack', token: 'xoxb-1' },
        smtp: { auth: { user: 'u', pass: 'p4ss' } },
        DATABASE_URL: 'postgres://u:pw@db/x',
        password: 'hunter2',
      },
      'hello',
    );
    const [line] = lines();
    expect(line).toMatchObject({
      headers: { Authorization: REDACTED, 'x-request-id': 'r1' },
      channel: { id: 'ml-slack', token: REDACTED },
      smtp: { auth: { user: 'u', pass: REDACTED } },
      DATABASE_URL: REDACTED,
      password: REDACTED,
      msg: 'hello',
    });
    expect(JSON.stringify(line)).not.toMatch(/k-123|xoxb-1|p4ss|pw@|hunter2/);
  });

  it("never changes the caller's objects, and returns them as they are when nothing is secret", () => {
    const headers = { authorization: 'Bearer k' };
    const object = { headers, n: 1 };
    const redacted = redactSecrets(object);
    expect(redacted).toEqual({ headers: { authorization: REDACTED }, n: 1 });
    expect(object.headers.authorization).toBe('Bearer k');
    const plain = { topic: 't', partition: 1, nested: { a: 1 } };
    expect(redactSecrets(plain)).toBe(plain);
  });

  it('leaves errors to the err serializer (their message and stack are kept)', () => {
    const { logger, lines } = captured();
    logger.error({ err: new Error('boom') }, 'failed');
    expect(lines()[0]).toMatchObject({ err: { message: 'boom', type: 'Error' } });
  });
});

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
