import type { EventOf, JsonValue, PaneSummary, SummaryFactory } from './mergeable.types';
import { mergeAll } from './mergeable.types';
import { paneStart, windowStart } from './pane.math';
import type { WindowSpec } from './window-spec.parser';
import {
  WINDOW_TRACKER_SNAPSHOT_VERSION,
  WindowSnapshotError,
  assertWindowTrackerSnapshot,
  type PaneSnapshot,
  type WindowTrackerChanges,
  type WindowTrackerSnapshot,
  type WindowTrackerState,
} from './window-tracker.snapshot';

export interface TrackedEvent<E> {
  value: E;
  /** Event time, epoch ms. */
  eventTime: number;
  /** Kafka partition the event came from. */
  partition: number;
  /** Wall-clock time of arrival, epoch ms. */
  now: number;
}

/** A window whose events are all in: its panes merged into one summary. */
export interface ClosedWindow<S> {
  key: string;
  /** Event times [start, end), epoch ms. */
  start: number;
  end: number;
  eventCount: number;
  /** Events rejected as late whose time falls in this window, counted until the window closed. */
  lateEvents: number;
  /** Duplicates (see countDuplicate) whose time falls in this window, counted until the window closed. */
  duplicateEvents: number;
  /** `watermark`: event time passed the end; `idle`: the key was quiet for idleTimeout of wall-clock time. */
  closedBy: 'watermark' | 'idle';
  summary: S;
}

export interface AddResult<S> {
  /** False when the event counts in no window, only in `lateEvents` or `futureEvents`. */
  accepted: boolean;
  /** Why it was not accepted: behind the watermark, or more than maxClockSkew ahead of `now`. */
  rejectedAs?: 'late' | 'future';
  /** Windows that closed because this event moved the watermark, oldest first. */
  closed: ClosedWindow<S>[];
}

interface Pane<S> {
  start: number;
  eventCount: number;
  lateEvents: number;
  duplicateEvents: number;
  summary: S;
}

interface PartitionClock {
  maxEventTime: number;
  lastSeenAt: number;
}

/**
 * Sliding windows over event time for one key (a model), kept as panes of one step each.
 *
 * Watermark. Each partition that has carried the key has its newest event time minus the
 * allowed lateness; the key's watermark is the least of these over the partitions not idle
 * (no event of the key for idleTimeout of wall-clock time), and never moves back. The least,
 * because a window may only close once every partition still feeding the key has passed it.
 * Kafka keys by modelId, so a model normally has one partition and this is just its own newest
 * event time minus the lateness. Only the key's own events count: producers of different models
 * need not share a clock, and a replay of old data for one model must not make another's late.
 * When every partition is idle, the watermark moves to `now − allowedLateness − idleTimeout`.
 * Without idleTimeout, a partition that stops carrying the key (the topic grew partitions)
 * holds the watermark for good; with it, the partition drops out after idleTimeout.
 *
 * A window ends at each pane end E and covers [E − size, E); it closes, exactly once and in
 * order, as soon as the watermark reaches E. An event whose pane ends at or before the
 * watermark is late: it is not added anywhere, so every event counts in all of its windows or
 * in none. Late events are counted per key, and per window for the windows that had not closed
 * yet. Windows with no events are skipped unless `emitEmpty`, and even then only once the key
 * has emitted a window (so a long quiet spell closes one empty window per step, all in one
 * call). Panes no future window needs are dropped at once, so with a single
 * partition at most size/step + ceil(allowedLateness/step) panes are alive (see maxLivePanes).
 * With maxClockSkew, an event time more than that ahead of `now` is rejected as `future`
 * and changes nothing but the `futureEvents` count.
 */
export class WindowTracker<S extends PaneSummary<EventOf<S>, S>> {
  private readonly panes = new Map<number, Pane<S>>();
  private readonly partitions = new Map<number, PartitionClock>();
  private currentWatermark: number | null = null;
  private currentLastEmittedEnd: number | null = null;
  private totalLateEvents = 0;
  private totalFutureEvents = 0;
  private totalDuplicateEvents = 0;
  private readonly changedPanes = new Set<number>();
  private readonly evictedPanes = new Set<number>();

  constructor(
    readonly key: string,
    readonly spec: WindowSpec,
    private readonly summaries: SummaryFactory<S>,
  ) {}

  /** A tracker in the state `snapshot` recorded; `spec` must have the snapshot's size and step. */
  static restore<S extends PaneSummary<EventOf<S>, S>>(
    snapshot: unknown,
    spec: WindowSpec,
    summaries: SummaryFactory<S>,
  ): WindowTracker<S> {
    assertWindowTrackerSnapshot(snapshot);
    if (snapshot.size !== spec.size || snapshot.step !== spec.step) {
      throw new WindowSnapshotError(
        `Snapshot of "${snapshot.key}" has size ${snapshot.size} ms and step ${snapshot.step} ms, ` +
          `but the window is now size ${spec.size} ms and step ${spec.step} ms: its panes cannot be reused.`,
      );
    }
    const tracker = new WindowTracker<S>(snapshot.key, spec, summaries);
    tracker.currentWatermark = snapshot.watermark;
    tracker.currentLastEmittedEnd = snapshot.lastEmittedEnd;
    tracker.totalLateEvents = snapshot.lateEvents;
    tracker.totalFutureEvents = snapshot.futureEvents ?? 0;
    tracker.totalDuplicateEvents = snapshot.duplicateEvents ?? 0;
    for (const p of snapshot.partitions) {
      tracker.partitions.set(p.partition, { maxEventTime: p.maxEventTime, lastSeenAt: p.lastSeenAt });
    }
    for (const pane of snapshot.panes) {
      tracker.panes.set(pane.start, {
        start: pane.start,
        eventCount: pane.eventCount,
        lateEvents: pane.lateEvents,
        duplicateEvents: pane.duplicateEvents ?? 0,
        summary: summaries.fromJSON(pane.summary),
      });
    }
    return tracker;
  }

  /** Event time up to which the key's windows have closed (see the class comment); `null` before any event. */
  get watermark(): number | null {
    return this.currentWatermark;
  }

  /** End of the last window returned, `null` before the first. */
  get lastEmittedEnd(): number | null {
    return this.currentLastEmittedEnd;
  }

  get lateEvents(): number {
    return this.totalLateEvents;
  }

  get futureEvents(): number {
    return this.totalFutureEvents;
  }

  get duplicateEvents(): number {
    return this.totalDuplicateEvents;
  }

  get livePanes(): number {
    return this.panes.size;
  }

  add(event: TrackedEvent<EventOf<S>>): AddResult<S> {
    assertTime('eventTime', event.eventTime);
    assertTime('now', event.now);
    if (!Number.isSafeInteger(event.partition) || event.partition < 0) {
      throw new RangeError(`partition must be a non-negative integer, got ${event.partition}.`);
    }
    const { step, size, maxClockSkew } = this.spec;
    if (maxClockSkew !== undefined && event.eventTime > event.now + maxClockSkew) {
      this.totalFutureEvents += 1;
      return { accepted: false, rejectedAs: 'future', closed: this.advance(event.now) };
    }
    const start = paneStart(event.eventTime, step);
    const closedUntil = this.closedUntil();
    const accepted = start >= closedUntil;
    if (accepted) {
      const pane = this.pane(start);
      pane.summary = (pane.summary.update(event.value) as S | undefined) ?? pane.summary;
      pane.eventCount += 1;
    } else {
      this.totalLateEvents += 1;
      if (start >= closedUntil + step - size) this.pane(start).lateEvents += 1;
    }
    const clock = this.partitions.get(event.partition);
    if (clock === undefined) {
      this.partitions.set(event.partition, { maxEventTime: event.eventTime, lastSeenAt: event.now });
    } else {
      clock.maxEventTime = Math.max(clock.maxEventTime, event.eventTime);
      clock.lastSeenAt = Math.max(clock.lastSeenAt, event.now);
    }
    const closed = this.advance(event.now);
    return accepted ? { accepted, closed } : { accepted, rejectedAs: 'late', closed };
  }

  /**
   * Counts an event the caller dropped as a duplicate of one added before: per key, and per window
   * for the windows holding `eventTime` that have not closed yet (as late events are), if its pane
   * is alive. It adds no pane (so the bound on live panes holds) and changes nothing else: no
   * summary, no event count, no watermark.
   */
  countDuplicate(eventTime: number): void {
    assertTime('eventTime', eventTime);
    const { step, size } = this.spec;
    const start = paneStart(eventTime, step);
    this.totalDuplicateEvents += 1;
    const pane = this.panes.get(start);
    if (pane === undefined || start < this.closedUntil() + step - size) return;
    pane.duplicateEvents += 1;
    this.changedPanes.add(start);
  }

  /**
   * Closes the windows that wall-clock time alone makes due (idleTimeout); call it periodically,
   * but only once the consumer has caught up with the key's partitions: wall-clock time cannot
   * tell a quiet producer from a consumer that is behind, as after a restart.
   */
  tick(now: number): ClosedWindow<S>[] {
    assertTime('now', now);
    return this.advance(now);
  }

  snapshot(): WindowTrackerSnapshot {
    return { ...this.state(), panes: this.sortedPanes().map((pane) => this.paneSnapshot(pane)) };
  }

  /**
   * The panes added to or dropped since the previous call, to persist panes as deltas: the
   * stored state plus the stored panes, passed to restore, equal snapshot().
   */
  drainChanges(): WindowTrackerChanges {
    const upserted = [...this.changedPanes]
      .sort((a, b) => a - b)
      .map((start) => this.paneSnapshot(this.panes.get(start) as Pane<S>));
    const evicted = [...this.evictedPanes].sort((a, b) => a - b);
    this.changedPanes.clear();
    this.evictedPanes.clear();
    return { state: this.state(), upserted, evicted };
  }

  private advance(now: number): ClosedWindow<S>[] {
    const eventWatermark = this.eventWatermark(now);
    const idleWatermark = this.idleWatermark(now);
    const previous = this.currentWatermark;
    const next = latest(latest(previous, eventWatermark), idleWatermark);
    if (next === null) return [];
    this.currentWatermark = next;
    // The first watermark is the first event's time minus the lateness: no window at or
    // before it can hold an event.
    if (previous === null || next <= previous) return [];

    const { step, size } = this.spec;
    const from = paneStart(previous, step);
    const to = paneStart(next, step);
    if (to === from) return [];
    const closed: ClosedWindow<S>[] = [];
    const panes = this.sortedPanes();
    let end = from + step;
    while (end <= to) {
      const inWindow = panes.filter((pane) => pane.start >= end - size && pane.start < end);
      const eventCount = inWindow.reduce((sum, pane) => sum + pane.eventCount, 0);
      if (eventCount > 0 || (this.spec.emitEmpty && this.currentLastEmittedEnd !== null)) {
        closed.push({
          key: this.key,
          start: windowStart(end, this.spec),
          end,
          eventCount,
          lateEvents: inWindow.reduce((sum, pane) => sum + pane.lateEvents, 0),
          duplicateEvents: inWindow.reduce((sum, pane) => sum + pane.duplicateEvents, 0),
          closedBy: eventWatermark !== null && end <= eventWatermark ? 'watermark' : 'idle',
          summary: mergeAll(
            this.summaries,
            inWindow.filter((pane) => pane.eventCount > 0).map((pane) => pane.summary),
          ),
        });
        this.currentLastEmittedEnd = end;
        end += step;
      } else {
        // Skip the windows that hold no event: the next one that can ends a step after the
        // next pane with events.
        const next = panes.find((pane) => pane.eventCount > 0 && pane.start >= end);
        end = next === undefined ? to + step : next.start + step;
      }
    }
    this.evictBefore(to + step - size);
    return closed;
  }

  /** Least over the partitions still active of (newest event time − allowed lateness). */
  private eventWatermark(now: number): number | null {
    let least: number | null = null;
    for (const clock of this.partitions.values()) {
      if (this.isIdle(clock, now)) continue;
      const watermark = clock.maxEventTime - this.spec.allowedLateness;
      least = least === null ? watermark : Math.min(least, watermark);
    }
    return least;
  }

  private idleWatermark(now: number): number | null {
    const { idleTimeout, allowedLateness } = this.spec;
    if (idleTimeout === undefined || this.partitions.size === 0) return null;
    for (const clock of this.partitions.values()) if (!this.isIdle(clock, now)) return null;
    return now - allowedLateness - idleTimeout;
  }

  private isIdle(clock: PartitionClock, now: number): boolean {
    return this.spec.idleTimeout !== undefined && now - clock.lastSeenAt >= this.spec.idleTimeout;
  }

  /** Panes starting before this are closed: an event in them is late. */
  private closedUntil(): number {
    return this.currentWatermark === null ? -Infinity : paneStart(this.currentWatermark, this.spec.step);
  }

  private pane(start: number): Pane<S> {
    let pane = this.panes.get(start);
    if (pane === undefined) {
      pane = { start, eventCount: 0, lateEvents: 0, duplicateEvents: 0, summary: this.summaries.empty() };
      this.panes.set(start, pane);
      this.evictedPanes.delete(start);
    }
    this.changedPanes.add(start);
    return pane;
  }

  private evictBefore(start: number): void {
    for (const pane of this.panes.keys()) {
      if (pane < start) {
        this.panes.delete(pane);
        this.changedPanes.delete(pane);
        this.evictedPanes.add(pane);
      }
    }
  }

  private sortedPanes(): Pane<S>[] {
    return [...this.panes.values()].sort((a, b) => a.start - b.start);
  }

  private paneSnapshot(pane: Pane<S>): PaneSnapshot {
    const summary = pane.summary.toJSON() as JsonValue;
    const { start, eventCount, lateEvents, duplicateEvents } = pane;
    return { start, eventCount, lateEvents, duplicateEvents, summary };
  }

  private state(): WindowTrackerState {
    return {
      version: WINDOW_TRACKER_SNAPSHOT_VERSION,
      key: this.key,
      size: this.spec.size,
      step: this.spec.step,
      watermark: this.currentWatermark,
      lastEmittedEnd: this.currentLastEmittedEnd,
      lateEvents: this.totalLateEvents,
      futureEvents: this.totalFutureEvents,
      duplicateEvents: this.totalDuplicateEvents,
      partitions: [...this.partitions.entries()]
        .sort(([a], [b]) => a - b)
        .map(([partition, clock]) => ({ partition, ...clock })),
    };
  }
}

function latest(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

function assertTime(name: string, value: number): void {
  if (!Number.isFinite(value))
    throw new RangeError(`${name} must be a finite epoch-ms number, got ${value}.`);
}
