import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import type { LogLevel } from '@driftline/config';

export type { Logger } from 'pino';

/**
 * JSON lines on stdout, one logger per service process. Written synchronously: Nest ends a shutdown
 * by re-raising the signal, which kills the process without an 'exit' event to flush a buffer.
 */
export function createLogger(service: string, level: LogLevel): Logger {
  return pino({ name: service, level, base: { service } }, pino.destination({ dest: 1, sync: true }));
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
