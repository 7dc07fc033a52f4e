import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import type { LogLevel } from '@driftline/config';

export type { Logger } from 'pino';

/** Never written out, whoever logs a request or its headers: API keys travel in Authorization. */
export const SECRET_FIELDS = {
  paths: ['req.headers.authorization', 'headers.authorization', 'request.headers.authorization'],
  censor: '[redacted]',
};

/**
 * JSON lines on stdout, one logger per service process. Written synchronously: Nest ends a shutdown
 * by re-raising the signal, which kills the process without an 'exit' event to flush a buffer.
 * Tests may give another destination.
 */
export function createLogger(
  service: string,
  level: LogLevel,
  destination: pino.DestinationStream = pino.destination({ dest: 1, sync: true }),
): Logger {
  return pino({ name: service, level, base: { service }, redact: SECRET_FIELDS }, destination);
}

/** Routes Nest's own logging into the service's pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...context: unknown[]): void {
    this.logger.info({ context: context.at(-1) }, String(message));
  }
  error(message: unknown, ...context: unknown[]): void {
    this.logger.error({ context: context.at(-1) }, String(message));
  }
  warn(message: unknown, ...context: unknown[]): void {
    this.logger.warn({ context: context.at(-1) }, String(message));
  }
  debug(message: unknown, ...context: unknown[]): void {
    this.logger.debug({ context: context.at(-1) }, String(message));
  }
  verbose(message: unknown, ...context: unknown[]): void {
    this.logger.trace({ context: context.at(-1) }, String(message));
  }
}
