import { ApiError } from '@driftline/common';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** What every list endpoint reads from its query: its own filters, and `limit` and `cursor`. */
export interface ListQuery {
  limit: number;
  cursor: string | undefined;
  text(name: string): string | undefined;
}

/**
 * Reads a list endpoint's query string: each parameter given once as text, limit from 1 to 1000
 * (default 100). Errors are 400 `invalid_query`. Which parameters a list takes is its OpenAPI
 * operation's to say: RequestShapeInterceptor has answered `unknown_parameter` for the others.
 */
export function listQuery(query: Record<string, unknown>): ListQuery {
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') {
      throw new ApiError(400, 'invalid_query', `give ${name} once, as text`);
    }
    return value;
  };
  const limitText = text('limit');
  const limit = limitText === undefined ? DEFAULT_PAGE_SIZE : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ApiError(400, 'invalid_query', `limit is an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return { limit, cursor: text('cursor'), text };
}

/** A page of `limit` from `found` (fetched with limit + 1) and the cursor of the next one. */
export function page<T>(
  found: T[],
  limit: number,
  cursorOf: (last: T) => string,
): { items: T[]; nextCursor: string | null } {
  const items = found.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: found.length > limit && last !== undefined ? cursorOf(last) : null };
}

/** A cursor of several parts, opaque to clients. */
export const encodeCursor = (...parts: string[]): string =>
  Buffer.from(JSON.stringify(parts)).toString('base64url');

export function decodeCursor(cursor: string, parts: number): string[] {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === parts && decoded.every((p) => typeof p === 'string')) {
      return decoded as string[];
    }
  } catch {
    // falls through to the error
  }
  throw new ApiError(400, 'invalid_query', 'cursor is the nextCursor of a previous page');
}
