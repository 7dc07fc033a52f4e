/** How a record's first reason begins, for each kind of rejection (the reasons themselves are free text). */
export const DEAD_LETTER_PREFIXES = {
  tombstone: 'record has no value',
  malformed_json: 'value is not valid JSON',
  handler_failed: 'handler failed:',
} as const;

/** The bounded label of a dead letter in /metrics: the prefixes above, else a schema violation. */
export type DeadLetterReason = keyof typeof DEAD_LETTER_PREFIXES | 'invalid_event';

export const DEAD_LETTER_REASONS: readonly DeadLetterReason[] = [
  'tombstone',
  'malformed_json',
  'invalid_event',
  'handler_failed',
];

export function deadLetterReasonOf(reasons: readonly string[]): DeadLetterReason {
  const first = reasons[0] ?? '';
  for (const [reason, prefix] of Object.entries(DEAD_LETTER_PREFIXES)) {
    if (first.startsWith(prefix)) return reason as DeadLetterReason;
  }
  return 'invalid_event';
}
