import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { DRIFTLINE_CONFIG, type DriftlineConfig } from '@driftline/config';
import { ApiError, LOGGER, ROUTE_ACCESS, type Logger, type RouteAccess } from '@driftline/common';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { AuthRefusal, grants } from './api-key.principal';
import { AuthMetrics } from './auth.metrics';

/**
 * Every route of the api goes through here (APP_GUARD). It fails closed: a route that declares
 * neither @RequireScope nor @Public is refused, with or without a key.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly enabled: boolean;

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly metrics: AuthMetrics,
    @Inject(DRIFTLINE_CONFIG) config: DriftlineConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.enabled = config.auth.enabled;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access === undefined) {
      const route = `${context.getClass().name}.${context.getHandler().name}`;
      this.logger.error({ route }, 'route declares no scope (@RequireScope or @Public): refused');
      throw new ApiError(403, 'forbidden', 'this route declares no access scope, so it is refused');
    }
    if (access === 'public' || !this.enabled) return true;
    const http = context.switchToHttp();
    try {
      const principal = await this.authenticator.authenticate(
        http.getRequest<Request>().headers.authorization,
      );
      if (!grants(principal.scopes, access)) {
        this.metrics.refused('forbidden');
        throw new ApiError(
          403,
          'forbidden',
          access === 'admin'
            ? 'this route needs a key with the admin scope'
            : `this route needs a key with the ${access} scope (or admin)`,
          {
            needed: access,
            scopes: principal.scopes,
          },
        );
      }
      return true;
    } catch (error) {
      if (error instanceof AuthRefusal) {
        this.metrics.refused(error.reason);
        http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="driftline"');
      }
      throw error;
    }
  }
}
