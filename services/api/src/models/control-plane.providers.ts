import type { Provider, Type } from '@nestjs/common';
import type { Database } from '@driftline/db';
import { DATABASE } from '@driftline/common';
import { AlertsController } from '../alerts/alerts.controller';
import { ALERT_ACK_REPOSITORY, ALERT_REPOSITORY, AlertsService } from '../alerts/alerts.service';
import { AutoThresholds } from '../monitors/auto.thresholds';
import { MonitorsController } from '../monitors/monitors.controller';
import { MONITOR_REPOSITORY, MonitorsService } from '../monitors/monitors.service';
import { CONSUMER_OFFSET_REPOSITORY, OffsetResetsController } from '../consumers/offset-resets.controller';
import { ReferenceUploadService } from '../references/reference-upload.service';
import { ReferencesController } from '../references/references.controller';
import { REFERENCE_REPOSITORY } from '../references/references.tokens';
import { WindowsController } from '../windows/windows.controller';
import { WindowDistributionsService } from '../windows/window-distributions.service';
import { WindowsService } from '../windows/windows.service';
import {
  METRIC_POINT_REPOSITORY,
  WINDOW_RESULT_REPOSITORY,
  WINDOW_SUMMARY_REPOSITORY,
} from '../windows/windows.tokens';
import { ModelsController } from './models.controller';
import { ModelsService } from './models.service';
import { MODEL_REPOSITORY } from './models.tokens';

/** Models, references, the read side of windows and metrics, and offset resets; they need the DATABASE provider. */
export const controlPlaneControllers: Type[] = [
  ModelsController,
  ReferencesController,
  WindowsController,
  OffsetResetsController,
  MonitorsController,
  AlertsController,
];

export const controlPlaneProviders: Provider[] = [
  { provide: MODEL_REPOSITORY, inject: [DATABASE], useFactory: (db: Database) => db.models },
  { provide: REFERENCE_REPOSITORY, inject: [DATABASE], useFactory: (db: Database) => db.references },
  { provide: WINDOW_RESULT_REPOSITORY, inject: [DATABASE], useFactory: (db: Database) => db.windows },
  { provide: METRIC_POINT_REPOSITORY, inject: [DATABASE], useFactory: (db: Database) => db.metrics },
  {
    provide: WINDOW_SUMMARY_REPOSITORY,
    inject: [DATABASE],
    useFactory: (db: Database) => db.windowSummaries,
  },
  { provide: CONSUMER_OFFSET_REPOSITORY, inject: [DATABASE], useFactory: (db: Database) => db.offsets },
  { provide: MONITOR_REPOSITORY, inject: [DATABASE], useFactory: (db: Database) => db.monitors },
  { provide: ALERT_REPOSITORY, inject: [DATABASE], useFactory: (db: Database) => db.alerts },
  { provide: ALERT_ACK_REPOSITORY, inject: [DATABASE], useFactory: (db: Database) => db.alertAcks },
  ModelsService,
  MonitorsService,
  AlertsService,
  AutoThresholds,
  ReferenceUploadService,
  WindowsService,
  WindowDistributionsService,
];
