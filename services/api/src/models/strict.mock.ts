import { ApiError } from '@driftline/common';

/**
 * A stand-in for an interface whose methods are only those the test gives: calling any other one
 * fails the test (immich `automock` with strict mode), so a service cannot touch a repository unseen.
 */
export function strictMock<T extends object>(name: string, given: Partial<T> = {}): T {
  return new Proxy(given, {
    get(target, property) {
      if (property in target) return (target as Record<string | symbol, unknown>)[property];
      // awaited or inspected by Jest: not a method call
      if (typeof property === 'symbol' || property === 'then' || property === 'asymmetricMatch')
        return undefined;
      return () => {
        throw new Error(`unexpected call: ${name}.${property}()`);
      };
    },
  }) as T;
}

/** The ApiError a promise rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejectionOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}
