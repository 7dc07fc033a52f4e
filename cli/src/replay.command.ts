import { createTransport, type DriftlineEvent, type EventKind } from '@driftline/client';
import { RemoteError } from './cli.error';
import { EXIT_OK, type CliIo, type Command } from './cli.io';
import { checkReplayFile, replayLines } from './replay.file';
import { parseReplayOptions, REPLAY_USAGE, type ReplayOptions } from './replay.options';
import { ReplayProgress } from './replay.progress';
import { ReplaySender } from './replay.sender';
import { TokenBucket } from './token.bucket';

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
const REQUEST_TIMEOUT_MS = 10_000;

function where(options: ReplayOptions): string {
  const t = options.transport;
  return t.transport === 'http' ? `over http to ${t.url}` : `over kafka to ${t.brokers.join(',')}`;
}

async function replay(options: ReplayOptions, io: CliIo): Promise<string> {
  const summary = await checkReplayFile(options.file);
  const transport = createTransport(options.transport, REQUEST_TIMEOUT_MS);
  const sender = new ReplaySender(transport);
  const progress = new ReplayProgress(io, summary.events);
  // a tenth of a second's events may go at once after a stall, never more
  const bucket = new TokenBucket(options.rate, Math.max(1, Math.ceil(options.rate / 10)));
  const pending: Record<EventKind, DriftlineEvent[]> = { prediction: [], groundTruth: [] };
  const started = performance.now();
  let queued = 0;
  const show = () =>
    progress.update({ queued, sent: sender.sent, failed: sender.failed }, performance.now() - started);
  try {
    for await (const { kind, event } of replayLines(options.file)) {
      if (sender.refused !== null) break;
      await bucket.acquire(sleep);
      pending[kind].push(event);
      queued++;
      if (pending[kind].length >= options.batch) await sender.add(kind, pending[kind].splice(0));
      show();
    }
    for (const kind of ['prediction', 'groundTruth'] as const) {
      if (pending[kind].length > 0) await sender.add(kind, pending[kind].splice(0));
    }
    await sender.drain();
    show();
  } finally {
    progress.stop();
    await transport.close();
  }
  const seconds = (performance.now() - started) / 1000;
  if (sender.refused !== null) {
    throw new RemoteError(
      `${sender.refused} (replay stopped: ${sender.sent} of ${summary.events} events sent)`,
    );
  }
  const line =
    `replayed ${options.file} ${where(options)}: ${sender.sent} sent, ${sender.failed} failed of ` +
    `${summary.events} events (${summary.predictions} predictions, ${summary.groundTruth} ground truth) ` +
    `in ${seconds.toFixed(1)} s, ${(sender.sent / Math.max(seconds, 0.001)).toFixed(1)} events/s`;
  io.stdout.write(`${line}\n`);
  if (sender.failed > 0) {
    throw new RemoteError(
      `${sender.failed} of ${summary.events} events not sent: ${sender.lastError ?? 'unknown error'}`,
    );
  }
  return line;
}

/** `driftline replay`: a file of v1 events sent at a steady rate over HTTP or Kafka. */
export const replayCommand: Command = {
  name: 'replay',
  summary: 'send a file of prediction and ground-truth events at N a second, over HTTP or Kafka',
  usage: REPLAY_USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const options = parseReplayOptions(argv);
    if (options === 'help') {
      io.stdout.write(`${REPLAY_USAGE}\n`);
      return EXIT_OK;
    }
    await replay(options, io);
    return EXIT_OK;
  },
};
