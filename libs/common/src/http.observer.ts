import type { NextFunction, Request, Response } from 'express';
import { requestIdOf } from './request-id.middleware';
import type { ServiceMetrics } from './service.metrics';

/** Where the request lines go (a pino logger fits). */
interface RequestLogger {
  info(context: object, message: string): void;
  debug(context: object, message: string): void;
}

/** The label of requests no route matched (404s of unknown paths): raw paths never become labels. */
export const UNMATCHED_ROUTE = 'unmatched';
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/** The matched route's pattern (`/v1/models/:modelId`), read once the response is finished. */
export function routeOf(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? `${req.baseUrl ?? ''}${route.path}` : UNMATCHED_ROUTE;
}

/**
 * Counts and times every request by method, route pattern and status, and logs one JSON line per
 * request with its request id (probes and scrapes at debug level).
 */
export function httpObserver(metrics: ServiceMetrics, logger: RequestLogger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const startedAt = performance.now();
    res.on('finish', () => {
      const seconds = (performance.now() - startedAt) / 1000;
      const route = routeOf(req);
      const { method } = req;
      const status = res.statusCode;
      metrics.httpRequests.inc({ method, route, status: String(status) });
      metrics.httpDuration.observe({ method, route }, seconds);
      const line = { requestId: requestIdOf(req), method, route, status, durationMs: seconds * 1000 };
      if (QUIET_ROUTES.has(route)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
