import { ApiError } from '@driftline/common';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

export interface TimeRange {
  from?: Date;
  to?: Date;
}

/** Date rolls 2024-02-30 over to March 1st; a query naming a day that does not exist is a mistake. */
function isCalendarDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/** An optional ISO 8601 instant (query parameter `name`): undefined when absent. */
export function parseInstant(name: string, text: unknown): Date | undefined {
  if (text === undefined || text === '') return undefined;
  const date = typeof text === 'string' && ISO_8601.test(text) ? new Date(text) : null;
  if (date === null || Number.isNaN(date.getTime()) || !isCalendarDay((text as string).slice(0, 10))) {
    throw new ApiError(
      400,
      'invalid_time',
      `${name} must be an ISO 8601 date or date-time with a time zone, e.g. 2024-05-01T12:00:00Z`,
      { [name]: text },
    );
  }
  return date;
}

/** The from/to query parameters: ISO 8601 instants, from not after to. */
export function parseTimeRange(from: unknown, to: unknown): TimeRange {
  const range = { from: parseInstant('from', from), to: parseInstant('to', to) };
  if (range.from && range.to && range.from > range.to) {
    throw new ApiError(400, 'invalid_time_range', 'from is after to', { from, to });
  }
  return range;
}
