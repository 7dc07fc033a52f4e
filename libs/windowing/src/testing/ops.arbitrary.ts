import fc from 'fast-check';
import { parseWindowSpec, type WindowSpec } from '../window-spec.parser';
import type { Op } from './window.reference';

export interface StreamShape {
  partitions: number;
  /** Largest delay behind the newest time, in multiples of the lateness plus this many steps. */
  extraDelaySteps: number;
  ticks: boolean;
  /** Whether some events are stamped ahead of the wall clock, as by a wrong clock. */
  stampedAhead: boolean;
}

export const specArbitrary = (options: { idle: boolean }): fc.Arbitrary<WindowSpec> =>
  fc
    .record({
      step: fc.integer({ min: 1, max: 20 }),
      panes: fc.integer({ min: 1, max: 6 }),
      lateness: fc.integer({ min: 0, max: 70 }),
      idleTimeout: options.idle
        ? fc.option(fc.integer({ min: 1, max: 150 }), { nil: undefined })
        : fc.constant(undefined),
      emitEmpty: fc.boolean(),
      maxClockSkew: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    })
    .map(({ step, panes, lateness, idleTimeout, emitEmpty, maxClockSkew }) =>
      parseWindowSpec({
        step,
        size: step * panes,
        allowedLateness: lateness,
        idleTimeout,
        emitEmpty,
        maxClockSkew,
      }),
    );

/**
 * A stream whose event times follow a rising clock with jumps, each event up to
 * lateness + extraDelaySteps·step behind it, and a wall clock a fixed lag behind that clock
 * or further, with quiet spells.
 */
export function opsArbitrary(spec: WindowSpec, shape: StreamShape): fc.Arbitrary<Op[]> {
  const move = fc.record({
    advance: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 2 * spec.step }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 * spec.size }) },
    ),
    delay: fc.integer({ min: 0, max: spec.allowedLateness + shape.extraDelaySteps * spec.step }),
    partition: fc.integer({ min: 0, max: shape.partitions - 1 }),
    wallAdvance: fc.oneof(
      { weight: 20, arbitrary: fc.integer({ min: 0, max: 3 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 300 }) },
    ),
    tick: shape.ticks ? fc.boolean() : fc.constant(false),
    x: fc.integer({ min: -30, max: 40 }),
    /** Now and then an event stamped by a clock far ahead. */
    ahead: !shape.stampedAhead
      ? fc.constant(0)
      : fc.oneof(
          { weight: 60, arbitrary: fc.constant(0) },
          { weight: 1, arbitrary: fc.integer({ min: 1, max: 150 }) },
          { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }) },
        ),
  });
  return fc
    .tuple(
      fc.integer({ min: -500, max: 500 }),
      fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 2_000 })),
      fc.array(move, { maxLength: 90, size: 'large' }),
    )
    .map(([origin, lag, moves]) => {
      const ops: Op[] = [];
      let clock = origin;
      let now = origin + lag;
      moves.forEach((m, id) => {
        clock += m.advance;
        now = Math.max(now + m.wallAdvance, clock + lag);
        if (m.tick) {
          ops.push({ kind: 'tick', now });
        } else {
          ops.push({
            kind: 'event',
            event: { id, x: m.x },
            eventTime: m.ahead > 0 ? now + m.ahead : clock - m.delay,
            partition: m.partition,
            now,
          });
        }
      });
      return ops;
    });
}
