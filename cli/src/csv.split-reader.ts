import { open, type FileHandle } from 'node:fs/promises';
import { ByteRecordParser, parseFileRange, type ColumnSinks } from './csv.byte-reader';
import type { ReportWorker } from './report.worker-client';
import type { WorkerReply } from './report.worker-protocol';

const LF = 10;
const PROBE_BYTES = 1 << 16;

/** The position just after the first LF at or after `at`, or undefined when there is none. */
async function lineStartFrom(file: FileHandle, at: number, size: number): Promise<number | undefined> {
  const probe = Buffer.allocUnsafe(PROBE_BYTES);
  for (let position = at; position < size; position += PROBE_BYTES) {
    const { bytesRead } = await file.read(probe, 0, PROBE_BYTES, position);
    const lf = probe.subarray(0, bytesRead).indexOf(LF);
    if (lf >= 0) return position + lf + 1;
  }
  return undefined;
}

/** Whether the worker's rows join the main thread's as one file's would. */
function joins(reply: WorkerReply | undefined, lineBreak: number, sinks: ColumnSinks | undefined) {
  if (reply?.kind !== 'parsed' || sinks === undefined) return false;
  if (reply.lineBreak !== 0 && reply.lineBreak !== lineBreak) return false;
  return sinks.every((s, i) => {
    const next = reply.snapshots[i];
    return s === undefined || (next !== null && s.canAppend(next));
  });
}

/**
 * `readCsvBytes` on two threads: the worker parses the rows from the first line start after the
 * middle of the file while this thread parses those before it. The halves are joined only when
 * this thread ended its half on a record boundary (else it has declined: a quoted line break
 * across the middle), both saw the same line breaks, and every column joins exactly
 * (`ColumnBuffer.canAppend`); otherwise this thread parses the second half too.
 */
export async function readCsvBytesInTwo(
  path: string,
  readBytes: number,
  worker: ReportWorker,
  onHeader: (header: string[]) => ColumnSinks,
): Promise<{ rows: number; sawHeader: boolean }> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const split = (await lineStartFrom(file, Math.floor(size / 2), size)) ?? size;
    let sinks: ColumnSinks | undefined;
    let answer: Promise<WorkerReply> | undefined;
    const parser = new ByteRecordParser((header) => {
      sinks = onHeader(header);
      const modes = sinks.map((s) => s?.mode ?? null);
      if (split < size) answer = worker.parse({ path, from: split, to: size, readBytes, modes });
      return sinks;
    });
    await parseFileRange(file, parser, { from: 0, to: split, last: split === size }, readBytes);
    const reply = await answer;
    if (reply?.kind === 'parsed' && joins(reply, parser.lineBreak, sinks)) {
      sinks?.forEach((s, i) =>
        s?.append(reply.snapshots[i] as NonNullable<(typeof reply.snapshots)[number]>),
      );
      return { rows: parser.rows + reply.rows, sawHeader: true };
    }
    if (split < size) await parseFileRange(file, parser, { from: split, to: size, last: true }, readBytes);
    return { rows: parser.rows, sawHeader: parser.sawHeader };
  } finally {
    await file.close();
  }
}
