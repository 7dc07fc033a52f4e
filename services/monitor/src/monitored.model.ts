import { resolveModelSpec, type ModelSpec, type ResolvedModelSpec } from '@driftline/contracts';
import { Cbpe, PcaReconstruction, type CbpeState, type PcaReconstructionState } from '@driftline/stats';
import { parseDuration, parseWindowSpec, type WindowSpec } from '@driftline/windowing';
import { ReferenceProfile, type ReferenceProfileJSON } from '@driftline/stats';

/** A model's settings and its latest reference, as stored by the control plane. */
export interface ModelDefinition {
  spec: ModelSpec;
  reference: { id: string; profile: unknown } | null;
}

/** What the monitor needs to window and evaluate a model's events. */
export interface MonitoredModel {
  modelId: string;
  spec: ResolvedModelSpec;
  window: WindowSpec;
  labelHorizonMs: number;
  /** Identifies the profile and the window the panes were built for: panes of another cannot merge. */
  stateKey: string;
  profile: ReferenceProfile;
  features: string[];
  predictionColumn: string | null;
  scoreColumn: string | null;
  cbpe: Cbpe | null;
  pca: PcaReconstruction | null;
}

interface ProfileExtras {
  calibration?: CbpeState;
  pca?: PcaReconstructionState;
}

/**
 * A stored profile as the monitor holds it: each column's exact sample left out. The monitor compares
 * windows with the columns' summaries (bins, moments, sketches) and never reads the samples, which
 * are most of a profile's weight (up to DEFAULT_SAMPLE_CAP values a column; the bench's references of
 * 1,000 rows x 26 columns held 0.2 MB of samples a model, once in the main thread and once in the
 * worker that feeds it). Anything not shaped like a profile is returned as it is, for monitoredModel
 * to reject.
 */
export function heldProfile(profile: unknown): unknown {
  if (typeof profile !== 'object' || profile === null) return profile;
  const { columns } = profile as { columns?: unknown };
  if (!Array.isArray(columns)) return profile;
  const held = columns.map((column: unknown) =>
    typeof column === 'object' && column !== null ? { ...column, sample: [] } : column,
  );
  return { ...profile, columns: held };
}

/**
 * The monitored model of a definition, or null when it has no reference (its events are then only
 * counted). Throws when the stored spec or profile cannot be read.
 */
export function monitoredModel(definition: ModelDefinition): MonitoredModel | null {
  if (definition.reference === null) return null;
  const spec = resolveModelSpec(definition.spec);
  const json = definition.reference.profile as ReferenceProfileJSON & ProfileExtras;
  const profile = ReferenceProfile.fromJSON(json);
  const window = parseWindowSpec(spec.window);
  const declared = spec.features === undefined ? null : new Set(Object.keys(spec.features));
  const ofRole = (role: string) => profile.columns.filter((c) => c.json.role === role).map((c) => c.name);
  const features = ofRole('feature').filter((name) => declared === null || declared.has(name));
  return {
    modelId: spec.modelId,
    spec,
    window,
    labelHorizonMs: parseDuration(spec.labelHorizon),
    stateKey: `${definition.reference.id}/${window.size}/${window.step}`,
    profile,
    features,
    predictionColumn: ofRole('prediction')[0] ?? null,
    scoreColumn: ofRole('score')[0] ?? null,
    cbpe: spec.task === 'binary' && json.calibration ? Cbpe.fromJSON(json.calibration) : null,
    pca: json.pca ? PcaReconstruction.fromJSON(json.pca) : null,
  };
}
