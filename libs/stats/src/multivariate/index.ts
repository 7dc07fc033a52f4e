export { PcaReconstruction } from './pca-reconstruction.model';
export type {
  NumericRow,
  PcaReconstructionOptions,
  PcaReconstructionState,
  ReconstructionResult,
} from './pca-reconstruction.model';
export { ReconstructionErrorSum } from './reconstruction-error.accumulator';
export type { ReconstructionErrorState } from './reconstruction-error.accumulator';
export { standardDeviationBand } from './standard-deviation.band';
export type { ReconstructionBand } from './standard-deviation.band';
