import { ProbePane, probePanes } from './testing/probe.summary';
import { WindowSnapshotError } from './window-tracker.snapshot';
import { WindowTracker, type ClosedWindow } from './window.tracker';
import { parseWindowSpec, type WindowSpecInput } from './window-spec.parser';

const at = (hhmmss: string, day = '2024-05-01'): number => Date.parse(`${day}T${hhmmss}Z`);
const NOW = at('10:00:00', '2026-11-23');
const SECOND = 1_000;

function tracker(input: Partial<WindowSpecInput> = {}): WindowTracker<ProbePane> {
  return new WindowTracker(
    'model-a',
    parseWindowSpec({ size: '15m', step: '5m', allowedLateness: '2m', ...input }),
    probePanes,
  );
}

interface Brief {
  start: string;
  end: string;
  eventCount: number;
  lateEvents: number;
  closedBy: 'watermark' | 'idle';
  sum: number;
}

function brief(windows: ClosedWindow<ProbePane>[]): Brief[] {
  return windows.map((w) => ({
    start: new Date(w.start).toISOString().slice(11, 16),
    end: new Date(w.end).toISOString().slice(11, 16),
    eventCount: w.eventCount,
    lateEvents: w.lateEvents,
    closedBy: w.closedBy,
    sum: (w.summary.toJSON() as { moments: [number, number] }).moments[1],
  }));
}

describe('WindowTracker, 15m windows sliding by 5m, 2m allowed lateness', () => {
  it('closes each window when the watermark (newest time − 2m) reaches its end, and rejects late events', () => {
    const t = tracker();
    let id = 0;
    const add = (time: string, x: number, partition = 0) =>
      t.add({ value: { id: id++, x }, eventTime: at(time), partition, now: NOW });

    expect(add('10:01:00', 1)).toEqual({ accepted: true, closed: [] });
    expect(add('10:04:00', 2)).toEqual({ accepted: true, closed: [] });
    expect(add('10:06:00', 3)).toEqual({ accepted: true, closed: [] });
    expect(t.watermark).toBe(at('10:04:00'));

    const fourth = add('10:08:00', 4);
    expect(fourth.accepted).toBe(true);
    expect(brief(fourth.closed)).toEqual([
      { start: '09:50', end: '10:05', eventCount: 2, lateEvents: 0, closedBy: 'watermark', sum: 3 },
    ]);

    // The pane [10:00, 10:05) closed when the watermark reached 10:06.
    expect(add('10:04:30', 5)).toEqual({ accepted: false, rejectedAs: 'late', closed: [] });
    expect(t.lateEvents).toBe(1);
    // 10:07 is 1 min behind the newest event but 1 min past the watermark: its pane is open.
    expect(add('10:07:00', 6).accepted).toBe(true);

    expect(brief(add('10:13:00', 7).closed)).toEqual([
      { start: '09:55', end: '10:10', eventCount: 5, lateEvents: 1, closedBy: 'watermark', sum: 16 },
    ]);
    expect(brief(add('10:22:00', 8).closed)).toEqual([
      { start: '10:00', end: '10:15', eventCount: 6, lateEvents: 1, closedBy: 'watermark', sum: 23 },
      { start: '10:05', end: '10:20', eventCount: 4, lateEvents: 0, closedBy: 'watermark', sum: 20 },
    ]);
    expect(t.lastEmittedEnd).toBe(at('10:20:00'));
    // Panes [10:10, 10:15), [10:15, 10:20) for the next window, [10:20, 10:25) open.
    expect(t.snapshot().panes.map((p) => p.start)).toEqual([at('10:10:00'), at('10:20:00')]);
    expect(t.tick(NOW + 3_600_000)).toEqual([]);
  });

  it('merges panes into a fresh summary, leaving the panes as they were', () => {
    const t = tracker({ size: '10m' });
    t.add({ value: { id: 1, x: 5 }, eventTime: at('10:01:00'), partition: 0, now: NOW });
    t.add({ value: { id: 2, x: 7 }, eventTime: at('10:06:00'), partition: 0, now: NOW });
    const first = t.add({
      value: { id: 3, x: 11 },
      eventTime: at('10:13:00'),
      partition: 0,
      now: NOW,
    }).closed;
    const second = t.add({
      value: { id: 4, x: 0 },
      eventTime: at('10:18:00'),
      partition: 0,
      now: NOW,
    }).closed;
    // The pane [10:05, 10:10) is in all three windows; merging must not add into it.
    expect(brief([...first, ...second])).toEqual([
      { start: '09:55', end: '10:05', eventCount: 1, lateEvents: 0, closedBy: 'watermark', sum: 5 },
      { start: '10:00', end: '10:10', eventCount: 2, lateEvents: 0, closedBy: 'watermark', sum: 12 },
      { start: '10:05', end: '10:15', eventCount: 2, lateEvents: 0, closedBy: 'watermark', sum: 18 },
    ]);
  });
});

describe('WindowTracker on a quiet model (idleTimeout 10m)', () => {
  it('closes a window once wall-clock time passes its end + lateness + idle timeout', () => {
    const t = tracker({ idleTimeout: '10m' });
    const wall = (hhmmss: string): number => at(hhmmss);
    t.add({ value: { id: 1, x: 1 }, eventTime: at('10:01:00'), partition: 0, now: wall('10:01:05') });
    t.add({ value: { id: 2, x: 2 }, eventTime: at('10:03:00'), partition: 0, now: wall('10:03:05') });

    expect(t.tick(wall('10:16:59'))).toEqual([]);
    expect(brief(t.tick(wall('10:17:00')))).toEqual([
      { start: '09:50', end: '10:05', eventCount: 2, lateEvents: 0, closedBy: 'idle', sum: 3 },
    ]);
    expect(brief(t.tick(wall('10:27:00')))).toEqual([
      { start: '09:55', end: '10:10', eventCount: 2, lateEvents: 0, closedBy: 'idle', sum: 3 },
      { start: '10:00', end: '10:15', eventCount: 2, lateEvents: 0, closedBy: 'idle', sum: 3 },
    ]);
    // [10:05, 10:20) holds nothing and emitEmpty is off.
    expect(t.tick(wall('10:40:00'))).toEqual([]);
    expect(t.livePanes).toBe(0);
    // Its window has closed, so a straggler for 10:14 is late.
    expect(
      t.add({ value: { id: 3, x: 3 }, eventTime: at('10:14:00'), partition: 0, now: wall('10:40:01') })
        .accepted,
    ).toBe(false);
  });

  it('with emitEmpty, goes on closing windows with no events, once a window has been emitted', () => {
    const t = tracker({ idleTimeout: '10m', emitEmpty: true });
    t.add({ value: { id: 1, x: 1 }, eventTime: at('10:01:00'), partition: 0, now: at('10:01:00') });
    expect(brief(t.tick(at('10:32:00'))).map((w) => [w.end, w.eventCount])).toEqual([
      ['10:05', 1],
      ['10:10', 1],
      ['10:15', 1],
      ['10:20', 0],
    ]);
  });

  it('does not close windows on wall-clock time while a backfill of old events is flowing', () => {
    const t = tracker({ idleTimeout: '10m' });
    const closed: ClosedWindow<ProbePane>[] = [];
    for (let i = 0; i < 20; i += 1) {
      const eventTime = at('10:00:00', '2024-01-15') + i * 60_000;
      closed.push(
        ...t.add({ value: { id: i, x: 1 }, eventTime, partition: 0, now: NOW + i * SECOND }).closed,
      );
    }
    // Watermark 10:19 − 2m = 10:17.
    expect(brief(closed)).toEqual([
      { start: '09:50', end: '10:05', eventCount: 5, lateEvents: 0, closedBy: 'watermark', sum: 5 },
      { start: '09:55', end: '10:10', eventCount: 10, lateEvents: 0, closedBy: 'watermark', sum: 10 },
      { start: '10:00', end: '10:15', eventCount: 15, lateEvents: 0, closedBy: 'watermark', sum: 15 },
    ]);
    expect(t.tick(NOW + 19 * SECOND + 599 * SECOND)).toEqual([]);
    expect(brief(t.tick(NOW + 19 * SECOND + 600 * SECOND))).toEqual([
      { start: '10:05', end: '10:20', eventCount: 15, lateEvents: 0, closedBy: 'idle', sum: 15 },
      { start: '10:10', end: '10:25', eventCount: 10, lateEvents: 0, closedBy: 'idle', sum: 10 },
      { start: '10:15', end: '10:30', eventCount: 5, lateEvents: 0, closedBy: 'idle', sum: 5 },
    ]);
  });
});

describe('WindowTracker on a key spread over two partitions', () => {
  it('holds the watermark at the partition furthest behind', () => {
    const t = tracker({ size: '5m', allowedLateness: 0 });
    let id = 0;
    const add = (time: string, partition: number) =>
      t.add({ value: { id: id++, x: 1 }, eventTime: at(time), partition, now: NOW });

    add('10:02:00', 0);
    expect(add('10:01:00', 1).accepted).toBe(true);
    expect(add('10:12:00', 0).closed).toEqual([]);
    expect(t.watermark).toBe(at('10:02:00'));
    expect(brief(add('10:07:00', 1).closed)).toEqual([
      { start: '10:00', end: '10:05', eventCount: 2, lateEvents: 0, closedBy: 'watermark', sum: 2 },
    ]);
    expect(add('10:03:00', 0).accepted).toBe(false);
  });

  it('stops waiting for a partition idle for idleTimeout', () => {
    const t = tracker({ size: '5m', allowedLateness: 0, idleTimeout: '10m' });
    t.add({ value: { id: 1, x: 1 }, eventTime: at('10:01:00'), partition: 1, now: at('10:01:00') });
    t.add({ value: { id: 2, x: 1 }, eventTime: at('10:02:00'), partition: 0, now: at('10:02:00') });
    const add = (time: string) =>
      t.add({ value: { id: 3, x: 1 }, eventTime: at(time), partition: 0, now: at(time) }).closed;
    // Partition 1 last spoke at 10:01 and holds the watermark there for 10 minutes.
    expect(add('10:10:59')).toEqual([]);
    // Then only partition 0 counts: watermark 10:11; [10:05, 10:10) is empty and skipped.
    expect(brief(add('10:11:00'))).toEqual([
      { start: '10:00', end: '10:05', eventCount: 2, lateEvents: 0, closedBy: 'watermark', sum: 2 },
    ]);
  });
});

describe('WindowTracker with maxClockSkew 1m', () => {
  it('rejects an event stamped further ahead of wall-clock time, leaving the watermark alone', () => {
    const t = tracker({ maxClockSkew: '1m' });
    const now = at('10:10:00');
    t.add({ value: { id: 1, x: 1 }, eventTime: at('10:09:00'), partition: 0, now });
    expect(t.add({ value: { id: 2, x: 1 }, eventTime: at('10:11:01'), partition: 0, now })).toEqual({
      accepted: false,
      rejectedAs: 'future',
      closed: [],
    });
    expect(t.add({ value: { id: 3, x: 1 }, eventTime: at('10:11:00'), partition: 0, now }).accepted).toBe(
      true,
    );
    expect(t.futureEvents).toBe(1);
    expect(t.lateEvents).toBe(0);
    expect(t.watermark).toBe(at('10:09:00'));
  });

  it('counts duplicates in the windows of their pane not closed yet, and nowhere else', () => {
    const t = tracker();
    const add = (time: string, x: number) =>
      t.add({ value: { id: x, x }, eventTime: at(time), partition: 0, now: NOW });
    add('10:01:00', 1);
    add('10:06:00', 2);
    t.countDuplicate(at('10:01:30'));
    t.countDuplicate(at('10:06:10'));
    // no live pane at 10:20: counted for the key only, no pane added
    t.countDuplicate(at('10:20:00'));
    expect(t.livePanes).toBe(2);
    const counts = (windows: ClosedWindow<ProbePane>[]) =>
      windows.map((w) => [new Date(w.end).toISOString().slice(11, 16), w.eventCount, w.duplicateEvents]);
    expect(counts(add('10:12:00', 3).closed)).toEqual([
      ['10:05', 1, 1],
      ['10:10', 2, 2],
    ]);
    // the pane [10:00, 10:05) is late now, but the window [10:00, 10:15) is still open
    t.countDuplicate(at('10:02:00'));
    expect(counts(add('10:40:00', 4).closed)[0]).toEqual(['10:15', 3, 3]);
    expect(t.duplicateEvents).toBe(4);
    expect(WindowTracker.restore(t.snapshot(), t.spec, probePanes).snapshot()).toEqual(t.snapshot());
  });

  it('restores snapshots written before duplicates were counted with counts of 0', () => {
    const t = tracker();
    t.add({ value: { id: 1, x: 1 }, eventTime: at('10:01:00'), partition: 0, now: NOW });
    const { duplicateEvents: _total, ...older } = t.snapshot();
    const panes = older.panes.map(({ duplicateEvents: _pane, ...pane }) => pane);
    const restored = WindowTracker.restore({ ...older, panes }, t.spec, probePanes);
    expect(restored.duplicateEvents).toBe(0);
    expect(restored.snapshot().panes[0].duplicateEvents).toBe(0);
  });

  it('restores snapshots written before futureEvents existed with a count of 0', () => {
    const { futureEvents: _dropped, ...older } = tracker().snapshot();
    expect(
      WindowTracker.restore(older, parseWindowSpec({ size: '15m', step: '5m' }), probePanes).futureEvents,
    ).toBe(0);
  });
});

describe('WindowTracker.restore', () => {
  const spec = parseWindowSpec({ size: '15m', step: '5m' });

  it('refuses a snapshot taken with another step or size', () => {
    const snapshot = tracker().snapshot();
    expect(() =>
      WindowTracker.restore(snapshot, parseWindowSpec({ size: '15m', step: '1m' }), probePanes),
    ).toThrow(/size 900000 ms and step 300000 ms, but the window is now size 900000 ms and step 60000 ms/);
  });

  it.each([
    [null, /not an object/],
    [{ version: 2 }, /version 2, expected 1/],
    [{ ...tracker().snapshot(), watermark: 'soon' }, /watermark is neither null nor a number/],
    [{ ...tracker().snapshot(), panes: [{ start: 0 }] }, /pane entry starting 0 is malformed/],
  ])('refuses a malformed snapshot %#', (snapshot, message) => {
    expect(() => WindowTracker.restore(snapshot, spec, probePanes)).toThrow(WindowSnapshotError);
    expect(() => WindowTracker.restore(snapshot, spec, probePanes)).toThrow(message);
  });
});

describe('WindowTracker input checks', () => {
  it.each([
    [{ eventTime: Number.NaN, partition: 0, now: NOW }, /eventTime must be a finite epoch-ms number/],
    [{ eventTime: 0, partition: 0, now: Number.POSITIVE_INFINITY }, /now must be a finite/],
    [{ eventTime: 0, partition: -1, now: NOW }, /partition must be a non-negative integer/],
  ])('rejects %j', (fields, message) => {
    expect(() => tracker().add({ value: { id: 1, x: 1 }, ...fields })).toThrow(message);
  });
});
