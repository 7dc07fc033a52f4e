import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DynamicModule } from '@nestjs/common';
import { loadConfigOrExit, type DriftlineConfig, type ServiceName } from '@driftline/config';
import type { Request, Response, NextFunction } from 'express';
import { HttpErrorFilter, sendError } from './http-error.filter';
import { createLogger, PinoNestLogger, type Logger } from './logger';
import { httpObserver } from './http.observer';
import { requestIdMiddleware } from './request-id.middleware';
import { METRICS, type ServiceMetrics } from './service.metrics';
import { clusterWorkerId, isClusterWorker, joinClusterMetrics, runClusterPrimary } from './service.cluster';

export interface ServiceContext {
  config: DriftlineConfig;
  logger: Logger;
}

export interface ServiceOptions {
  /** Largest JSON body accepted; the default 100kb suits services without ingestion. */
  maxBodyBytes?: number;
  /** Keeps a JSON body's bytes on the request as `rawBody` (Nest's RawBodyRequest). */
  rawBody?: boolean;
  /** Runs on the app before it starts, e.g. to mount documentation routes. */
  configure?: (app: NestExpressApplication) => void;
  /**
   * Processes sharing the service's port (node:cluster): above 1 this process forks them and serves
   * nothing itself (runClusterPrimary). 1 (the default): this process is the service.
   */
  workers?: number;
}

/** Creates the Nest app of one service with the shared HTTP conventions, without listening. */
export async function createServiceApp(
  name: ServiceName,
  context: ServiceContext,
  rootModule: DynamicModule,
  options: ServiceOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    logger: new PinoNestLogger(context.logger),
    bodyParser: false,
    rawBody: options.rawBody ?? false,
  });
  app.use(requestIdMiddleware);
  // the root module provides METRICS (metricsProviders)
  app.use(httpObserver(app.get<ServiceMetrics>(METRICS), context.logger));
  app.useBodyParser('json', { limit: options.maxBodyBytes ?? 100 * 1024 });
  // body-parser errors (413, malformed JSON) are raised before Nest's filters can see them
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    sendError(req, res, error, context.logger);
  });
  app.useGlobalFilters(new HttpErrorFilter(context.logger));
  app.enableShutdownHooks();
  options.configure?.(app);
  return app;
}

/**
 * Entry point of a service process: config (exits on a bad one), app, listen, log; or, with
 * `workers` above 1, the primary of that many such processes sharing the port.
 */
export async function runService(
  name: ServiceName,
  moduleFor: (context: ServiceContext) => DynamicModule,
  optionsFor: (config: DriftlineConfig) => ServiceOptions = () => ({}),
): Promise<void> {
  const config = loadConfigOrExit();
  const options = optionsFor(config);
  const serviceLogger = createLogger(name, config.log.level);
  const workers = options.workers ?? 1;
  if (workers > 1 && !isClusterWorker()) {
    runClusterPrimary(name, workers, serviceLogger);
    return;
  }
  const worker = clusterWorkerId();
  const logger = worker === undefined ? serviceLogger : serviceLogger.child({ worker });
  const context = { config, logger };
  try {
    const app = await createServiceApp(name, context, moduleFor(context), options);
    if (worker !== undefined) joinClusterMetrics(app.get<ServiceMetrics>(METRICS), logger);
    await app.listen(config.ports[name]);
    logger.info({ port: config.ports[name] }, `${name} listening`);
  } catch (error) {
    logger.fatal({ err: error }, `${name} failed to start`);
    process.exit(1);
  }
}
