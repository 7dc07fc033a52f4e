/** Why the client let events go instead of sending them. */
export type DropReason =
  /** Failed the v1 schema: it would be refused anyway. */
  | 'invalid'
  /** maxBuffered events were held already. */
  | 'buffer_full'
  /** Every attempt failed with an error worth retrying (unreachable, 429, 5xx). */
  | 'retries_exhausted'
  /** The receiver refused it for good (400, 401, 403, 413). */
  | 'rejected'
  /** Given after close(). */
  | 'closed'
  /** Still held when close()'s deadline passed. */
  | 'close_deadline';

export const DROP_REASONS: readonly DropReason[] = [
  'invalid',
  'buffer_full',
  'retries_exhausted',
  'rejected',
  'closed',
  'close_deadline',
];

export interface ClientStats {
  /** Events the receiver acknowledged. */
  sent: number;
  dropped: Record<DropReason, number>;
  /** Events held now: waiting for their batch or being sent. */
  buffered: number;
}

/** What onError is told: the reason, how many events, and what went wrong. */
export interface ClientError {
  reason: DropReason;
  count: number;
  message: string;
}

export function noDrops(): Record<DropReason, number> {
  return Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
}

/** The default onError: one stderr line per reason at most every `everyMs`, with what was dropped since. */
export function throttledWarning(
  write: (line: string) => void = (line) => process.stderr.write(line),
  everyMs = 10_000,
  now: () => number = Date.now,
): (error: ClientError) => void {
  const last = new Map<DropReason, number>();
  const pending = new Map<DropReason, number>();
  return (error) => {
    const count = (pending.get(error.reason) ?? 0) + error.count;
    const at = last.get(error.reason);
    if (at !== undefined && now() - at < everyMs) {
      pending.set(error.reason, count);
      return;
    }
    last.set(error.reason, now());
    pending.set(error.reason, 0);
    write(`driftline client: dropped ${count} event(s) (${error.reason}): ${error.message}\n`);
  };
}
