export { IsotonicRegression, poolAdjacentViolators } from './isotonic.regression';
export type { IsotonicOptions, IsotonicState } from './isotonic.regression';
export { ExpectedConfusion } from './expected-confusion.accumulator';
export type { EstimatedBinaryMetrics, ExpectedConfusionState } from './expected-confusion.accumulator';
export { Cbpe } from './cbpe.estimator';
export type { BinaryLabel, CbpeOptions, CbpeState } from './cbpe.estimator';
