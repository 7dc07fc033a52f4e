import { WindowSpecError, parseWindowSpec, type WindowSpecInput } from './window-spec.parser';

describe('parseWindowSpec', () => {
  it('reads durations as text or milliseconds and defaults lateness to 0 and emitEmpty to false', () => {
    expect(parseWindowSpec({ size: '1h', step: '5m', allowedLateness: '10m', idleTimeout: 900_000 })).toEqual(
      {
        size: 3_600_000,
        step: 300_000,
        allowedLateness: 600_000,
        idleTimeout: 900_000,
        emitEmpty: false,
      },
    );
    expect(parseWindowSpec({ size: 60_000, step: '30s', emitEmpty: true })).toEqual({
      size: 60_000,
      step: 30_000,
      allowedLateness: 0,
      emitEmpty: true,
    });
  });

  it.each<[WindowSpecInput, keyof WindowSpecInput, RegExp]>([
    [{ size: '1h', step: '7m' }, 'size', /3600000 ms is not a whole number of steps of 420000 ms/],
    [{ size: '1h', step: '0s' }, 'step', /must be positive/],
    [{ size: 0, step: '5m' }, 'size', /must be positive/],
    [{ size: '1h', step: '5min' }, 'step', /Invalid duration "5min"/],
    [{ size: '1h', step: '5m', allowedLateness: -1 }, 'allowedLateness', /not a non-negative integer/],
    [{ size: '1h', step: '5m', idleTimeout: '0s' }, 'idleTimeout', /must be positive/],
    [{ step: '5m' } as WindowSpecInput, 'size', /is required/],
  ])('rejects %j, naming %s', (input, field, message) => {
    let thrown: unknown;
    try {
      parseWindowSpec(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WindowSpecError);
    expect((thrown as WindowSpecError).field).toBe(field);
    expect((thrown as WindowSpecError).message).toMatch(new RegExp(`^${field}: `));
    expect((thrown as WindowSpecError).message).toMatch(message);
  });
});
