/** Nest injection token of the DriftlineConfig loaded at boot. */
export const DRIFTLINE_CONFIG = Symbol('DRIFTLINE_CONFIG');
