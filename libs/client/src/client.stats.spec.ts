import { throttledWarning } from './client.stats';

describe('throttledWarning', () => {
  it('writes one line per reason per period, with the count dropped since the last line', () => {
    const lines: string[] = [];
    let now = 0;
    const warn = throttledWarning(
      (line) => lines.push(line),
      1000,
      () => now,
    );
    warn({ reason: 'buffer_full', count: 1, message: 'full' });
    warn({ reason: 'buffer_full', count: 1, message: 'full' });
    warn({ reason: 'buffer_full', count: 1, message: 'full' });
    warn({ reason: 'invalid', count: 1, message: 'bad' });
    now = 1000;
    warn({ reason: 'buffer_full', count: 1, message: 'full' });
    expect(lines).toEqual([
      'driftline client: dropped 1 event(s) (buffer_full): full\n',
      'driftline client: dropped 1 event(s) (invalid): bad\n',
      'driftline client: dropped 3 event(s) (buffer_full): full\n',
    ]);
  });
});
