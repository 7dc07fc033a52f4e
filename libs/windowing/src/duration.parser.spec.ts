import fc from 'fast-check';
import { DurationError, formatDuration, parseDuration } from './duration.parser';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['7d', 604_800_000],
    ['1h30m', 5_400_000],
    ['1d2h3m4s5ms', 86_400_000 + 7_200_000 + 180_000 + 4_000 + 5],
    ['0s', 0],
    [' 10m ', 600_000],
  ])('reads %p as %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['', /empty/],
    ['5', /at "5": expected an integer followed by one of d, h, m, s, ms/],
    ['m', /at "m"/],
    ['5x', /at "5x"/],
    ['1.5h', /at "1.5h"/],
    ['-5m', /at "-5m"/],
    ['5 m', /at "5 m"/],
    ['5m1h', /largest first/],
    ['5m5m', /once each/],
    ['99999999999999999d', /too large/],
  ])('rejects %p', (text, message) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    expect(() => parseDuration(text)).toThrow(message);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [250, '250ms'],
    [300_000, '5m'],
    [5_400_000, '1h30m'],
    [90_061_001, '1d1h1m1s1ms'],
  ])('writes %p ms as %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('is read back by parseDuration as the same number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (ms) => parseDuration(formatDuration(ms)) === ms),
    );
  });

  it.each([-1, 1.5, Number.NaN])('rejects %p', (ms) => {
    expect(() => formatDuration(ms)).toThrow(DurationError);
  });
});
