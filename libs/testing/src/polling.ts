import { randomBytes } from 'node:crypto';

/** `<prefix>-<random>`: a topic, group id or key no concurrent test will reuse. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What was awaited, for the timeout error. */
  message?: string;
}

/**
 * Polls `predicate` until it returns a truthy value and resolves with that value. A predicate that
 * throws counts as not yet; its last error is quoted if the wait times out.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 50, message = 'condition' }: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause =
        lastError === undefined
          ? ''
          : `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(`waitFor: ${message} not met within ${timeoutMs} ms${cause}`);
    }
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}
