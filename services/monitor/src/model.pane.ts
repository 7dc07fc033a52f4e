import type { FeatureValue } from '@driftline/contracts';
import {
  ExpectedConfusion,
  parseFinite,
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
 * One pane of a model's window: a summary per reference column (features on the reference's bins,
 * the prediction and the score), the CBPE expected confusion sums when the profile has a
 * calibration, and the PCA reconstruction-error sums when it has a PCA model. All mergeable.
 */
export class ModelPane {
  constructor(
    private readonly model: MonitoredModel,
    readonly columns: Record<string, WindowSummary>,
    readonly cbpe: ExpectedConfusion | null,
    readonly pca: ReconstructionErrorSum | null,
  ) {}

  update(event: PaneEvent): ModelPane {
    const { model } = this;
    for (const name of model.features) this.columns[name].update(event.features[name]);
    if (model.predictionColumn !== null) this.columns[model.predictionColumn].update(event.prediction);
    if (model.scoreColumn !== null) this.columns[model.scoreColumn].update(event.score);
    if (this.cbpe !== null && model.cbpe !== null && event.score !== null) {
      model.cbpe.update(this.cbpe, event.score, String(event.prediction) === model.spec.positiveLabel);
    }
    if (this.pca !== null && model.pca !== null)
      model.pca.updateFromFeatures(this.pca, event.features, parseFinite);
    return this;
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
  return {
    empty: () => {
      const columns: Record<string, WindowSummary> = {};
      for (const name of paneColumns(model)) columns[name] = model.profile.column(name).newSummary();
      return new ModelPane(
        model,
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
        model,
        columns,
        model.cbpe === null || json.cbpe === null ? null : ExpectedConfusion.fromJSON(json.cbpe),
        model.pca === null || json.pca === null ? null : ReconstructionErrorSum.fromJSON(json.pca),
      );
    },
  };
}
