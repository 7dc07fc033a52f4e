import streams from './__fixtures__/river-streams.json';
import { Adwin } from './adwin.detector';
import { Ddm } from './ddm.detector';
import { abruptStream, detectionIndices, digits } from './detector.fixtures';
import type { DriftDetector } from './detector.types';
import { Kswin } from './kswin.detector';
import { PageHinkley } from './page-hinkley.detector';

/** Runs the stream, passing the detector through JSON at every `every`-th value. */
function detectionsThroughJson<D extends DriftDetector>(
  make: () => D,
  restore: (state: unknown) => D,
  stream: readonly number[],
  every: number,
): number[] {
  let detector = make();
  const found: number[] = [];
  stream.forEach((x, i) => {
    if (i % every === 0) detector = restore(JSON.parse(JSON.stringify(detector)));
    if (detector.update(x)) found.push(i);
  });
  return found;
}

describe('detector state through JSON', () => {
  const shift = abruptStream(9, [1000, (r) => r.normal(0, 0.2)], [1000, (r) => r.normal(0.5, 0.2)]);
  const kswinStream = abruptStream(9, [500, (r) => r.normal(0, 1)], [500, (r) => r.normal(1.5, 1)]);

  it('PageHinkley resumes where it stopped, also in its first value and right after a drift', () => {
    const stream = digits(streams.dataStream3);
    const restore = (s: unknown) => PageHinkley.fromJSON(s as ReturnType<PageHinkley['toJSON']>);
    expect(detectionsThroughJson(() => new PageHinkley(), restore, stream, 1)).toEqual(
      detectionIndices(new PageHinkley(), stream),
    );
    expect(detectionsThroughJson(() => new PageHinkley(), restore, shift, 7)).toEqual([1109]);
  });

  it('Ddm resumes where it stopped', () => {
    const stream = digits(streams.dataStream2);
    const restore = (s: unknown) => Ddm.fromJSON(s as ReturnType<Ddm['toJSON']>);
    expect(detectionsThroughJson(() => new Ddm(), restore, stream, 1)).toEqual([1049]);
  });

  it('Adwin resumes with its bucket histogram', () => {
    const restore = (s: unknown) => Adwin.fromJSON(s as ReturnType<Adwin['toJSON']>);
    expect(detectionsThroughJson(() => new Adwin(), restore, digits(streams.dataStream1), 13)).toEqual([
      1023,
    ]);
    expect(detectionsThroughJson(() => new Adwin(), restore, shift, 1)).toEqual([1055]);
  });

  it('Kswin resumes with its window and its sampler position', () => {
    const restore = (s: unknown) => Kswin.fromJSON(s as ReturnType<Kswin['toJSON']>);
    expect(detectionsThroughJson(() => new Kswin(), restore, kswinStream, 3)).toEqual([510]);
  });

  it('rejects a damaged state', () => {
    const ph = new PageHinkley().toJSON();
    expect(() => PageHinkley.fromJSON({ ...ph, mean: Number.NaN })).toThrow(RangeError);
    const adwin = new Adwin().toJSON();
    expect(() => Adwin.fromJSON({ ...adwin, rows: [{ totals: [1], variances: [] }] })).toThrow(RangeError);
    const kswin = new Kswin({ windowSize: 10, statSize: 3 }).toJSON();
    expect(() => Kswin.fromJSON({ ...kswin, values: new Array<number>(11).fill(0) })).toThrow(RangeError);
  });
});
