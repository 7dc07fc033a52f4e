import { Writable } from 'node:stream';
import type { CliIo } from './cli.io';
import { ReplayProgress } from './replay.progress';

/** A terminal's standard error, as far as cli-progress asks. */
function terminal(): { io: CliIo; text: () => string } {
  let text = '';
  const stderr = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    }),
    { isTTY: true, columns: 200 },
  );
  return { io: { stdout: { write: () => true }, stderr }, text: () => text };
}

describe('ReplayProgress', () => {
  it('draws events queued of the total, sent, failed and the rate on a terminal', () => {
    const { io, text } = terminal();
    const progress = new ReplayProgress(io, 10);
    progress.update({ queued: 5, sent: 4, failed: 1 }, 2000);
    progress.stop();
    expect(text()).toContain('50% 5/10 events | 4 sent, 1 failed | 2 events/s');
  });

  it('writes nothing off a terminal', () => {
    let text = '';
    const progress = new ReplayProgress(
      { stdout: { write: () => true }, stderr: { write: (t: string) => (text += t) } },
      10,
    );
    progress.update({ queued: 5, sent: 4, failed: 1 }, 2000);
    progress.stop();
    expect(text).toBe('');
  });
});
