import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { ModelSpec, PredictionEvent } from '@driftline/contracts';
import { bikeSharingCsv } from '../infra/repo-files';

/** A row of the UCI bike-sharing hourly CSV, its cells as text. */
export type BikeCsvRecord = Record<string, string>;

/** The model the walkthrough registers: data drift of the weather and the hour, no labels. */
export const WALKTHROUGH_SPEC: ModelSpec = {
  modelId: 'bike-walkthrough',
  features: {
    hr: 'numeric',
    workingday: 'categorical',
    weathersit: 'categorical',
    temp: 'numeric',
    hum: 'numeric',
    windspeed: 'numeric',
  },
  window: { size: '1h', step: '1h', allowedLateness: '1m' },
};

const FEATURES = ['hr', 'workingday', 'weathersit', 'temp', 'hum', 'windspeed'] as const;
// The spec's window size and allowedLateness.
const WINDOW_MS = 3_600_000;
const LATENESS_MS = 60_000;

/** The rows of a bike-sharing CSV: the repository's copy unless `path` names another. */
export function readBikeCsv(path: string = bikeSharingCsv()): BikeCsvRecord[] {
  return parse(readFileSync(path), { columns: true, skip_empty_lines: true }) as BikeCsvRecord[];
}

/** Rows of one month, e.g. `2011-01`, in file order. */
export function monthRows(records: readonly BikeCsvRecord[], month: string): BikeCsvRecord[] {
  return records.filter((r) => r.dteday.startsWith(`${month}-`));
}

/** The reference CSV: the features, and the rental count as the prediction the model would make. */
export function referenceCsv(rows: readonly BikeCsvRecord[]): string {
  const lines = rows.map((r) => [...FEATURES.map((f) => r[f]), r.cnt].join(','));
  return [[...FEATURES, 'prediction'].join(','), ...lines].join('\n') + '\n';
}

function predictionEvent(modelId: string, row: BikeCsvRecord, at: number, suffix = ''): PredictionEvent {
  const id = `${modelId}-${row.instant}${suffix}`;
  return {
    eventId: `p-${id}`,
    modelId,
    modelVersion: '1',
    predictionId: id,
    timestamp: new Date(at).toISOString(),
    features: Object.fromEntries(FEATURES.map((f) => [f, Number(r(row, f))])),
    prediction: Number(row.cnt),
  };
}

function r(row: BikeCsvRecord, column: string): string {
  const value = row[column];
  if (value === undefined) throw new Error(`the bike CSV has no column "${column}"`);
  return value;
}

/**
 * The rows as predictions spread evenly over the hour from `start` (one window of the walkthrough
 * model), then the last row once more just after the window's end plus the allowed lateness, so the
 * watermark passes the end and the monitor evaluates the window.
 */
export function walkthroughEvents(
  modelId: string,
  rows: readonly BikeCsvRecord[],
  start: Date,
): { inWindow: PredictionEvent[]; closing: PredictionEvent; windowEnd: Date } {
  const from = start.getTime();
  const inWindow = rows.map((row, i) =>
    predictionEvent(modelId, row, from + Math.floor((i * WINDOW_MS) / rows.length)),
  );
  const closing = predictionEvent(
    modelId,
    rows[rows.length - 1],
    from + WINDOW_MS + 2 * LATENESS_MS,
    '-closing',
  );
  return { inWindow, closing, windowEnd: new Date(from + WINDOW_MS) };
}
