import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { kindOf, validateEvent, type DriftlineEvent, type EventKind } from '@driftline/client';
import { CliError, messageOf } from './cli.error';

export interface ReplayLine {
  line: number;
  kind: EventKind;
  event: DriftlineEvent;
}

export interface ReplayFileSummary {
  events: number;
  predictions: number;
  groundTruth: number;
}

/** The file's events in order, each checked against its v1 schema; blank lines are skipped. */
export async function* replayLines(file: string): AsyncGenerator<ReplayLine> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(
      `cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : (error.code ?? messageOf(error))}`,
    );
  });
  if (info.isDirectory()) throw new CliError(`cannot read ${file}: it is a directory`);
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new CliError(`${file} line ${line}: not JSON (${messageOf(error)})`);
    }
    const kind = kindOf(value);
    const checked = validateEvent(kind, value);
    if (!checked.ok) {
      const what = kind === 'prediction' ? 'prediction' : 'ground-truth';
      throw new CliError(`${file} line ${line}: invalid ${what} event: ${checked.errors.join('; ')}`);
    }
    yield { line, kind, event: checked.value };
  }
}

/**
 * Reads the whole file once before anything is sent: the first invalid line is bad input (exit 2)
 * with nothing sent, so a replay is never left half done by a typo at line 90,000.
 */
export async function checkReplayFile(file: string): Promise<ReplayFileSummary> {
  const summary: ReplayFileSummary = { events: 0, predictions: 0, groundTruth: 0 };
  for await (const { kind } of replayLines(file)) {
    summary.events++;
    if (kind === 'prediction') summary.predictions++;
    else summary.groundTruth++;
  }
  if (summary.events === 0) throw new CliError(`${file} holds no events`);
  return summary;
}
