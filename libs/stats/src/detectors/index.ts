export type { DriftDetector, DriftAndWarningDetector } from './detector.types';
export { PageHinkley } from './page-hinkley.detector';
export type { PageHinkleyMode, PageHinkleyOptions, PageHinkleyState } from './page-hinkley.detector';
export { Adwin } from './adwin.detector';
export type { AdwinBucketRow, AdwinOptions, AdwinState } from './adwin.detector';
export { Ddm } from './ddm.detector';
export type { DdmOptions, DdmState } from './ddm.detector';
export { Kswin } from './kswin.detector';
export type { KswinOptions, KswinState } from './kswin.detector';
