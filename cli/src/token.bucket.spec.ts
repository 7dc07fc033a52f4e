import { TokenBucket } from './token.bucket';

describe('TokenBucket', () => {
  it('gives rate tokens a second, one at the start, and saves up at most capacity', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBeCloseTo(100, 9);
    now = 50;
    expect(bucket.take()).toBeCloseTo(50, 9);
    now = 100;
    expect(bucket.take()).toBe(0);
    now = 10_000;
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    expect(bucket.take()).toBeCloseTo(100, 9);
  });

  it('acquire waits as long as take says', async () => {
    let now = 0;
    const bucket = new TokenBucket(4, 1, () => now);
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      now += ms;
    };
    for (let i = 0; i < 3; i++) await bucket.acquire(sleep);
    expect(waits).toEqual([250, 250]);
  });
});
