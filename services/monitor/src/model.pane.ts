import type { FeatureValue } from '@driftline/contracts';
import {
  ExpectedConfusion,
  parseFinite,
  type PcaReconstruction,
  ReconstructionErrorSum,
  type ExpectedConfusionState,
  type ReconstructionErrorState,
} from '@driftline/stats';
import type { JsonValue, SummaryFactory } from '@driftline/windowing';
import type { MonitoredModel } from './monitored.model';
import {
  CategoricalSummary,
  NumericSummary,
  type CategoricalSummaryJSON,
  type NumericSummaryJSON,
  type WindowSummary,
} from '@driftline/stats';

/** The part of a prediction a pane keeps. */
export interface PaneEvent {
  features: Readonly<Record<string, FeatureValue>>;
  prediction: number | string;
  score: number | null;
}

type SummaryJSON = NumericSummaryJSON | CategoricalSummaryJSON;

export interface ModelPaneJSON {
  columns: Record<string, SummaryJSON>;
  cbpe: ExpectedConfusionState | null;
  pca: ReconstructionErrorState | null;
}

/**
 * What every pane of a model shares: where each feature goes in the PCA row, and which PCA features
 * are read by name (not pane features).
 */
export class PaneLayout {
  /** For each feature of model.features, its index among the PCA features, or -1. */
  readonly pcaOf: Int32Array;
  /** PCA features that are not pane features (read by name): their indices among the PCA features. */
  readonly pcaByName: Int32Array;
  readonly pcaNames: readonly string[];

  constructor(readonly model: MonitoredModel) {
    this.pcaNames = model.pca?.features ?? [];
    this.pcaOf = Int32Array.from(model.features, (name) => this.pcaNames.indexOf(name));
    const byName = this.pcaNames.flatMap((name, j) => (model.features.includes(name) ? [] : [j]));
    this.pcaByName = Int32Array.from(byName);
  }
}

/**
 * One pane of a model's window: a summary per reference column (features on the reference's bins,
 * the prediction and the score), the CBPE expected confusion sums when the profile has a
 * calibration, and the PCA reconstruction-error sums when it has a PCA model. All mergeable.
 */
export class ModelPane {
  /** The features' summaries in model.features order (the same objects as in `columns`). */
  private readonly featureSummaries: WindowSummary[];
  private readonly predictionSummary: WindowSummary | null;
  private readonly scoreSummary: WindowSummary | null;

  constructor(
    private readonly layout: PaneLayout,
    readonly columns: Record<string, WindowSummary>,
    readonly cbpe: ExpectedConfusion | null,
    readonly pca: ReconstructionErrorSum | null,
  ) {
    const { model } = layout;
    this.featureSummaries = model.features.map((name) => columns[name]);
    this.predictionSummary = model.predictionColumn === null ? null : columns[model.predictionColumn];
    this.scoreSummary = model.scoreColumn === null ? null : columns[model.scoreColumn];
  }

  /**
   * Each feature looked up once: its value feeds its summary and, parsed, the PCA row, which is set
   * value by value (no row of boxed numbers an event). Events usually list their features in the
   * model's order: while they do, the values are read in property order (a for-in over the object's
   * own layout), which costs less than a lookup by name; from the first name out of order, by name.
   */
  update(event: PaneEvent): ModelPane {
    const { layout } = this;
    const { model } = layout;
    const { features } = event;
    const names = model.features;
    const pca = this.pca !== null ? model.pca : null;
    let i = 0;
    if (names.length > 0) {
      for (const key in features) {
        if (key !== names[i]) break;
        this.feature(i, features[key], pca);
        if (++i === names.length) break;
      }
    }
    for (; i < names.length; i++) this.feature(i, features[names[i]], pca);
    this.predictionSummary?.update(event.prediction);
    this.scoreSummary?.update(event.score);
    if (this.cbpe !== null && model.cbpe !== null && event.score !== null) {
      model.cbpe.update(this.cbpe, event.score, String(event.prediction) === model.spec.positiveLabel);
    }
    if (pca !== null && this.pca !== null) {
      const { pcaByName, pcaNames } = layout;
      for (let k = 0; k < pcaByName.length; k++) {
        const j = pcaByName[k];
        pca.setRowValue(j, parseFinite(features[pcaNames[j]] ?? null));
      }
      pca.addRow(this.pca);
    }
    return this;
  }

  /** Feature i's value to its summary and, when it is a PCA feature, to the PCA row. */
  private feature(i: number, value: FeatureValue | undefined, pca: PcaReconstruction | null): void {
    this.featureSummaries[i].update(value);
    const j = this.layout.pcaOf[i];
    if (pca !== null && j >= 0) pca.setRowValue(j, parseFinite(value ?? null));
  }

  merge(other: ModelPane): ModelPane {
    for (const [name, summary] of Object.entries(this.columns)) {
      const theirs = other.columns[name];
      if (summary instanceof NumericSummary && theirs instanceof NumericSummary) summary.merge(theirs);
      else if (summary instanceof CategoricalSummary && theirs instanceof CategoricalSummary)
        summary.merge(theirs);
      else throw new Error(`pane column "${name}" differs in type between panes`);
    }
    if (this.cbpe !== null && other.cbpe !== null) this.cbpe.merge(other.cbpe);
    if (this.pca !== null && other.pca !== null) this.pca.merge(other.pca);
    return this;
  }

  toJSON(): JsonValue {
    const columns: Record<string, SummaryJSON> = {};
    for (const [name, summary] of Object.entries(this.columns)) columns[name] = summary.toJSON();
    const json: ModelPaneJSON = {
      columns,
      cbpe: this.cbpe?.toJSON() ?? null,
      pca: this.pca?.toJSON() ?? null,
    };
    // the summaries' JSON interfaces are plain JSON, without the index signature JsonValue asks for
    return json as unknown as JsonValue;
  }
}

/** The columns a pane of `model` summarises: its features, then its prediction and score columns. */
export function paneColumns(model: MonitoredModel): string[] {
  return [model.predictionColumn, model.scoreColumn].reduce<string[]>(
    (names, column) => (column === null ? names : [...names, column]),
    [...model.features],
  );
}

export function modelPaneFactory(model: MonitoredModel): SummaryFactory<ModelPane> {
  const layout = new PaneLayout(model);
  return {
    empty: () => {
      const columns: Record<string, WindowSummary> = {};
      for (const name of paneColumns(model)) columns[name] = model.profile.column(name).newSummary();
      return new ModelPane(
        layout,
        columns,
        model.cbpe === null ? null : new ExpectedConfusion(),
        model.pca === null ? null : new ReconstructionErrorSum(),
      );
    },
    fromJSON: (value) => {
      const json = value as unknown as ModelPaneJSON;
      const columns: Record<string, WindowSummary> = {};
      for (const name of paneColumns(model)) {
        const stored = json.columns[name];
        if (stored === undefined) throw new Error(`stored pane of "${model.modelId}" lacks column "${name}"`);
        columns[name] =
          stored.kind === 'numeric' ? NumericSummary.fromJSON(stored) : CategoricalSummary.fromJSON(stored);
      }
      return new ModelPane(
        layout,
        columns,
        model.cbpe === null || json.cbpe === null ? null : ExpectedConfusion.fromJSON(json.cbpe),
        model.pca === null || json.pca === null ? null : ReconstructionErrorSum.fromJSON(json.pca),
      );
    },
  };
}
