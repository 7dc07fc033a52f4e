import { Random } from './random.generator';

describe('Random', () => {
  // Outputs of the authors' reference C code (xoshiro128starstar.c, state from splitmix64.c),
  // compiled with gcc: the first six outputs and the 1001st.
  it.each([
    [42, [1776835114, 4165204688, 17111135, 2317295270, 2792088233, 2554630222], 327466450],
    [0, [3737715805, 2584255861, 2876756834, 3286328325, 1553311962, 1625202774], 2542587513],
  ])('seed %d reproduces the reference C stream', (seed, first, thousandFirst) => {
    const rng = new Random(seed);
    expect(Array.from({ length: 6 }, () => rng.nextUint32())).toEqual(first);
    for (let i = 0; i < 994; i++) rng.nextUint32();
    expect(rng.nextUint32()).toBe(thousandFirst);
  });

  it('uniform lies in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new Random(7);
    const n = 200_000;
    const xs = rng.sample(n, (r) => r.uniform());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / n;
    // standard error of the mean is sqrt(1/12/n) ~ 6.5e-4: 5 standard errors
    expect(Math.abs(mean - 0.5)).toBeLessThan(3.3e-3);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(1e-3);
  });

  it('normal has the requested mean and sd and the normal tail shares', () => {
    const rng = new Random(11);
    const n = 200_000;
    const xs = rng.sample(n, (r) => r.normal(3, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / n);
    expect(Math.abs(mean - 3)).toBeLessThan(5 * (2 / Math.sqrt(n)));
    expect(Math.abs(sd - 2)).toBeLessThan(0.01);
    // P(|Z| > 1.959964) = 0.05; binomial sd of the share is sqrt(0.05*0.95/n) ~ 4.9e-4
    const tail = xs.filter((x) => Math.abs(x - 3) > 2 * 1.959964).length / n;
    expect(Math.abs(tail - 0.05)).toBeLessThan(2.5e-3);
  });

  it('lognormal has median exp(mu) and mean exp(mu + sigma^2 / 2)', () => {
    const rng = new Random(5);
    const n = 200_000;
    const xs = rng.sample(n, (r) => r.lognormal(1, 0.5)).sort((a, b) => a - b);
    expect(Math.abs(xs[n / 2] - Math.E) / Math.E).toBeLessThan(0.01);
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(mean - Math.exp(1.125)) / Math.exp(1.125)).toBeLessThan(0.01);
  });

  it('int is uniform over 0..n-1 and shuffle keeps the items', () => {
    const rng = new Random(3);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]++;
    // chi-square with 5 degrees of freedom: 20.5 is its 0.999 quantile
    const chi2 = counts.reduce((a, c) => a + (c - 10_000) ** 2 / 10_000, 0);
    expect(chi2).toBeLessThan(20.5);
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(rng.shuffle([...items]).sort((a, b) => a - b)).toEqual(items);
    expect(() => rng.int(0)).toThrow(RangeError);
  });

  it('the same seed gives the same normal stream', () => {
    const a = new Random(99).sample(10, (r) => r.normal());
    const b = new Random(99).sample(10, (r) => r.normal());
    expect(a).toEqual(b);
    expect(new Random(100).sample(10, (r) => r.normal())).not.toEqual(a);
  });

  it('resumes its stream from JSON, pending normal included', () => {
    const a = new Random(21);
    a.sample(5, (r) => r.normal());
    const b = Random.fromJSON(JSON.parse(JSON.stringify(a)));
    expect(b.sample(20, (r) => r.normal())).toEqual(a.sample(20, (r) => r.normal()));
    expect(b.nextUint32()).toBe(a.nextUint32());
    expect(() => Random.fromJSON({ words: [0, 0, 0, 0], spareNormal: null })).toThrow(RangeError);
  });
});
