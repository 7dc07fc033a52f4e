import type { WindowSpec } from './window-spec.parser';

/** Start of the pane holding event time `t`: panes are [k·step, (k+1)·step) on the epoch. */
export function paneStart(t: number, step: number): number {
  return Math.floor(t / step) * step;
}

export function paneEnd(t: number, step: number): number {
  return paneStart(t, step) + step;
}

export function panesPerWindow(spec: Pick<WindowSpec, 'size' | 'step'>): number {
  return spec.size / spec.step;
}

/** The window ending at `end` (a pane end) covers event times [end − size, end). */
export function windowStart(end: number, spec: Pick<WindowSpec, 'size'>): number {
  return end - spec.size;
}

/** Ends of every window that holds event time `t`, ascending: one per pane of a window. */
export function windowEndsContaining(t: number, spec: Pick<WindowSpec, 'size' | 'step'>): number[] {
  const first = paneEnd(t, spec.step);
  return Array.from({ length: panesPerWindow(spec) }, (_, i) => first + i * spec.step);
}

/**
 * Most panes a single-partition WindowTracker holds at once: the size/step − 1 closed panes
 * the next window still needs, and the open panes from the watermark's pane to the newest
 * event's, at most ceil(allowedLateness/step) + 1 of them.
 */
export function maxLivePanes(spec: Pick<WindowSpec, 'size' | 'step' | 'allowedLateness'>): number {
  return panesPerWindow(spec) + Math.ceil(spec.allowedLateness / spec.step);
}
