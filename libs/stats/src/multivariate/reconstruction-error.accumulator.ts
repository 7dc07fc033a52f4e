/** Sum and count of reconstruction errors, as JSON (for a pane). */
export interface ReconstructionErrorState {
  count: number;
  sum: number;
}

/** Mergeable mean of per-row reconstruction errors: panes merge by adding sums and counts. */
export class ReconstructionErrorSum {
  count = 0;
  sum = 0;

  static fromJSON(state: ReconstructionErrorState): ReconstructionErrorSum {
    if (!(
      Number.isInteger(state.count) &&
      state.count >= 0 &&
      Number.isFinite(state.sum) &&
      state.sum >= 0
    )) {
      throw new RangeError('ReconstructionErrorSum: bad state');
    }
    const acc = new ReconstructionErrorSum();
    acc.count = state.count;
    acc.sum = state.sum;
    return acc;
  }

  update(error: number): this {
    if (!(Number.isFinite(error) && error >= 0))
      throw new RangeError(`ReconstructionErrorSum: error ${error}`);
    this.count += 1;
    this.sum += error;
    return this;
  }

  merge(other: ReconstructionErrorSum): this {
    this.count += other.count;
    this.sum += other.sum;
    return this;
  }

  /** Mean reconstruction error, or null with no rows. */
  value(): number | null {
    return this.count === 0 ? null : this.sum / this.count;
  }

  toJSON(): ReconstructionErrorState {
    return { count: this.count, sum: this.sum };
  }
}
