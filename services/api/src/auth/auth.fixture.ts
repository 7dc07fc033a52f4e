import { createLogger, type Logger } from '@driftline/common';

/** The api's logger at trace level, keeping every line it writes, to check what the api logged. */
export function capturingLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const logger = createLogger('api', 'trace', { write: (line: string) => lines.push(line) });
  return { logger, text: () => lines.join('') };
}
