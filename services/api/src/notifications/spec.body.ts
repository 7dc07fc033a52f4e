import type { ValidationResult } from '@driftline/contracts';
import { DurationError, formatDuration, parseDuration } from '@driftline/windowing';
import { ApiError } from '@driftline/common';

/**
 * The JSON body of a create or replace, shape-checked: 415 without one, 400 `invalid_<what>` with
 * every reason. On replace the path names the object: the body may leave its id out, not name another.
 */
export function checkedBody<T>(
  what: string,
  body: unknown,
  validate: (input: unknown) => ValidationResult<T>,
  path?: { idField: string; id: string },
): T {
  if (body === undefined)
    throw new ApiError(415, 'unsupported_media_type', `send the ${what} as application/json`);
  const withId =
    path !== undefined && isObject(body) && body[path.idField] === undefined
      ? { ...body, [path.idField]: path.id }
      : body;
  const result = validate(withId);
  if (!result.ok) throw invalid(what, result.errors);
  const named = path === undefined ? undefined : (result.value as Record<string, unknown>)[path.idField];
  if (path !== undefined && named !== path.id) {
    throw new ApiError(
      400,
      `${what}_id_mismatch`,
      `the body names ${what} "${String(named)}", the path "${path.id}"`,
      {
        path: path.id,
        body: named,
      },
    );
  }
  return result.value;
}

/** 400 `invalid_<what>` listing every reason. */
export function invalid(what: string, reasons: string[]): ApiError {
  return new ApiError(400, `invalid_${what}`, `the ${what} is invalid: ${reasons.join('; ')}`, reasons);
}

/** A duration of the body in ms, or the reason it is not one (as `<path>: <why>`). */
export function durationMs(
  path: string,
  text: string | undefined,
  minMs: number,
  maxMs: number,
): number | null | string {
  if (text === undefined) return null;
  try {
    const ms = parseDuration(text);
    if (ms < minMs || ms > maxMs)
      return `${path}: must be from ${formatDuration(minMs)} to ${formatDuration(maxMs)}`;
    return ms;
  } catch (error) {
    if (error instanceof DurationError) return `${path}: ${error.message}`;
    throw error;
  }
}

/** The cursor of a list ordered by a sequence number (silences, deliveries). */
export function sequenceCursor(cursor: string | undefined): string | undefined {
  if (cursor !== undefined && !/^[1-9]\d{0,18}$/.test(cursor)) {
    throw new ApiError(400, 'invalid_query', 'cursor is the nextCursor of a previous page');
  }
  return cursor;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
