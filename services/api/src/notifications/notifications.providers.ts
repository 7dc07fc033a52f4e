import type { Provider, Type } from '@nestjs/common';
import type { Database } from '@driftline/db';
import { CLOCK, systemClock, DATABASE } from '@driftline/common';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import {
  CHANNEL_REPOSITORY,
  NOTIFICATION_REPOSITORY,
  ROUTE_REPOSITORY,
  SILENCE_REPOSITORY,
} from './notifications.tokens';
import { RoutesController } from './routes.controller';
import { RoutesService } from './routes.service';
import { SilencesController } from './silences.controller';
import { SilencesService } from './silences.service';

/** Channels, routes, silences and the delivery log; they need the DATABASE provider. */
export const notificationControllers: Type[] = [
  ChannelsController,
  RoutesController,
  SilencesController,
  DeliveriesController,
];

export const notificationProviders: Provider[] = [
  { provide: CHANNEL_REPOSITORY, inject: [DATABASE], useFactory: (db: Database) => db.channels },
  { provide: ROUTE_REPOSITORY, inject: [DATABASE], useFactory: (db: Database) => db.routes },
  { provide: SILENCE_REPOSITORY, inject: [DATABASE], useFactory: (db: Database) => db.silences },
  { provide: NOTIFICATION_REPOSITORY, inject: [DATABASE], useFactory: (db: Database) => db.notifications },
  { provide: CLOCK, useValue: systemClock },
  ChannelsService,
  RoutesService,
  SilencesService,
  DeliveriesService,
];
