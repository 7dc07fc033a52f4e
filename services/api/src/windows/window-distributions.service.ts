import { Inject, Injectable } from '@nestjs/common';
import type { WindowDistributions } from '@driftline/contracts';
import type { ReferenceProfileRepository, WindowSummaryRepository } from '@driftline/db';
import type { ReferenceProfileJSON } from '@driftline/stats';
import { ApiError } from '@driftline/common';
import { ModelsService } from '../models/models.service';
import { REFERENCE_REPOSITORY } from '../references/references.tokens';
import { parseInstant } from './time-range.query';
import { windowDistributions, type StoredPane } from './window.distributions';
import { WINDOW_SUMMARY_REPOSITORY } from './windows.tokens';

function bound(name: 'windowStart' | 'windowEnd', text: unknown): Date {
  const at = parseInstant(name, text);
  if (at === undefined)
    throw new ApiError(400, 'window_required', 'name the window: ?windowStart=...&windowEnd=... (ISO 8601)');
  return at;
}

/** A stored window's columns against the reference in force, for the dashboard's window page. */
@Injectable()
export class WindowDistributionsService {
  constructor(
    private readonly models: ModelsService,
    @Inject(WINDOW_SUMMARY_REPOSITORY) private readonly summaries: Pick<WindowSummaryRepository, 'find'>,
    @Inject(REFERENCE_REPOSITORY) private readonly references: Pick<ReferenceProfileRepository, 'latest'>,
  ) {}

  async distributions(modelId: string, start: unknown, end: unknown): Promise<WindowDistributions> {
    const [windowStart, windowEnd] = [bound('windowStart', start), bound('windowEnd', end)];
    await this.models.known(modelId);
    const stored = await this.summaries.find(modelId, windowStart, windowEnd);
    const window = { windowStart: windowStart.toISOString(), windowEnd: windowEnd.toISOString() };
    if (stored === null) {
      throw new ApiError(
        404,
        'window_not_found',
        `no stored window [${window.windowStart}, ${window.windowEnd}) of model "${modelId}": ` +
          "windows are kept for the model's label horizon once evaluated",
        { modelId, ...window },
      );
    }
    const reference = await this.references.latest(modelId);
    const profile = (reference?.profile ?? null) as ReferenceProfileJSON | null;
    return {
      modelId,
      ...window,
      referenceName: reference?.name ?? null,
      columns: windowDistributions(stored.summary as StoredPane, profile),
    };
  }
}
