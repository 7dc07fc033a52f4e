import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { ModelSpec } from '@driftline/contracts';
import type { ReferenceProfileRepository } from '@driftline/db';
import {
  DEFAULT_PROFILE_SEED,
  DEFAULT_SAMPLE_CAP,
  ReferenceProfileBuilder,
  StatsInputError,
  type ReferenceProfile,
} from '@driftline/stats';
import { ApiError } from '@driftline/common';
import { specOf } from '../models/model.mapper';
import { ModelsService } from '../models/models.service';
import { checkDeclaredFeatures } from './declared-features.check';
import { fitReferenceModels, OUTPUT_COLUMNS, type SampledRow } from './reference-models.fit';
import { checkReferenceRow } from './reference-row.checks';
import {
  formatOf,
  readReferenceRows,
  REFERENCE_CONTENT_TYPES,
  ReferenceRowError,
} from './reference-rows.reader';
import { mapReference, type ReferenceSummary } from './reference.mapper';
import { REFERENCE_REPOSITORY } from './references.tokens';
import { RowReservoir } from './row.reservoir';

export interface ReferenceUpload {
  modelId: string;
  contentType: string | undefined;
  body: Readable;
  name?: string;
}

function invalidRow(error: ReferenceRowError): ApiError {
  return new ApiError(400, 'invalid_reference_row', error.message, {
    line: error.line,
    reason: error.message,
  });
}

@Injectable()
export class ReferenceUploadService {
  constructor(
    private readonly models: ModelsService,
    @Inject(REFERENCE_REPOSITORY) private readonly references: ReferenceProfileRepository,
  ) {}

  /**
   * Profiles an uploaded reference in one pass over the body, in memory bounded by the sample cap,
   * fits the PCA and calibration models on a row-aligned sample of it, and stores it as the model's
   * reference in force.
   */
  async upload(upload: ReferenceUpload): Promise<ReferenceSummary> {
    const spec = specOf(await this.models.registered(upload.modelId));
    const format = formatOf(upload.contentType);
    if (format === null) {
      throw new ApiError(
        415,
        'unsupported_media_type',
        `send the reference as ${REFERENCE_CONTENT_TYPES.join(' or ')}`,
        { contentType: upload.contentType ?? null, supported: REFERENCE_CONTENT_TYPES },
      );
    }
    const builder = new ReferenceProfileBuilder({
      types: spec.features,
      bins: spec.bins,
      ...OUTPUT_COLUMNS,
    });
    // The builder's per-column samples are not aligned row by row (missing values are skipped), so
    // the multivariate models get a reservoir of whole rows with the same cap and seed.
    const sample = new RowReservoir<SampledRow>(DEFAULT_SAMPLE_CAP, DEFAULT_PROFILE_SEED);
    try {
      for await (const row of readReferenceRows(upload.body, format)) {
        checkReferenceRow(spec, row);
        builder.add(row.values);
        sample.add(row.values);
      }
    } catch (error) {
      if (error instanceof ReferenceRowError) throw invalidRow(error);
      throw error;
    }
    const profile = this.build(spec, builder);
    const models = fitReferenceModels(spec, profile, sample.items);
    const name = upload.name ?? `upload-${format}`;
    const referenceId = await this.references.save(upload.modelId, name, profile.json.rows, {
      ...profile.toJSON(),
      pca: models.pca,
      calibration: models.calibration,
    });
    return mapReference(referenceId, upload.modelId, name, profile, models);
  }

  private build(spec: ModelSpec, builder: ReferenceProfileBuilder): ReferenceProfile {
    let profile: ReferenceProfile;
    try {
      profile = builder.build();
    } catch (error) {
      if (error instanceof StatsInputError) throw new ApiError(400, 'invalid_reference', error.message);
      throw error;
    }
    if (profile.json.rows === 0) throw new ApiError(400, 'empty_reference', 'the reference holds no rows');
    checkDeclaredFeatures(spec, profile, 'the reference');
    return profile;
  }
}
