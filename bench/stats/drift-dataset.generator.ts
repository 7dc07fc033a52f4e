import { Random, type RawValue } from '@driftline/stats';

/** Shape of the seeded benchmark data: numeric and categorical columns, the first few of each drifted. */
export interface DriftDatasetSpec {
  numericColumns: number;
  categoricalColumns: number;
  driftedNumeric: number;
  driftedCategorical: number;
}

export const BENCH_SPEC: DriftDatasetSpec = {
  numericColumns: 70,
  categoricalColumns: 30,
  driftedNumeric: 10,
  driftedCategorical: 5,
};

type Draw = (rng: Random) => number | string | null;

const MISSING_SHARE = 0.02;

function numericDraw(i: number, drifted: boolean): Draw {
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  switch (i % 5) {
    case 0:
      return (r) => round(r.normal(i + (drifted ? 0.3 : 0), 1));
    case 1:
      return (r) => round(10 * r.lognormal(0, 0.5) * (drifted ? 1.3 : 1));
    case 2:
      return (r) => round(r.between(0, 100) + (drifted ? 10 : 0));
    case 3:
      return (r) => r.int(50) + (drifted ? 5 : 0);
    default:
      return (r) => (r.bernoulli(MISSING_SHARE) ? null : round(r.normal(50, 10) + (drifted ? 3 : 0)));
  }
}

/** Categories with Zipf-like weights 1/(k+1); a drifted column draws them with the weights reversed. */
function categoricalDraw(j: number, drifted: boolean): Draw {
  const labels = Array.from({ length: 3 + (j % 8) }, (_, k) => `c${j}_${String.fromCharCode(97 + k)}`);
  const weights = labels.map((_, k) => 1 / (k + 1));
  if (drifted) weights.reverse();
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  const cumulative = weights.map((w) => (sum += w / total));
  return (r) => {
    const u = r.uniform();
    const k = cumulative.findIndex((c) => u < c);
    return labels[k < 0 ? labels.length - 1 : k];
  };
}

/** A seeded table: column names and a row generator. The current sample uses `drifted: true`. */
export class DriftDataset {
  readonly columns: string[];
  private readonly draws: Draw[];
  private readonly rng: Random;

  constructor(spec: DriftDatasetSpec, seed: number, drifted: boolean) {
    const numeric = Array.from(
      { length: spec.numericColumns },
      (_, i) => `num_${String(i).padStart(2, '0')}`,
    );
    const categorical = Array.from(
      { length: spec.categoricalColumns },
      (_, j) => `cat_${String(j).padStart(2, '0')}`,
    );
    this.columns = [...numeric, ...categorical];
    this.draws = [
      ...numeric.map((_, i) => numericDraw(i, drifted && i < spec.driftedNumeric)),
      ...categorical.map((_, j) => categoricalDraw(j, drifted && j < spec.driftedCategorical)),
    ];
    this.rng = new Random(seed);
  }

  /** The next row's cells, in column order (null = missing). */
  nextCells(): (number | string | null)[] {
    return this.draws.map((draw) => draw(this.rng));
  }

  /** The next row as a record, as the streaming profile builder takes it. */
  nextRow(): Record<string, RawValue> {
    const cells = this.nextCells();
    const row: Record<string, RawValue> = {};
    this.columns.forEach((c, i) => (row[c] = cells[i]));
    return row;
  }
}
