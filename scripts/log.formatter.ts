const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const OMITTED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'name']);

/** One pino JSON line as `[api] 12:00:01 INFO message key=value`; other lines pass through. */
export function formatLogLine(prefix: string, line: string): string {
  if (!line.startsWith('{')) return `[${prefix}] ${line}`;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `[${prefix}] ${line}`;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '';
  const level = LEVELS[Number(entry.level)] ?? String(entry.level ?? '');
  const extras = Object.entries(entry)
    .filter(([key]) => !OMITTED.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `[${prefix}] ${time} ${level.padEnd(5)} ${String(entry.msg ?? '')}${extras ? ` ${extras}` : ''}`;
}

/** A URL with its password, if any, as `***`. */
export const hidePassword = (url: string): string => url.replace(/:[^:@/]+@/, ':***@');
