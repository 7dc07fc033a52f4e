import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import type { LogLevel } from '@driftline/config';

export type { Logger } from 'pino';

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
  return pino(
    { name: service, level, base: { service }, formatters: { log: (object) => redactSecrets(object) } },
    destination,
  );
}

/** Fields never written, whatever their depth: credentials and the settings that embed them. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'authorization',
  'cookie',
  'password',
  'pass',
  'secret',
  'token',
  'apikey',
  'database_url',
  'smtp_url',
  'slack_token',
  'driftline_admin_key',
]);
export const REDACTED = '[redacted]';
const MAX_DEPTH = 4;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/**
 * The log object with every secret field (case-insensitive) replaced, in plain objects down to
 * MAX_DEPTH: copied only where something was replaced, so the caller's objects are never changed.
 */
export function redactSecrets<T extends Record<string, unknown>>(object: T, depth = 0): T {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(object)) {
    const value = object[key];
    let replaced: unknown = value;
    if (SECRET_FIELDS.has(key.toLowerCase())) replaced = REDACTED;
    else if (depth < MAX_DEPTH && isPlainObject(value)) replaced = redactSecrets(value, depth + 1);
    if (replaced !== value) (copy ??= { ...object })[key] = replaced;
  }
  return (copy ?? object) as T;
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
