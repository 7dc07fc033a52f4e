import { Random } from '../random';
import type { DriftDetector } from './detector.types';

/** Indices at which the detector signals drift over the stream. */
export function detectionIndices(detector: DriftDetector, stream: readonly number[]): number[] {
  const found: number[] = [];
  stream.forEach((x, i) => {
    if (detector.update(x)) found.push(i);
  });
  return found;
}

/** `before` draws of one generator followed by `after` draws of another, from one seeded stream. */
export function abruptStream(
  seed: number,
  before: [number, (rng: Random) => number],
  after: [number, (rng: Random) => number],
): number[] {
  const rng = new Random(seed);
  return [...rng.sample(before[0], before[1]), ...rng.sample(after[0], after[1])];
}

/** A stream of digits such as River's test streams in __fixtures__/river-streams.json. */
export function digits(stream: string): number[] {
  return Array.from(stream, Number);
}
