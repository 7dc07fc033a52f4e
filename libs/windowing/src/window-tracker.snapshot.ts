import type { JsonValue } from './mergeable.types';

export const WINDOW_TRACKER_SNAPSHOT_VERSION = 1;

export interface PartitionSnapshot {
  partition: number;
  /** Newest event time this key has had on the partition, epoch ms. */
  maxEventTime: number;
  /** Wall-clock time of the partition's latest event for this key, epoch ms. */
  lastSeenAt: number;
}

export interface PaneSnapshot {
  start: number;
  eventCount: number;
  lateEvents: number;
  /** Absent in older snapshots. */
  duplicateEvents?: number;
  summary: JsonValue;
}

/** Everything but the panes: small, rewritten on every change. */
export interface WindowTrackerState {
  version: typeof WINDOW_TRACKER_SNAPSHOT_VERSION;
  key: string;
  size: number;
  step: number;
  watermark: number | null;
  lastEmittedEnd: number | null;
  lateEvents: number;
  /** Events rejected for being more than maxClockSkew ahead of wall-clock time; absent in older snapshots. */
  futureEvents?: number;
  /** Events counted with countDuplicate; absent in older snapshots. */
  duplicateEvents?: number;
  partitions: PartitionSnapshot[];
}

/** A WindowTracker as plain JSON: WindowTracker.restore(snapshot) continues exactly where it was. */
export interface WindowTrackerSnapshot extends WindowTrackerState {
  panes: PaneSnapshot[];
}

/** What changed since the previous drain: store `state`, upsert `upserted`, delete `evicted` by start. */
export interface WindowTrackerChanges {
  state: WindowTrackerState;
  upserted: PaneSnapshot[];
  evicted: number[];
}

export class WindowSnapshotError extends Error {
  override readonly name = 'WindowSnapshotError';
}

export function assertWindowTrackerSnapshot(value: unknown): asserts value is WindowTrackerSnapshot {
  const fail = (what: string): never => {
    throw new WindowSnapshotError(`Invalid window tracker snapshot: ${what}.`);
  };
  if (!isRecord(value)) return fail('not an object');
  if (value.version !== WINDOW_TRACKER_SNAPSHOT_VERSION) {
    fail(`version ${String(value.version)}, expected ${WINDOW_TRACKER_SNAPSHOT_VERSION}`);
  }
  if (typeof value.key !== 'string') fail('key is not a string');
  for (const field of ['size', 'step', 'lateEvents'] as const) {
    if (!isFiniteNumber(value[field])) fail(`${field} is not a number`);
  }
  for (const field of ['futureEvents', 'duplicateEvents'] as const) {
    if (value[field] !== undefined && !isFiniteNumber(value[field])) fail(`${field} is not a number`);
  }
  for (const field of ['watermark', 'lastEmittedEnd'] as const) {
    if (value[field] !== null && !isFiniteNumber(value[field])) fail(`${field} is neither null nor a number`);
  }
  if (!Array.isArray(value.partitions)) return fail('partitions is not an array');
  for (const p of value.partitions) {
    if (
      !isRecord(p) ||
      !isFiniteNumber(p.partition) ||
      !isFiniteNumber(p.maxEventTime) ||
      !isFiniteNumber(p.lastSeenAt)
    ) {
      fail(`partition entry ${JSON.stringify(p)} is malformed`);
    }
  }
  if (!Array.isArray(value.panes)) return fail('panes is not an array');
  for (const pane of value.panes) {
    if (
      !isRecord(pane) ||
      !isFiniteNumber(pane.start) ||
      !isFiniteNumber(pane.eventCount) ||
      !isFiniteNumber(pane.lateEvents) ||
      (pane.duplicateEvents !== undefined && !isFiniteNumber(pane.duplicateEvents)) ||
      !('summary' in pane)
    ) {
      fail(`pane entry starting ${isRecord(pane) ? String(pane.start) : '?'} is malformed`);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
