/**
 * µs of CPU an event of the monitor's PCA pane update: as it was (a record of parsed values, a row
 * and a standardised row per event) against `PcaReconstruction.updateFromFeatures` (no per-event
 * object). 25 features, as `npm run bench`. Run: `npm run bench:stats` builds it, then
 * `node dist/bench/stats/pca-update.bench.js`.
 */
import {
  parseFinite,
  PcaReconstruction,
  Random,
  ReconstructionErrorSum,
  type NumericRow,
  type PcaReconstructionState,
  type RawValue,
} from '@driftline/stats';

const FEATURES = 25;
const EVENTS = 200_000;
const ROUNDS = 7;

/** The pane update before: values record, row, and the error over arrays built per row. */
function updateAsBefore(
  model: PcaReconstruction,
  state: PcaReconstructionState,
  sums: ReconstructionErrorSum,
  features: Record<string, RawValue>,
) {
  const values: Record<string, number | null> = {};
  for (const name of model.features) values[name] = parseFinite(features[name] ?? null);
  const row: NumericRow = model.vectorOf(values);
  const z = row.map((v, j) => (v === null ? 0 : (v - state.means[j]) / state.scales[j]));
  let norm2 = 0;
  for (const v of z) norm2 += v * v;
  let projected2 = 0;
  for (const axis of state.components) {
    let dot = 0;
    for (let j = 0; j < z.length; j++) dot += axis[j] * z[j];
    projected2 += dot * dot;
  }
  sums.update(Math.sqrt(Math.max(0, norm2 - projected2)));
}

function cpuMicrosPerEvent(work: () => void): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / EVENTS;
}

function main(): void {
  const rng = new Random(7);
  const names = Array.from({ length: FEATURES }, (_, j) => `f${j}`);
  const reference = Array.from({ length: 5000 }, () => {
    const common = rng.normal();
    return names.map((_, j) => common * (j % 3) + rng.normal(j, 1));
  });
  const model = PcaReconstruction.fit(names, reference, { chunkSize: 500 });
  const state = model.toJSON();
  const events = Array.from({ length: EVENTS }, () => {
    const features: Record<string, RawValue> = {};
    names.forEach((name, j) => (features[name] = Math.round(rng.normal(j, 1.2) * 1e4) / 1e4));
    return features;
  });
  const before: number[] = [];
  const after: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const a = new ReconstructionErrorSum();
    const b = new ReconstructionErrorSum();
    before.push(cpuMicrosPerEvent(() => events.forEach((e) => updateAsBefore(model, state, a, e))));
    after.push(cpuMicrosPerEvent(() => events.forEach((e) => model.updateFromFeatures(b, e, parseFinite))));
    if (a.sum !== b.sum) throw new Error(`the sums differ: ${a.sum} against ${b.sum}`);
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[(xs.length - 1) >> 1];
  console.log(
    `PCA pane update, ${FEATURES} features, ${model.componentCount} components, median of ${ROUNDS} interleaved rounds ` +
      `of ${EVENTS} events: before ${median(before).toFixed(2)} µs CPU an event, updateFromFeatures ` +
      `${median(after).toFixed(2)} µs (identical sums)`,
  );
}

main();
