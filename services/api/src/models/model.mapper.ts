import type { ModelSpec } from '@driftline/contracts';
import type { ModelRecord } from '@driftline/db';

/** A registered model as the API returns it: its spec as stored, and when it was stored. */
export type ModelView = ModelSpec & { createdAt: string; updatedAt: string };

/** Whether the model was registered with a spec, rather than only seen in events (settings {}). */
export function isRegistered(record: ModelRecord): boolean {
  return Object.keys(record.settings).length > 0;
}

export function mapModel(record: ModelRecord): ModelView {
  return {
    ...(record.settings as unknown as ModelSpec),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

/** The spec stored in models.settings; the caller has checked that the model is registered. */
export function specOf(record: ModelRecord): ModelSpec {
  return record.settings as unknown as ModelSpec;
}
