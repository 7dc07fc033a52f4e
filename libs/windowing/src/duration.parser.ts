const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const UNITS_DESCENDING: readonly Unit[] = ['d', 'h', 'm', 's', 'ms'];

export class DurationError extends Error {
  override readonly name = 'DurationError';
}

/**
 * Milliseconds in a duration written as Prometheus writes them: one or more `<integer><unit>`
 * parts with units d, h, m, s, ms in descending order, e.g. "250ms", "30s", "5m", "1h30m", "7d".
 */
export function parseDuration(text: string): number {
  const source = text.trim();
  if (source === '') throw new DurationError(`Invalid duration "${text}": it is empty; write e.g. "5m".`);
  let total = 0;
  let lastRank = -1;
  const part = /(\d+)(ms|d|h|m|s)/y;
  while (part.lastIndex < source.length) {
    const at = part.lastIndex;
    const match = part.exec(source);
    if (match === null) {
      throw new DurationError(
        `Invalid duration "${text}" at "${source.slice(at)}": expected an integer followed by one of ` +
          `${UNITS_DESCENDING.join(', ')} (e.g. "250ms", "30s", "5m", "1h30m", "7d").`,
      );
    }
    const unit = match[2] as Unit;
    const rank = UNITS_DESCENDING.indexOf(unit);
    if (rank <= lastRank) {
      throw new DurationError(`Invalid duration "${text}": units must appear once each, largest first.`);
    }
    lastRank = rank;
    total += Number(match[1]) * UNIT_MS[unit];
  }
  if (!Number.isSafeInteger(total)) throw new DurationError(`Invalid duration "${text}": it is too large.`);
  return total;
}

/** The shortest text parseDuration reads back as `ms`, e.g. 5_400_000 -> "1h30m", 0 -> "0ms". */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new DurationError(`Cannot format ${ms} ms: a duration is a non-negative integer of milliseconds.`);
  }
  if (ms === 0) return '0ms';
  let rest = ms;
  let text = '';
  for (const unit of UNITS_DESCENDING) {
    const count = Math.floor(rest / UNIT_MS[unit]);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * UNIT_MS[unit];
  }
  return text;
}
