export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A summary two parts of a stream can be combined into. `merge` either returns the summary of
 * both parts or updates `this` in place and returns nothing; either way it never changes
 * `other`. It must be associative; windows merge panes in ascending time order, so it need
 * not be commutative.
 */
export interface Mergeable<T> {
  merge(other: T): T | void;
}

/**
 * What a pane holds: fed one event at a time, merged across panes, stored as JSON. The
 * accumulators of @driftline/stats (update, merge, toJSON, static fromJSON) fit as they are.
 */
export interface PaneSummary<E, S> extends Mergeable<S> {
  /** Adds one event: returns the new summary, or nothing when it updated `this`. */
  update(event: E): S | void;
  /** Plain JSON data (no Map, Date, NaN or Infinity), read back by SummaryFactory.fromJSON. */
  toJSON(): unknown;
}

/** The event type a pane summary's `update` takes. */
export type EventOf<S> = S extends { update(event: infer E): unknown } ? E : never;

/** Makes the summaries a WindowTracker keeps: empty ones for new panes, and from a snapshot. */
export interface SummaryFactory<S> {
  empty(): S;
  /** Inverse of the summary's `toJSON()`: `fromJSON(s.toJSON())` behaves exactly as `s`. */
  fromJSON(json: unknown): S;
}

/** The summary of `parts` in order, built on a fresh empty summary so no part is changed. */
export function mergeAll<S extends Mergeable<S>>(
  factory: Pick<SummaryFactory<S>, 'empty'>,
  parts: Iterable<S>,
): S {
  let merged = factory.empty();
  for (const part of parts) merged = (merged.merge(part) as S | undefined) ?? merged;
  return merged;
}
