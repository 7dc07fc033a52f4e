export { DurationError, formatDuration, parseDuration } from './duration.parser';
export {
  WindowSpecError,
  parseWindowSpec,
  type WindowSpec,
  type WindowSpecInput,
} from './window-spec.parser';
export {
  maxLivePanes,
  paneEnd,
  paneStart,
  panesPerWindow,
  windowEndsContaining,
  windowStart,
} from './pane.math';
export {
  mergeAll,
  type EventOf,
  type JsonValue,
  type Mergeable,
  type PaneSummary,
  type SummaryFactory,
} from './mergeable.types';
export { WindowTracker, type AddResult, type ClosedWindow, type TrackedEvent } from './window.tracker';
export {
  WindowSnapshotError,
  type PaneSnapshot,
  type PartitionSnapshot,
  type WindowTrackerChanges,
  type WindowTrackerSnapshot,
  type WindowTrackerState,
} from './window-tracker.snapshot';
