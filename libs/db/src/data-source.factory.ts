import { DataSource } from 'typeorm';
import { AlertEntity } from './entities/alert.entity';
import { ConsumerOffsetEntity } from './entities/consumer-offset.entity';
import { MetricPointEntity } from './entities/metric-point.entity';
import { ModelEntity } from './entities/model.entity';
import { PaneStateEntity, WindowStateEntity } from './entities/operator-state.entity';
import { OutboxEntity } from './entities/outbox.entity';
import { ReferenceProfileEntity } from './entities/reference-profile.entity';
import { WindowResultEntity } from './entities/window-result.entity';
import { InitialSchema1763884800000 } from './migrations/1763884800000-initial-schema';
import { PerformanceLog1795424400000 } from './migrations/1795424400000-performance-log';
import { WindowResults1795420800000 } from './migrations/1795420800000-window-results';
import { WindowSummaries1795428000000 } from './migrations/1795428000000-window-summaries';
import { StateAsJson1795431600000 } from './migrations/1795431600000-state-as-json';
import { OffsetResets1795435200000 } from './migrations/1795435200000-offset-resets';
import { SeenEvents1795438800000 } from './migrations/1795438800000-seen-events';
import { Monitors1795442400000 } from './migrations/1795442400000-monitors';
import { Notifications1795446000000 } from './migrations/1795446000000-notifications';
import { Pipelines1795449600000 } from './migrations/1795449600000-pipelines';
import { AlertAcks1795900000000 } from './migrations/1795900000000-alert-acks';
import { ApiKeys1796000000000 } from './migrations/1796000000000-api-keys';
import { SeenEventKeys1796100000000 } from './migrations/1796100000000-seen-event-keys';
import { PendingWindowEvaluations1796200000000 } from './migrations/1796200000000-pending-window-evaluations';
import { StateAsText1796300000000 } from './migrations/1796300000000-state-as-text';
import { MetricPointsKey1796400000000 } from './migrations/1796400000000-metric-points-key';

export const ENTITIES = [
  ModelEntity,
  ReferenceProfileEntity,
  MetricPointEntity,
  AlertEntity,
  ConsumerOffsetEntity,
  OutboxEntity,
  WindowStateEntity,
  PaneStateEntity,
  WindowResultEntity,
];

/** In order: append new migrations at the end. */
export const MIGRATIONS = [
  InitialSchema1763884800000,
  WindowResults1795420800000,
  PerformanceLog1795424400000,
  WindowSummaries1795428000000,
  StateAsJson1795431600000,
  OffsetResets1795435200000,
  SeenEvents1795438800000,
  Monitors1795442400000,
  Notifications1795446000000,
  Pipelines1795449600000,
  AlertAcks1795900000000,
  ApiKeys1796000000000,
  SeenEventKeys1796100000000,
  PendingWindowEvaluations1796200000000,
  StateAsText1796300000000,
  MetricPointsKey1796400000000,
];

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  applicationName: string;
  /**
   * Postgres settings of every connection of the pool, sent at connection start (as `-c name=value`
   * options), e.g. the monitor's `synchronous_commit`. Names and values are the caller's, validated.
   */
  settings?: Readonly<Record<string, string>>;
}

/** The libpq `options` string that sets each of `settings` for the session. */
export function sessionOptions(settings: Readonly<Record<string, string>>): string | undefined {
  const entries = Object.entries(settings);
  for (const [name, value] of entries) {
    if (!/^[a-z_][a-z0-9_.]*$/.test(name) || !/^[A-Za-z0-9_.-]+$/.test(value))
      throw new Error(`not a Postgres setting: ${name}=${value}`);
  }
  return entries.length === 0 ? undefined : entries.map(([name, value]) => `-c ${name}=${value}`).join(' ');
}

export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    applicationName: options.applicationName,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    // Migrations run under an advisory lock in openDatabase: services starting together would race.
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: {
      max: options.poolSize,
      ...(options.settings === undefined ? {} : { options: sessionOptions(options.settings) }),
    },
  });
}
