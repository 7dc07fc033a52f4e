import { SendCoalescer, type TopicMessages } from './send.coalescer';

const message = (key: string, bytes = 10) => ({ key, value: Buffer.alloc(bytes) });

/** A send that stays pending until the test settles it. */
function controlledSend() {
  const sends: { batch: TopicMessages[]; resolve(): void; reject(error: Error): void }[] = [];
  const send = jest.fn(
    (batch: TopicMessages[]) =>
      new Promise<void>((resolve, reject) => {
        sends.push({ batch, resolve, reject });
      }),
  );
  return { send, sends };
}

const keysOf = (batch: TopicMessages[]) => batch.map((t) => [t.topic, t.messages.map((m) => m.key)]);
const flush = () => new Promise((done) => setImmediate(done));

describe('SendCoalescer', () => {
  it('sends a lone submission at once, and what arrives meanwhile together in the next send', async () => {
    const { send, sends } = controlledSend();
    const coalescer = new SendCoalescer(send, 1_000);
    const first = coalescer.submit('p', [message('a')]);
    expect(send).toHaveBeenCalledTimes(1);
    const second = coalescer.submit('p', [message('b'), message('c')]);
    const third = coalescer.submit('g', [message('d')]);
    const fourth = coalescer.submit('p', [message('e')]);
    expect(send).toHaveBeenCalledTimes(1);

    sends[0].resolve();
    await first;
    await flush();
    expect(send).toHaveBeenCalledTimes(2);
    expect(keysOf(sends[1].batch)).toEqual([
      ['p', ['b', 'c', 'e']],
      ['g', ['d']],
    ]);
    let settled = 0;
    for (const p of [second, third, fourth]) void p.then(() => settled++);
    await flush();
    expect(settled).toBe(0);
    sends[1].resolve();
    await Promise.all([second, third, fourth]);
  });

  it('rejects every submission of a failed send with its error, and goes on with the next', async () => {
    const { send, sends } = controlledSend();
    const coalescer = new SendCoalescer(send, 1_000);
    const first = coalescer.submit('p', [message('a')]);
    const second = coalescer.submit('p', [message('b')]);
    const third = coalescer.submit('p', [message('c')]);
    sends[0].resolve();
    await first;
    await flush();
    sends[1].reject(new Error('broker down'));
    await expect(second).rejects.toThrow('broker down');
    await expect(third).rejects.toThrow('broker down');
    const fourth = coalescer.submit('p', [message('d')]);
    expect(send).toHaveBeenCalledTimes(3);
    sends[2].resolve();
    await fourth;
  });

  it('caps a send at maxBytes of values, in order, and sends a larger submission alone', async () => {
    const { send, sends } = controlledSend();
    const coalescer = new SendCoalescer(send, 100);
    const pending = [
      coalescer.submit('p', [message('first', 10)]),
      coalescer.submit('p', [message('a', 60)]),
      coalescer.submit('p', [message('b', 40)]),
      coalescer.submit('p', [message('c', 1)]),
      coalescer.submit('p', [message('huge', 500)]),
      coalescer.submit('p', [message('d', 1)]),
    ];
    for (let i = 0; i < 5; i++) {
      sends[i].resolve();
      await flush();
    }
    await Promise.all(pending);
    expect(sends.map((s) => keysOf(s.batch)[0][1])).toEqual([['first'], ['a', 'b'], ['c'], ['huge'], ['d']]);
  });
});
