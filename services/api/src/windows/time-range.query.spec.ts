import { ApiError } from '@driftline/common';
import { parseTimeRange } from './time-range.query';

function codeOf(from: unknown, to: unknown): string {
  try {
    parseTimeRange(from, to);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) return error.code;
    throw error;
  }
  return 'ok';
}

describe('parseTimeRange', () => {
  it('reads ISO 8601 dates and date-times with a zone', () => {
    expect(parseTimeRange('2024-05-01', '2024-05-01T02:30:00+02:00')).toEqual({
      from: new Date('2024-05-01T00:00:00Z'),
      to: new Date('2024-05-01T00:30:00Z'),
    });
    expect(parseTimeRange(undefined, '')).toEqual({ from: undefined, to: undefined });
  });

  it('rejects anything else with 400, and a range that ends before it starts', () => {
    expect(codeOf('yesterday', undefined)).toBe('invalid_time');
    expect(codeOf('1714521600000', undefined)).toBe('invalid_time');
    expect(codeOf(undefined, '2024-05-01T00:00:00')).toBe('invalid_time');
    expect(codeOf('2024-02-30T00:00:00Z', undefined)).toBe('invalid_time');
    expect(codeOf('2024-02-29T00:00:00Z', undefined)).toBe('ok');
    expect(codeOf('2024-13-01', undefined)).toBe('invalid_time');
    expect(codeOf(['2024-05-01', '2024-05-02'], undefined)).toBe('invalid_time');
    expect(codeOf('2024-05-02', '2024-05-01')).toBe('invalid_time_range');
  });
});
