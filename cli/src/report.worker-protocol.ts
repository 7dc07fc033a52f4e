import type { ColumnDrift, ColumnDriftOptions } from '@driftline/stats';
import type { ColumnMode, ColumnSnapshot } from './column.buffer';

/** Read bytes [from, to) of a CSV file whose header the main thread read: `modes` by field index. */
export interface ParseTask {
  id: number;
  kind: 'parse';
  path: string;
  from: number;
  to: number;
  readBytes: number;
  modes: (ColumnMode | null)[];
}

/** `numberColumnDrift` of each column (NaN = missing). */
export interface DriftTask {
  id: number;
  kind: 'drift';
  columns: { name: string; reference: Float64Array; current: Float64Array; options: ColumnDriftOptions }[];
}

export type WorkerTask = ParseTask | DriftTask;

export type WorkerReply = { id: number } & (
  | { kind: 'parsed'; rows: number; lineBreak: number; snapshots: (ColumnSnapshot | null)[] }
  | { kind: 'declined' }
  | { kind: 'drift'; results: ({ drift: ColumnDrift } | { statsInputError: string })[] }
  | { kind: 'failed'; message: string }
);
