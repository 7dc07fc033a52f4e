/** The generator's exact position in its stream, as JSON: four int32 words and a pending normal. */
export interface RandomState {
  words: [number, number, number, number];
  spareNormal: number | null;
}

/**
 * Seeded pseudo-random numbers for tests and benchmarks: xoshiro128** 1.1 (Blackman and Vigna,
 * https://prng.di.unimi.it/xoshiro128starstar.c), its 128-bit state filled by SplitMix64 from the
 * seed as the authors recommend. Same seed, same stream, on every platform.
 */
export class Random {
  // the 128-bit state as four int32 numbers: plain fields keep V8 on small integers
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  constructor(seed: number | bigint = 42) {
    let x = BigInt.asUintN(64, BigInt(seed));
    const mask = (1n << 64n) - 1n;
    const words: number[] = [];
    for (let i = 0; i < 2; i++) {
      x = (x + 0x9e3779b97f4a7c15n) & mask;
      let z = x;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
      z = z ^ (z >> 31n);
      words.push(Number(BigInt.asIntN(32, z)), Number(BigInt.asIntN(32, z >> 32n)));
    }
    [this.s0, this.s1, this.s2, this.s3] = words;
  }

  static fromJSON(state: RandomState): Random {
    const { words, spareNormal } = state;
    if (words.length !== 4 || !words.every((w) => Number.isInteger(w) && w >= -(2 ** 31) && w < 2 ** 31)) {
      throw new RangeError('Random.fromJSON: words must be four int32 values');
    }
    if (words.every((w) => w === 0))
      throw new RangeError('Random.fromJSON: the all-zero state is not allowed');
    const rng = new Random(0);
    [rng.s0, rng.s1, rng.s2, rng.s3] = words;
    rng.spareNormal = spareNormal !== null && Number.isFinite(spareNormal) ? spareNormal : null;
    return rng;
  }

  toJSON(): RandomState {
    return { words: [this.s0, this.s1, this.s2, this.s3], spareNormal: this.spareNormal };
  }

  /** Next raw 32-bit output, an integer in [0, 2^32). */
  nextUint32(): number {
    const { s0, s1 } = this;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = rotl(s3, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform on [low, high). */
  between(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32)
      throw new RangeError(`int(n) needs an integer 1..2^32, got ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Normal(mean, sd) by the Box–Muller transform; the second variate of each pair is kept. */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return mean + sd * r * Math.cos(2 * Math.PI * u2);
  }

  /** Log-normal: exp of Normal(mu, sigma), mu and sigma on the log scale. */
  lognormal(mu = 0, sigma = 1): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** n draws of the given generator. */
  sample(n: number, draw: (rng: Random) => number): number[] {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = draw(this);
    return out;
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

/** 32-bit rotate left, as an int32. */
function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
