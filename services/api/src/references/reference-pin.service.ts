import type { ModelSpec } from '@driftline/contracts';
import type { ReferenceProfileRepository, WindowSummaryRepository } from '@driftline/db';
import {
  profileFromWindowSummary,
  StatsInputError,
  type ColumnSummaryJSON,
  type ReferenceProfile,
} from '@driftline/stats';
import { ApiError } from '@driftline/common';
import { specOf } from '../models/model.mapper';
import type { ModelsService } from '../models/models.service';
import { checkDeclaredFeatures } from './declared-features.check';
import { OUTPUT_COLUMNS, type ReferenceModels } from './reference-models.fit';
import { mapReference, type ReferenceSummary } from './reference.mapper';

/** The part of a stored window summary (the monitor's merged pane) a pin reads. */
interface StoredPane {
  columns: Record<string, ColumnSummaryJSON>;
}

interface PinRequest {
  windowStart: Date;
  windowEnd: Date;
  name: string | undefined;
}

const NO_ROWS = 'a pinned window keeps no rows to fit on';

function timestamp(body: Record<string, unknown>, field: 'windowStart' | 'windowEnd'): Date {
  const value = body[field];
  const time = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(time))
    throw new ApiError(400, 'invalid_pin', `${field} must be an ISO 8601 timestamp`, { field, value });
  return new Date(time);
}

/** The window a pin names: both bounds as timestamps, the end after the start. */
export function pinRequestOf(body: unknown): PinRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(400, 'invalid_pin', 'send { "windowStart", "windowEnd" } as application/json');
  const fields = body as Record<string, unknown>;
  const windowStart = timestamp(fields, 'windowStart');
  const windowEnd = timestamp(fields, 'windowEnd');
  if (windowEnd <= windowStart)
    throw new ApiError(400, 'invalid_pin', 'windowEnd must be after windowStart', {
      windowStart: windowStart.toISOString(),
      windowEnd: windowEnd.toISOString(),
    });
  const name = typeof fields.name === 'string' && fields.name !== '' ? fields.name : undefined;
  return { windowStart, windowEnd, name };
}

/**
 * Pins a past window as a model's reference: the window's merged summaries, kept by the monitor for
 * the model's label horizon, become a profile (bin edges from the window itself) stored as the
 * model's newest reference, which the monitor picks up on its catalog refresh as after an upload.
 * The window keeps no rows, so no PCA or calibration model is fitted.
 */
export class ReferencePinService {
  constructor(
    private readonly models: ModelsService,
    private readonly references: ReferenceProfileRepository,
    private readonly windows: Pick<WindowSummaryRepository, 'find'>,
  ) {}

  async pin(modelId: string, body: unknown): Promise<ReferenceSummary> {
    const request = pinRequestOf(body);
    const spec = specOf(await this.models.registered(modelId));
    const stored = await this.windows.find(modelId, request.windowStart, request.windowEnd);
    if (stored === null) {
      throw new ApiError(
        404,
        'window_not_found',
        `no stored window [${request.windowStart.toISOString()}, ${request.windowEnd.toISOString()}) ` +
          `of model "${modelId}": windows are kept for the model's label horizon once evaluated`,
        {
          modelId,
          windowStart: request.windowStart.toISOString(),
          windowEnd: request.windowEnd.toISOString(),
        },
      );
    }
    const profile = this.profile(stored.summary as StoredPane, spec);
    const name =
      request.name ?? `window-${request.windowStart.toISOString()}/${request.windowEnd.toISOString()}`;
    const models: ReferenceModels = {
      pca: null,
      calibration: null,
      skipped: { pca: NO_ROWS, calibration: NO_ROWS },
    };
    const referenceId = await this.references.save(modelId, name, profile.json.rows, {
      ...profile.toJSON(),
      pca: null,
      calibration: null,
    });
    return mapReference(referenceId, modelId, name, profile, models);
  }

  private profile(pane: StoredPane, spec: ModelSpec): ReferenceProfile {
    let profile: ReferenceProfile;
    try {
      const options = { types: spec.features, bins: spec.bins, ...OUTPUT_COLUMNS };
      profile = profileFromWindowSummary(pane.columns, options);
    } catch (error) {
      if (error instanceof StatsInputError) throw new ApiError(400, 'invalid_reference', error.message);
      throw error;
    }
    checkDeclaredFeatures(spec, profile, 'the window');
    return profile;
  }
}
