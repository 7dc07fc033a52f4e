import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { ReconstructionErrorSum } from './reconstruction-error.accumulator';
import type { RawValue } from '../types';
import { ReconstructionBand, standardDeviationBand } from './standard-deviation.band';

/** A numeric row in the model's feature order; null is missing (imputed with the reference mean). */
export type NumericRow = readonly (number | null)[];

export interface PcaReconstructionOptions {
  /** Share of the variance the kept components must exceed (default 0.65, NannyML). */
  varianceToKeep?: number;
  /** Rows per reference chunk for the alerting band (default: a tenth of the reference, NannyML's 10 chunks). */
  chunkSize?: number;
  /** Band half-width in standard deviations of the chunk errors (default 3). */
  sdMultiplier?: number;
}

/** A fitted model, as JSON (stored with the reference profile). */
export interface PcaReconstructionState {
  features: string[];
  means: number[];
  scales: number[];
  /** Kept principal axes, one unit vector of length features.length each, by falling variance. */
  components: number[][];
  /** Share of variance of every axis, kept or not, by falling variance. */
  explainedVarianceRatio: number[];
  chunkSize: number;
  referenceChunkErrors: number[];
  /** mean ± sdMultiplier · sd (ddof 0) of the reference chunks' mean errors, lower clipped at 0 (NannyML). */
  band: ReconstructionBand;
}

export interface ReconstructionResult {
  /** Mean reconstruction error of the window (null with no rows). */
  value: number | null;
  count: number;
  lower: number;
  upper: number;
  alert: boolean;
}

/**
 * Multivariate drift by PCA reconstruction error, as NannyML's DataReconstructionDriftCalculator:
 * features standardised with the reference mean and sd (ddof 0, sklearn `StandardScaler`; an sd of
 * 0 scales by 1), PCA on the standardised reference keeping the fewest axes whose cumulative
 * variance share exceeds 0.65 (sklearn `PCA(n_components=0.65)`), and for a row z its error
 * ||z − V Vᵀ z||, the Euclidean distance to its reconstruction. A window's value is the mean error
 * of its rows; it alerts outside mean ± 3 sd of the reference chunks' values. A change of the
 * correlation structure raises the error even when every marginal stays the same.
 */
export class PcaReconstruction {
  /** The standardised row of the error being computed, reused (a model serves one thread). */
  private readonly z: Float64Array;
  /** The kept axes one after the other (axis k at k·d), read by the error of every row. */
  private readonly axes: Float64Array;

  private constructor(private readonly state: PcaReconstructionState) {
    this.z = new Float64Array(state.features.length);
    this.axes = Float64Array.from(state.components.flat());
  }

  static fit(
    features: readonly string[],
    rows: readonly NumericRow[],
    options: PcaReconstructionOptions = {},
  ): PcaReconstruction {
    const d = features.length;
    const n = rows.length;
    if (d < 2) throw new RangeError('PcaReconstruction needs at least two numeric features');
    const varianceToKeep = options.varianceToKeep ?? 0.65;
    if (!(varianceToKeep > 0 && varianceToKeep < 1))
      throw new RangeError('PcaReconstruction: varianceToKeep in (0, 1)');
    const chunkSize = options.chunkSize ?? Math.floor(n / 10);
    if (!(Number.isInteger(chunkSize) && chunkSize >= 1 && n >= 2 * chunkSize)) {
      throw new RangeError(
        `PcaReconstruction: the reference (${n} rows) must hold two chunks of ${chunkSize}`,
      );
    }
    rows.forEach((row, i) => checkRow(row, d, i));

    const means = new Array<number>(d).fill(0);
    const counts = new Array<number>(d).fill(0);
    for (const row of rows) {
      row.forEach((v, j) => {
        if (v === null) return;
        counts[j] += 1;
        means[j] += (v - means[j]) / counts[j];
      });
    }
    if (counts.some((c) => c === 0))
      throw new RangeError('PcaReconstruction: a feature has no value in the reference');
    const scales = means.map((m, j) => {
      let ss = 0;
      for (const row of rows) {
        const v = row[j];
        if (v !== null) ss += (v - m) ** 2;
      }
      const sd = Math.sqrt(ss / counts[j]);
      return sd > 0 ? sd : 1;
    });

    const z = new Matrix(rows.map((row) => standardise(row, means, scales)));
    const centre = z.mean('column');
    z.subRowVector(centre);
    const covariance = z.transpose().mmul(z).div(n);
    const evd = new EigenvalueDecomposition(covariance, { assumeSymmetric: true });
    const order = evd.realEigenvalues.map((value, index) => ({ value: Math.max(0, value), index }));
    order.sort((a, b) => b.value - a.value);
    const total = order.reduce((s, e) => s + e.value, 0);
    const explainedVarianceRatio = order.map((e) => e.value / total);
    let keep = 0;
    let cumulative = 0;
    while (keep < d && cumulative <= varianceToKeep) cumulative += explainedVarianceRatio[keep++];
    const vectors = evd.eigenvectorMatrix;
    const components = order.slice(0, keep).map((e) => vectors.getColumn(e.index));

    const partial: Omit<PcaReconstructionState, 'referenceChunkErrors' | 'band'> = {
      features: [...features],
      means,
      scales,
      components,
      explainedVarianceRatio,
      chunkSize,
    };
    const model = new PcaReconstruction({
      ...partial,
      referenceChunkErrors: [],
      band: { mean: 0, sd: 0, lower: 0, upper: 0 },
    });
    const referenceChunkErrors: number[] = [];
    for (let start = 0; start + chunkSize <= n; start += chunkSize) {
      const acc = new ReconstructionErrorSum();
      for (let i = start; i < start + chunkSize; i++) model.update(acc, rows[i]);
      referenceChunkErrors.push(acc.value() as number);
    }
    const band = standardDeviationBand(referenceChunkErrors, options.sdMultiplier ?? 3);
    band.lower = Math.max(0, band.lower);
    return new PcaReconstruction({ ...partial, referenceChunkErrors, band });
  }

  static fromJSON(state: PcaReconstructionState): PcaReconstruction {
    const d = state.features.length;
    const ok =
      d >= 2 &&
      state.means.length === d &&
      state.scales.length === d &&
      state.scales.every((s) => s > 0) &&
      state.components.length >= 1 &&
      state.components.every((c) => c.length === d);
    if (!ok) throw new RangeError('PcaReconstruction.fromJSON: inconsistent state');
    return new PcaReconstruction(structuredClone(state));
  }

  toJSON(): PcaReconstructionState {
    return structuredClone(this.state);
  }

  get features(): readonly string[] {
    return this.state.features;
  }

  get componentCount(): number {
    return this.state.components.length;
  }

  get band(): ReconstructionBand {
    return { ...this.state.band };
  }

  /** A row in the model's feature order from named values; absent names are missing. */
  vectorOf(values: Readonly<Record<string, number | null | undefined>>): NumericRow {
    return this.state.features.map((f) => values[f] ?? null);
  }

  /** ||z − V Vᵀ z|| for the standardised row z. */
  error(row: NumericRow): number {
    const { features } = this.state;
    checkRow(row, features.length, 0);
    for (let j = 0; j < row.length; j++) this.setRowValue(j, row[j]);
    return this.standardisedError();
  }

  /**
   * Sets value j of the row being read (a finite number, or null: missing) without building the row:
   * once every value is set, `addRow` adds the same error as `update(sums, row)`, bit for bit (the
   * monitor's pane update, which reads each feature once for its summary and for this).
   */
  setRowValue(j: number, v: number | null): void {
    if (v !== null && !Number.isFinite(v)) throw new RangeError(`PcaReconstruction: row 0 holds ${v}`);
    this.z[j] = v === null ? 0 : (v - this.state.means[j]) / this.state.scales[j];
  }

  /** Adds the error of the row set value by value (setRowValue) to a pane's sums. */
  addRow(sums: ReconstructionErrorSum): ReconstructionErrorSum {
    return sums.update(this.standardisedError());
  }

  /** Adds one row's error to a pane's sums. */
  update(sums: ReconstructionErrorSum, row: NumericRow): ReconstructionErrorSum {
    return sums.update(this.error(row));
  }

  /**
   * `update(sums, vectorOf(values))` where values[f] = parse(features[f] ?? null), the same sums bit
   * for bit, without building the values, the row or the standardised row (the monitor's pane
   * update, once an event). `parse` gives a finite number or null (missing).
   */
  updateFromFeatures(
    sums: ReconstructionErrorSum,
    features: Readonly<Record<string, RawValue>>,
    parse: (value: RawValue) => number | null,
  ): ReconstructionErrorSum {
    const names = this.state.features;
    for (let j = 0; j < names.length; j++) this.setRowValue(j, parse(features[names[j]] ?? null));
    return this.addRow(sums);
  }

  /** ||z − V Vᵀ z|| of the row in `this.z`: the norms summed in feature order, as `error` always did. */
  private standardisedError(): number {
    const { z, axes } = this;
    const d = z.length;
    let norm2 = 0;
    for (let j = 0; j < d; j++) norm2 += z[j] * z[j];
    let projected2 = 0;
    for (let start = 0; start < axes.length; start += d) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += axes[start + j] * z[j];
      projected2 += dot * dot;
    }
    return Math.sqrt(Math.max(0, norm2 - projected2));
  }

  /** The window's mean error against the band. */
  evaluate(sums: ReconstructionErrorSum): ReconstructionResult {
    const value = sums.value();
    const { lower, upper } = this.state.band;
    return {
      value,
      count: sums.count,
      lower,
      upper,
      alert: value !== null && (value < lower || value > upper),
    };
  }
}

function checkRow(row: NumericRow, d: number, index: number): void {
  if (row.length !== d)
    throw new RangeError(`PcaReconstruction: row ${index} has ${row.length} values, expected ${d}`);
  for (const v of row) {
    if (v !== null && !Number.isFinite(v)) throw new RangeError(`PcaReconstruction: row ${index} holds ${v}`);
  }
}

function standardise(row: NumericRow, means: readonly number[], scales: readonly number[]): number[] {
  return row.map((v, j) => (v === null ? 0 : (v - means[j]) / scales[j]));
}
