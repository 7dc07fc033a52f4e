import { ApiError } from '@driftline/common';
import { decodeCursor, encodeCursor } from '../list.query';

export interface WindowKey {
  windowStart: Date;
  windowEnd: Date;
}

/** The cursor of a list of windows, oldest first: the last window of the page. */
export const windowCursor = (last: WindowKey): string =>
  encodeCursor(last.windowStart.toISOString(), last.windowEnd.toISOString());

/** The window a cursor names; 400 invalid_query when it is not a nextCursor. */
export function windowAfter(cursor: string | undefined): WindowKey | undefined {
  if (cursor === undefined) return undefined;
  const [start, end] = decodeCursor(cursor, 2).map((text) => new Date(text));
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    throw new ApiError(400, 'invalid_query', 'cursor is the nextCursor of a previous page');
  }
  return { windowStart: start, windowEnd: end };
}
