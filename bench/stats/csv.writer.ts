import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { DriftDataset } from './drift-dataset.generator';

const ROWS_PER_WRITE = 2000;

/** Writes `rows` rows of the dataset as CSV (header first, missing as an empty cell), respecting backpressure. */
export async function writeDatasetCsv(path: string, dataset: DriftDataset, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${dataset.columns.join(',')}\n`);
  let lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    lines.push(
      dataset
        .nextCells()
        .map((v) => (v === null ? '' : String(v)))
        .join(','),
    );
    if (lines.length === ROWS_PER_WRITE || i === rows - 1) {
      await write(`${lines.join('\n')}\n`);
      lines = [];
    }
  }
  out.end();
  await once(out, 'finish');
}
