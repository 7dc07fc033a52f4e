import type { ColumnType, RawValue } from '../types';
import { CategoricalSummary, type CategoricalSummaryJSON } from './categorical.summary';
import { NumericSummary, type NumericSummaryJSON } from './numeric.summary';

export type ProfileRole = 'feature' | 'prediction' | 'score' | 'target';

/** Where a numeric column's bin edges come from: the exact reference, or its sketch (over the sample cap). */
export type EdgeSource = 'sample' | 'sketch';

export interface ColumnProfileJSON {
  name: string;
  role: ProfileRole;
  type: ColumnType;
  /** True when the user declared the type; otherwise it was inferred (numeric unless a non-number appeared). */
  declared: boolean;
  /** Values seen, missing ones included. */
  rows: number;
  /** Numeric: interior bin edges (STATS.md "Binning") and where they come from. */
  edges: number[];
  edgeSource: EdgeSource | null;
  /** Numeric: share per bin; categorical: share per category of `categories`. */
  shares: number[];
  categories: string[];
  numeric: NumericSummaryJSON | null;
  categorical: CategoricalSummaryJSON | null;
  /** Present values, exact: all of them when `sampleComplete`, else a seeded reservoir sample. */
  sample: Array<number | string>;
  sampleComplete: boolean;
}

export interface ReferenceProfileJSON {
  version: 1;
  rows: number;
  bins: number;
  sampleCap: number;
  seed: number;
  columns: ColumnProfileJSON[];
}

export type WindowSummary = NumericSummary | CategoricalSummary;

/** One column of a reference profile, with its reference summary ready to compare with a window. */
export class ColumnProfile {
  readonly reference: WindowSummary;

  constructor(readonly json: ColumnProfileJSON) {
    if (json.type === 'numeric' && json.numeric) this.reference = NumericSummary.fromJSON(json.numeric);
    else if (json.type === 'categorical' && json.categorical)
      this.reference = CategoricalSummary.fromJSON(json.categorical);
    else throw new Error(`column "${json.name}": profile lacks its ${json.type} summary`);
  }

  get name(): string {
    return this.json.name;
  }

  get type(): ColumnType {
    return this.json.type;
  }

  /** An empty summary for a window pane of this column: same edges, sketch settings and caps. */
  newSummary(): WindowSummary {
    return this.reference.emptyLike();
  }
}

/**
 * What the monitor compares windows with, per column (DESIGN.md "Reference profiles"): type, bin
 * edges, shares, the reference's mergeable summary, and an exact sample up to a cap. Plain JSON.
 */
export class ReferenceProfile {
  private readonly byName: Map<string, ColumnProfile>;

  constructor(readonly json: ReferenceProfileJSON) {
    this.byName = new Map(json.columns.map((c) => [c.name, new ColumnProfile(c)]));
  }

  get columns(): ColumnProfile[] {
    return [...this.byName.values()];
  }

  column(name: string): ColumnProfile {
    const column = this.byName.get(name);
    if (!column) throw new Error(`the reference profile has no column "${name}"`);
    return column;
  }

  /** Empty summaries for every column (or the given role), for a new window pane. */
  newWindow(role?: ProfileRole): Record<string, WindowSummary> {
    const out: Record<string, WindowSummary> = {};
    for (const column of this.byName.values())
      if (role === undefined || column.json.role === role) out[column.name] = column.newSummary();
    return out;
  }

  /** Adds one row to a window's summaries; columns absent from the row count as missing. */
  static updateWindow(window: Record<string, WindowSummary>, row: Readonly<Record<string, RawValue>>): void {
    for (const [name, summary] of Object.entries(window)) summary.update(row[name]);
  }

  /** Merges a pane's summaries into a window's (the same columns, from the same profile). */
  static mergeWindow(
    into: Record<string, WindowSummary>,
    pane: Readonly<Record<string, WindowSummary>>,
  ): void {
    for (const [name, summary] of Object.entries(pane)) {
      const target = into[name];
      if (target instanceof NumericSummary && summary instanceof NumericSummary) target.merge(summary);
      else if (target instanceof CategoricalSummary && summary instanceof CategoricalSummary)
        target.merge(summary);
      else throw new Error(`column "${name}": the pane's summary does not match the window's`);
    }
  }

  toJSON(): ReferenceProfileJSON {
    return this.json;
  }

  static fromJSON(json: ReferenceProfileJSON): ReferenceProfile {
    return new ReferenceProfile(json);
  }
}
