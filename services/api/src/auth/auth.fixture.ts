import pino, { type Logger } from 'pino';

/** A logger at trace level that keeps every line it writes, to check what the api logged. */
export function capturingLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const logger = pino(
    { level: 'trace', base: { service: 'api' } },
    { write: (line: string) => lines.push(line) },
  );
  return { logger, text: () => lines.join('') };
}
