import fc from 'fast-check';
import { maxLivePanes, paneEnd, paneStart, windowEndsContaining, windowStart } from './pane.math';

const MIN = 60_000;
const at = (iso: string): number => Date.parse(iso);

describe('pane arithmetic', () => {
  it('puts an event in the step-aligned pane around it', () => {
    expect(paneStart(at('2024-05-01T10:07:31Z'), 5 * MIN)).toBe(at('2024-05-01T10:05:00Z'));
    expect(paneEnd(at('2024-05-01T10:07:31Z'), 5 * MIN)).toBe(at('2024-05-01T10:10:00Z'));
    expect(paneStart(at('2024-05-01T10:05:00Z'), 5 * MIN)).toBe(at('2024-05-01T10:05:00Z'));
    expect(paneStart(-1, 10)).toBe(-10);
  });

  it('lists the windows holding an event: one ending at each of the next size/step pane ends', () => {
    const spec = { size: 15 * MIN, step: 5 * MIN };
    expect(windowEndsContaining(at('2024-05-01T10:07:00Z'), spec)).toEqual([
      at('2024-05-01T10:10:00Z'),
      at('2024-05-01T10:15:00Z'),
      at('2024-05-01T10:20:00Z'),
    ]);
    expect(windowStart(at('2024-05-01T10:20:00Z'), spec)).toBe(at('2024-05-01T10:05:00Z'));
  });

  it('every window listed holds the event and no other window does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 8 }),
        (t, step, panes) => {
          const spec = { size: step * panes, step };
          const ends = windowEndsContaining(t, spec);
          const holds = (end: number): boolean => windowStart(end, spec) <= t && t < end;
          expect(ends.every(holds)).toBe(true);
          expect(holds(ends[0]! - step)).toBe(false);
          expect(holds(ends[ends.length - 1]! + step)).toBe(false);
        },
      ),
    );
  });

  it('bounds live panes by size/step + ceil(lateness/step)', () => {
    expect(maxLivePanes({ size: 60 * MIN, step: 5 * MIN, allowedLateness: 10 * MIN })).toBe(14);
    expect(maxLivePanes({ size: 60 * MIN, step: 5 * MIN, allowedLateness: 11 * MIN })).toBe(15);
    expect(maxLivePanes({ size: 60 * MIN, step: 5 * MIN, allowedLateness: 0 })).toBe(12);
  });
});
