import { Histogram, Registry } from 'prom-client';
import { quantileBetween, readHistogram, windowDelays, CLOSE_DELAY, EVALUATION_DELAY } from './window-delays';

function monitorMetrics() {
  const registry = new Registry();
  const histogram = (name: string) =>
    new Histogram({ name, help: name, buckets: [0.5, 1, 2, 5], registers: [registry] });
  return { registry, close: histogram(CLOSE_DELAY), evaluation: histogram(EVALUATION_DELAY) };
}

describe('window delays from /metrics', () => {
  it('reads the buckets of a histogram and interpolates a quantile within them', async () => {
    const { registry, close } = monitorMetrics();
    for (const v of [0.2, 0.7, 0.8, 1.5]) close.observe(v);
    const buckets = readHistogram(await registry.metrics(), CLOSE_DELAY);
    expect(buckets).toEqual({ bounds: [0.5, 1, 2, 5, Infinity], cumulative: [1, 3, 4, 4, 4] });
    // rank 2 of 4 lies halfway through the (0.5, 1] bucket, which holds ranks 2 and 3
    expect(quantileBetween(null, buckets!, 0.5)).toBeCloseTo(0.75, 12);
    expect(quantileBetween(null, buckets!, 1)).toBe(2);
  });

  it('counts only what was observed between the two scrapes', async () => {
    const { registry, close, evaluation } = monitorMetrics();
    close.observe(4);
    evaluation.observe(4);
    const before = await registry.metrics();
    for (let i = 0; i < 99; i++) close.observe(0.25);
    close.observe(9);
    for (let i = 0; i < 100; i++) evaluation.observe(1.5);
    const delays = windowDelays(before, await registry.metrics());
    expect(delays?.count).toBe(100);
    expect(delays?.closeP50Ms).toBeCloseTo(((0.5 * 50) / 99) * 1000, 6);
    // the one slow window (in +Inf) is above the 99th percentile
    expect(delays?.closeP99Ms).toBeCloseTo(((0.5 * 99) / 99) * 1000, 6);
    expect(delays?.evaluationP50Ms).toBeCloseTo(1500, 6);
  });

  it('is null when the monitor exposes no such histograms', () => {
    expect(windowDelays('', 'process_cpu_seconds_total 1\n')).toBeNull();
  });
});
