import type { Provider, Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Database } from '@driftline/db';
import { CLOCK, DATABASE, systemClock } from '@driftline/common';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { ApiKeyGuard } from './api-key.guard';
import { AuthMetrics } from './auth.metrics';
import { AuthOffWarning } from './auth-off.warning';
import { API_KEY_REPOSITORY } from './auth.tokens';
import { KeysController } from './keys.controller';
import { KeysService } from './keys.service';

/** API keys and the guard every route goes through; they need DATABASE, METRICS and the config. */
export const authControllers: Type[] = [KeysController];

export const authProviders: Provider[] = [
  { provide: API_KEY_REPOSITORY, inject: [DATABASE], useFactory: (db: Database) => db.apiKeys },
  { provide: CLOCK, useValue: systemClock },
  ApiKeyAuthenticator,
  AuthMetrics,
  AuthOffWarning,
  KeysService,
  { provide: APP_GUARD, useClass: ApiKeyGuard },
];
