import type { ModelSpec } from '@driftline/contracts';
import type { ReferenceProfile } from '@driftline/stats';
import { ApiError } from '@driftline/common';

/** 400 reference_missing_features when a feature the spec declares has no column in the profile. */
export function checkDeclaredFeatures(spec: ModelSpec, profile: ReferenceProfile, source: string): void {
  const columns = new Set(profile.columns.map((c) => c.name));
  const absent = Object.keys(spec.features ?? {}).filter((f) => !columns.has(f));
  if (absent.length > 0) {
    throw new ApiError(
      400,
      'reference_missing_features',
      `${source} has no column for the declared features ${absent.join(', ')}`,
      { features: absent },
    );
  }
}
