import { runService } from '@driftline/common';
import { AppModule } from './app.module';
import { configureApi } from './models/api.configure';

void runService(
  'api',
  (context) => AppModule.forRoot(context),
  (config) => ({
    maxBodyBytes: config.ingest.maxBodyBytes,
    // ingestion publishes each event as the bytes it came in
    rawBody: true,
    configure: configureApi,
    // API_WORKERS processes sharing the port, each with its own producer, pool and key cache
    workers: config.api.workers,
  }),
);
