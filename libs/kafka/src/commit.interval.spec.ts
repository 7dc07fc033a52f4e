import { CommitInterval, CommitLane } from './commit.interval';

const record = (offset: number, bytes = 10) => ({ offset: String(offset), value: Buffer.alloc(bytes) });

describe('CommitInterval', () => {
  it('keeps its first fetch offset for the fence and appends later fetches, leaving refetched records out', () => {
    const interval = new CommitInterval({ fetchedOffset: '4', highWatermark: '10' }, 1_000, 3);
    interval.add([record(4), record(5)], '5', '10');
    interval.add([record(5), record(6), record(9)], '9', '12');
    expect(interval.records.map((r) => r.offset)).toEqual(['4', '5', '6', '9']);
    expect(interval).toMatchObject({
      fetchedOffset: '4',
      lastOffset: '9',
      highWatermark: '12',
      generation: 3,
    });
    expect(interval.bytes).toBe(40);
  });

  it('is due once its time has run or it holds its bound of bytes', () => {
    const interval = new CommitInterval({ fetchedOffset: '0', highWatermark: '1' }, 1_000, 0);
    interval.add([record(0, 600)], '0', '1');
    expect(interval.due(1_249, 250, 1_000)).toBe(false);
    expect(interval.due(1_250, 250, 1_000)).toBe(true);
    interval.add([record(1, 400)], '1', '2');
    expect(interval.due(1_001, 250, 1_000)).toBe(true);
  });
});

describe('CommitLane', () => {
  it('runs tasks one at a time in call order, a failed one not stopping the next', async () => {
    const queue = new CommitLane();
    const order: string[] = [];
    let release = (): void => undefined;
    const first = queue.run(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      order.push('first');
    });
    const failed = queue.run(async () => {
      order.push('second');
      throw new Error('second failed');
    });
    const third = queue.run(async () => order.push('third'));
    await Promise.resolve();
    expect(order).toEqual([]);
    release();
    await first;
    await expect(failed).rejects.toThrow('second failed');
    await third;
    expect(order).toEqual(['first', 'second', 'third']);
  });

  it('is busy while a task is queued or running, and idle() waits for every task queued so far', async () => {
    const lane = new CommitLane();
    expect(lane.busy).toBe(false);
    let release = (): void => undefined;
    const done: string[] = [];
    void lane.run(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      done.push('first');
    });
    void lane.run(() => Promise.reject(new Error('second failed'))).catch(() => done.push('second'));
    const idle = lane.idle().then(() => done.push('idle'));
    expect(lane.busy).toBe(true);
    await Promise.resolve();
    release();
    await idle;
    expect(done).toEqual(['first', 'second', 'idle']);
    expect(lane.busy).toBe(false);
  });
});
