import type { JsonValue } from '../mergeable.types';
import type { WindowSpec } from '../window-spec.parser';
import { probeSummaryOf, type Probe } from './probe.summary';

export type Op =
  | { kind: 'event'; event: Probe; eventTime: number; partition: number; now: number }
  | { kind: 'tick'; now: number };

export interface ExpectedWindow {
  start: number;
  end: number;
  eventCount: number;
  lateEvents: number;
  /** Always 0: the reference has no duplicates (countDuplicate has its own property). */
  duplicateEvents: number;
  closedBy: 'watermark' | 'idle';
  summary: JsonValue;
}

export interface ExpectedStep {
  /** Set for events: whether it counts. */
  accepted?: boolean;
  rejectedAs?: 'late' | 'future';
  closed: ExpectedWindow[];
}

interface Watermarks {
  /** From event times alone at this step, null when no partition is active. */
  event: number | null;
  /** The key's watermark after this step: the greatest seen so far. */
  key: number | null;
}

/**
 * The windows a WindowTracker must close, recomputed from scratch over the whole prefix at
 * every step: quadratic, and written from the definitions rather than from the tracker's code.
 */
export function referenceRun(ops: readonly Op[], spec: WindowSpec): ExpectedStep[] {
  const { size, step, allowedLateness, idleTimeout, emitEmpty, maxClockSkew } = spec;
  const isFuture = (op: Op): boolean =>
    op.kind === 'event' && maxClockSkew !== undefined && op.eventTime > op.now + maxClockSkew;
  const floorTo = (t: number): number => Math.floor(t / step) * step;
  const steps: ExpectedStep[] = [];
  const marks: Watermarks[] = [];
  const verdicts: { op: Extract<Op, { kind: 'event' }>; accepted: boolean }[] = [];
  let emittedAny = false;

  for (let i = 0; i < ops.length; i += 1) {
    const op = ops[i]!;
    const before = i === 0 ? null : marks[i - 1]!.key;
    let accepted: boolean | undefined;
    if (op.kind === 'event') {
      accepted = !isFuture(op) && (before === null || floorTo(op.eventTime) + step > before);
      if (!isFuture(op)) verdicts.push({ op, accepted });
    }
    const mark = watermarksAt(ops.slice(0, i + 1), before);
    marks.push(mark);

    const closed: ExpectedWindow[] = [];
    if (before !== null && mark.key !== null && mark.key > before) {
      for (let end = floorTo(before) + step; end <= mark.key; end += step) {
        const inWindow = verdicts.filter((v) => v.op.eventTime >= end - size && v.op.eventTime < end);
        const counted = inWindow.filter((v) => v.accepted).map((v) => v.op.event);
        if (counted.length === 0 && !(emitEmpty && emittedAny)) continue;
        emittedAny = true;
        closed.push({
          start: end - size,
          end,
          eventCount: counted.length,
          lateEvents: inWindow.length - counted.length,
          duplicateEvents: 0,
          closedBy: mark.event !== null && end <= mark.event ? 'watermark' : 'idle',
          summary: probeSummaryOf(counted),
        });
      }
    }
    if (accepted === undefined) steps.push({ closed });
    else if (accepted) steps.push({ accepted, closed });
    else steps.push({ accepted, rejectedAs: isFuture(op) ? 'future' : 'late', closed });
  }
  return steps;

  function watermarksAt(prefix: readonly Op[], before: number | null): Watermarks {
    const now = prefix[prefix.length - 1]!.now;
    const byPartition = new Map<number, { max: number; lastSeen: number }>();
    for (const op of prefix) {
      if (op.kind !== 'event' || isFuture(op)) continue;
      const seen = byPartition.get(op.partition);
      byPartition.set(op.partition, {
        max: Math.max(seen?.max ?? -Infinity, op.eventTime),
        lastSeen: Math.max(seen?.lastSeen ?? -Infinity, op.now),
      });
    }
    const active = [...byPartition.values()].filter(
      (p) => idleTimeout === undefined || now - p.lastSeen < idleTimeout,
    );
    const event = active.length === 0 ? null : Math.min(...active.map((p) => p.max - allowedLateness));
    const idle =
      idleTimeout !== undefined && byPartition.size > 0 && active.length === 0
        ? now - allowedLateness - idleTimeout
        : null;
    const all = [before, event, idle].filter((w): w is number => w !== null);
    return { event, key: all.length === 0 ? null : Math.max(...all) };
  }
}
