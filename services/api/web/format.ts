import { fmt } from '../../../cli/src/chart.model';

export { fmt };

/** A value of a figure: 4 significant digits, or a dash when there is none. */
export function num(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : fmt(x);
}

export function percent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  const p = share * 100;
  return `${p >= 10 || Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)}%`;
}

/** An instant in UTC, to the second: `2026-06-01 02:00:00`. */
export function time(iso: string | null): string {
  return iso === null ? '–' : iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}

/** A window as `start → end` (the end's date left out when it is the start's). */
export function windowText(start: string, end: string): string {
  const [a, b] = [time(start), time(end)];
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} → ${b.slice(11)}` : `${a} → ${b}`;
}

/** When a column drifts, as its method decides: `p < 0.05` for tests, `statistic ≥ 0.1` for distances. */
export function driftRule(c: { pValue: number | null; threshold: number }): string {
  return c.pValue !== null ? `p < ${fmt(c.threshold)}` : `statistic ≥ ${fmt(c.threshold)}`;
}

/** The dashboard's path of a window. */
export function windowPath(modelId: string, start: string, end: string): string {
  const query = new URLSearchParams({ start, end });
  return `/models/${encodeURIComponent(modelId)}/window?${query.toString()}`;
}
