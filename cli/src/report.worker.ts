/**
 * The second thread of `driftline report`: reads the later rows of a large CSV file from an offset,
 * and computes the drift of numeric columns, for the main thread to do the other half meanwhile.
 */
import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { numberColumnDrift, StatsInputError } from '@driftline/stats';
import { ColumnBuffer } from './column.buffer';
import { ByteRecordParser, CsvByteReaderDeclined, parseFileRange } from './csv.byte-reader';
import type { DriftTask, ParseTask, WorkerReply, WorkerTask } from './report.worker-protocol';

async function parseRange(task: ParseTask): Promise<WorkerReply> {
  const sinks = task.modes.map((mode) => (mode === null ? undefined : new ColumnBuffer(mode)));
  const parser = ByteRecordParser.afterHeader(sinks);
  const file = await open(task.path, 'r');
  try {
    await parseFileRange(file, parser, { from: task.from, to: task.to, last: true }, task.readBytes);
  } catch (error) {
    if (error instanceof CsvByteReaderDeclined) return { id: task.id, kind: 'declined' };
    throw error;
  } finally {
    await file.close();
  }
  const snapshots = sinks.map((s) => s?.snapshot() ?? null);
  return { id: task.id, kind: 'parsed', rows: parser.rows, lineBreak: parser.lineBreak, snapshots };
}

function drift(task: DriftTask): WorkerReply {
  const results = task.columns.map((c) => {
    try {
      return { drift: numberColumnDrift(c.name, c.reference, c.current, c.options) };
    } catch (error) {
      if (error instanceof StatsInputError) return { statsInputError: error.message };
      throw error;
    }
  });
  return { id: task.id, kind: 'drift', results };
}

const port = parentPort;
if (port !== null) {
  port.on('message', (task: WorkerTask) => {
    const run = async () => (task.kind === 'parse' ? parseRange(task) : drift(task));
    run().then(
      (reply) => port.postMessage(reply, transferables(reply)),
      (error: unknown) => port.postMessage({ id: task.id, kind: 'failed', message: String(error) }),
    );
  });
}

function transferables(reply: WorkerReply): ArrayBuffer[] {
  if (reply.kind !== 'parsed') return [];
  return reply.snapshots.flatMap((s) =>
    s === null ? [] : [(s.kind === 'numbers' ? s.numbers : s.codes).buffer as ArrayBuffer],
  );
}
